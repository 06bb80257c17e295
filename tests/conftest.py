"""Shared fixtures: a tiny model trained here through the real training path, shared data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from stancekit.data.paths import has_shared_data

REPO = Path(__file__).resolve().parents[1]

STANCE_ROWS = [
    ("Critics accused Senator Smith of lying to voters.", "Smith", "negative"),
    ("Smith was praised for her courage and honesty.", "Smith", "positive"),
    ("Smith will visit Ohio on Tuesday.", "Smith", "neutral"),
    ("Protesters denounced Governor Jones as a corrupt fraud.", "Jones", "negative"),
    ("Jones won wide acclaim for the rescue plan.", "Jones", "positive"),
    ("Jones met the delegation on Monday.", "Jones", "neutral"),
    ("The scandal destroyed Brown's reputation.", "Brown", "negative"),
    ("Brown was hailed as a hero by the crowd.", "Brown", "positive"),
    ("Brown is expected to speak at noon.", "Brown", "neutral"),
]
EDITORIAL_ROWS = [
    ("This disgraceful policy is a betrayal of every voter.", "editorial"),
    ("The council voted 7 to 2 on Tuesday.", "reporting"),
    ("We must stop this madness before it is too late.", "editorial"),
    ("The report was published on Monday.", "reporting"),
    ("Frankly, the plan is an embarrassment.", "editorial"),
    ("The minister said the plan would cost 3 billion.", "reporting"),
]


def write_tiny_data(folder: Path) -> tuple[Path, Path]:
    stance = folder / "stance.jsonl"
    with stance.open("w") as fh:
        for text, target, label in STANCE_ROWS:
            fh.write(json.dumps({"text": text, "target": target, "label": label}) + "\n")
    editorial = folder / "editorial.jsonl"
    with editorial.open("w") as fh:
        for text, label in EDITORIAL_ROWS:
            fh.write(json.dumps({"text": text, "label": label}) + "\n")
    return stance, editorial


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    """A MiniLM model fine-tuned for a few steps on the sentences above (real training path)."""
    from stancekit.training.config import TrainConfig
    from stancekit.training.trainer import Trainer

    folder = tmp_path_factory.mktemp("tiny")
    stance, editorial = write_tiny_data(folder)
    cfg = TrainConfig(
        name="tiny",
        output_dir=str(folder / "model"),
        train_sets=[],
        dev_sets=[],
        report_sets=[],
        stance_files=[str(stance)],
        editorial_files=[str(editorial)],
        epochs=3,
        batch_size=4,
        evals_per_epoch=1,
        patience=100,
        learning_rate=1e-4,
        head_learning_rate=1e-3,
        progress=False,
        calibrate=False,
    )
    Trainer(cfg).run()
    return folder / "model"


@pytest.fixture(scope="session")
def tiny_analyzer(tiny_model_path):
    import stancekit

    return stancekit.load(str(tiny_model_path))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not has_shared_data():
        pytest.skip(
            "shared labelled data not found: set STANCEKIT_DATA or place it at ../shared/data "
            "beside the checkout (CI has it)"
        )
    from stancekit.data.paths import data_root

    return data_root()


@pytest.fixture(scope="session")
def default_analyzer():
    import stancekit
    from stancekit.errors import ModelNotFoundError

    try:
        return stancekit.load()
    except ModelNotFoundError as exc:  # pragma: no cover - models/ is committed
        pytest.skip(f"default model not available: {exc}")


os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def ents(text, *items):
    """EntitySpans for (surface, label) items found left to right in text (actor finder tests)."""
    from stancekit.text.segmentation import EntitySpan

    out, pos = [], 0
    for surface, label in items:
        start = text.index(surface, pos)
        out.append(EntitySpan(start, start + len(surface), surface, label))
        pos = start + len(surface)
    return out
