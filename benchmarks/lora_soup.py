"""Average saved LoRA model folders in one of two ways, to ask why soups of LoRA runs lost (train-sweeps, sweep 6).

- ``factors``: the plain weight average of every tensor, LoRA's A and B factors one by one (what the trainer's
  ``soup: k`` does); the mean of products B_i A_i is not the product of the means.
- ``merged``: the exact mean of the merged updates, held as one adapter of rank k*r:
  B = [B_1 ... B_k] / k and A = [A_1; ...; A_k] give B A = mean_i B_i A_i; alpha scales with r, so the
  LoRA scale alpha / r is unchanged. Other weights (heads, markers) are averaged as usual.

The output folder keeps the first folder's tokenizer, train.yaml and calibration; refit the calibration
(``stancekit calibrate OUT``) before scoring it with ``stancekit bench``.

Usage: ``python benchmarks/lora_soup.py merged|factors OUT FOLDER FOLDER [...]``
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from safetensors.torch import load_file, save_file

from stancekit.modeling.checkpoint import read_config, write_config
from stancekit.training.selection import average_states, merge_lora_states


def lora_soup(mode: str, out: Path, folders: list[Path]) -> None:
    k = len(folders)
    states = [load_file(str(f / "model.safetensors")) for f in folders]
    averaged = merge_lora_states(states) if mode == "merged" else average_states(states)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(folders[0], out)
    save_file(averaged, str(out / "model.safetensors"), metadata={"format": "pt"})
    cfg = read_config(out)
    if mode == "merged":
        cfg.lora["r"] *= k
        cfg.lora["alpha"] *= k
    cfg.name = out.name
    write_config(cfg, out)
    print(out, mode, k, "folders,", (out / "model.safetensors").stat().st_size, "bytes")


if __name__ == "__main__":
    if len(sys.argv) < 5 or sys.argv[1] not in ("merged", "factors"):
        sys.exit(__doc__)
    lora_soup(sys.argv[1], Path(sys.argv[2]), [Path(f) for f in sys.argv[3:]])
