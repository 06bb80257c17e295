"""Where labelled data lives: an argument, ``STANCEKIT_DATA``, or ``../shared/data``."""

from __future__ import annotations

import os
from pathlib import Path

from stancekit.errors import DataError


def default_data_root() -> Path:
    env = os.environ.get("STANCEKIT_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def data_root(path: str | os.PathLike | None = None) -> Path:
    root = Path(path) if path is not None else default_data_root()
    if not root.is_dir():
        raise DataError(
            f"data folder {root} does not exist: pass data_dir=..., or set STANCEKIT_DATA to the "
            "folder holding newsmtsc/, checkthat2025_subjectivity_en/ and babe/"
        )
    return root


def has_shared_data(path: str | os.PathLike | None = None) -> bool:
    try:
        data_root(path)
    except DataError:
        return False
    return True
