"""What produces an Analyzer's results, as JSON-able data: the resume fingerprint of ``score()`` and its manifest.

Why hashes and versions rather than a folder path: two trainings can share a folder name, and a folder
can move; the weights, the config, the arithmetic, the spaCy pipeline and the options compute the rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

#: Read files in pieces of this many bytes when hashing them.
_CHUNK = 1 << 20


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def tensors_sha256(state) -> str:
    """The SHA-256 of a state dict's tensors (names, dtypes, shapes, bytes), for a network built in memory."""
    import torch

    digest = hashlib.sha256()
    for key in sorted(state):
        value = state[key]
        if not isinstance(value, torch.Tensor):  # packed int8 parameters: their repr is stable enough
            digest.update(f"{key}:{value!r}".encode())
            continue
        t = value.detach().cpu().contiguous()
        digest.update(f"{key}:{t.dtype}:{tuple(t.shape)}".encode())
        digest.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def config_sha256(config) -> str:
    """The SHA-256 of a ModelConfig's fields, the encoder's config included (the same in either folder layout)."""
    return hashlib.sha256(json.dumps(asdict(config), sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def spacy_identity(segmenter) -> dict:
    """The spaCy pipeline's name and version and spaCy's version, read without loading the pipeline."""
    name = segmenter.spacy_model
    meta: dict = {}
    if name is None:  # a loaded pipeline was given
        meta = dict(segmenter.nlp.meta)
    else:
        meta_file = Path(name) / "meta.json"
        if not meta_file.is_file():
            import importlib.util

            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            meta_file = Path(spec.origin).parent / "meta.json" if spec is not None and spec.origin else meta_file
        if meta_file.is_file():
            try:
                meta = json.loads(meta_file.read_text("utf-8"))
            except (OSError, ValueError):
                meta = {}
    pipeline = f"{meta['lang']}_{meta['name']}" if meta.get("lang") and meta.get("name") else name
    return {"pipeline": pipeline, "version": meta.get("version"), "spacy_version": _version("spacy")}


def _base_weights_sha256(base_model: str) -> str | None:
    """The hash of a LoRA model's base encoder weights, where they lie in a local folder (else None)."""
    from stancekit.modeling.encoder import resolve_encoder

    folder = Path(resolve_encoder(base_model))
    weights = folder / "model.safetensors"
    return file_sha256(weights) if weights.is_file() else None


def analyzer_identity(
    *,
    name: str,
    model_path: Path | None,
    config,
    network,
    precision: str,
    quantized: bool,
    segmenter,
    options: dict,
) -> dict:
    """The identity of an Analyzer built from these parts (see :meth:`stancekit.Analyzer.identity`)."""
    from stancekit import __version__
    from stancekit.modeling.checkpoint import WEIGHTS_FILE

    weights = Path(model_path) / WEIGHTS_FILE if model_path is not None else None
    if weights is not None and weights.is_file():
        weights_sha256 = file_sha256(weights)
    else:
        weights_sha256 = tensors_sha256(network.state_dict())
    model = {
        "name": name,
        "base_model": config.base_model,
        "weights": config.weights,
        "weights_sha256": weights_sha256,
        "config_sha256": config_sha256(config),
    }
    if config.weights == "lora":
        model["base_weights_sha256"] = _base_weights_sha256(config.base_model)
    return {
        "model": model,
        "precision": precision,
        "quantized": bool(quantized),
        "spacy": spacy_identity(segmenter),
        "stancekit_version": __version__,
        "options": dict(options),
    }
