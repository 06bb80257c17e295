"""Rewrite model folders of the older layout (one config.json, the encoder's config nested) in the current one.

    PYTHONPATH=. python scripts/convert_model_folder.py models/news-small models/news-base

stancekit_config.json takes stancekit's fields; a full-weight folder's config.json becomes the encoder's
config as transformers writes it; a LoRA folder keeps no config.json (its base encoder brings its own).
Weights and tokenizer files are not touched. A folder already in the current layout is rewritten unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stancekit.modeling.checkpoint import read_config, write_config


def convert(folder: Path) -> None:
    cfg = read_config(folder)
    write_config(cfg, folder)
    print(folder, cfg.weights, "->", ", ".join(sorted(p.name for p in folder.glob("*config.json"))))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        convert(Path(arg))
