"""The named labelled datasets in the shared data folder, with their fixed splits.

| name                 | task      | file                                              |
|----------------------|-----------|---------------------------------------------------|
| newsmtsc-train       | stance    | newsmtsc/train.jsonl                              |
| newsmtsc-rw-dev      | stance    | newsmtsc/paper_splits/newsmtsc-rw/dev.jsonl       |
| newsmtsc-mt-dev      | stance    | newsmtsc/paper_splits/newsmtsc-mt/dev.jsonl       |
| checkthat-train      | editorial | checkthat2025_subjectivity_en/train_en.tsv        |
| checkthat-dev        | editorial | checkthat2025_subjectivity_en/dev_en.tsv          |
| checkthat-dev-test   | editorial | checkthat2025_subjectivity_en/dev_test_en.tsv (2024 test: report, never tune) |
| babe-train/babe-dev  | editorial | babe/final_labels_SG2.csv, stratified 80/20 split, seed 13 |
| articlestance-{train,dev,test} | stance | stancekit/data/articlestance.jsonl: ids + offsets (test: never tune) |

BABE's ``label_bias`` (lexical bias: loaded wording) is the default editorial mapping
(Biased -> editorial); ``babe_labels="opinion"`` maps ``label_opinion`` instead (Entirely
factual -> reporting; somewhat opinionated or writer's opinion -> editorial). Rows without
annotator agreement are dropped.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from stancekit.data.paths import data_root
from stancekit.data.userfiles import read_editorial_file, read_stance_file
from stancekit.errors import DataError
from stancekit.io.records import read_records
from stancekit.labels import BABE_BIAS_LABELS, BABE_OPINION_LABELS

BABE_SEED = 13
BABE_DEV_SHARE = 0.2

_FILES = {
    "newsmtsc-train": ("stance", "newsmtsc/train.jsonl"),
    "newsmtsc-rw-dev": ("stance", "newsmtsc/paper_splits/newsmtsc-rw/dev.jsonl"),
    "newsmtsc-mt-dev": ("stance", "newsmtsc/paper_splits/newsmtsc-mt/dev.jsonl"),
    "checkthat-train": ("editorial", "checkthat2025_subjectivity_en/train_en.tsv"),
    "checkthat-dev": ("editorial", "checkthat2025_subjectivity_en/dev_en.tsv"),
    "checkthat-dev-test": ("editorial", "checkthat2025_subjectivity_en/dev_test_en.tsv"),
    "babe-train": ("editorial", "babe/final_labels_SG2.csv"),
    "babe-dev": ("editorial", "babe/final_labels_SG2.csv"),
    "articlestance-train": ("stance", ""),
    "articlestance-dev": ("stance", ""),
    "articlestance-test": ("stance", ""),
}


#: The stance convention a named set was labelled under, where it is not the default (the article guidelines):
#: NewsMTSC's annotators often mark a speaker by what they say and a participant by the event, which the
#: article guidelines do not (benchmarks/results/retraining-articlestance.md).
_CONVENTIONS = {"newsmtsc-train": "newsmtsc", "newsmtsc-rw-dev": "newsmtsc", "newsmtsc-mt-dev": "newsmtsc"}


def convention_of(name: str) -> str | None:
    """The stance convention of a named set's labels (None: the default, or not a named stance set)."""
    return _CONVENTIONS.get(name)


def known_conventions() -> frozenset[str]:
    return frozenset(_CONVENTIONS.values())


def named_datasets() -> dict[str, str]:
    """Dataset name -> task."""
    return {name: task for name, (task, _) in _FILES.items()}


def task_of(name: str) -> str:
    if name not in _FILES:
        raise DataError(f"unknown dataset {name!r}; known: {', '.join(_FILES)}")
    return _FILES[name][0]


def load_rows(name: str, data_dir: str | os.PathLike | None = None, *, babe_labels: str = "bias") -> list[dict]:
    """The rows of a named dataset, as plain dicts in the task's schema."""
    task = task_of(name)
    if name.startswith("articlestance-"):
        from stancekit.data.articlestance import stance_rows

        return stance_rows(name.removeprefix("articlestance-"), data_dir)
    path = data_root(data_dir) / _FILES[name][1]
    if name.startswith("babe-"):
        return _babe_split(path, name.removeprefix("babe-"), babe_labels)
    if task == "stance":
        return read_stance_file(path, source=name)
    return read_editorial_file(path, source=name)


def load_dataset(name: str, data_dir: str | os.PathLike | None = None, *, babe_labels: str = "bias"):
    """A named dataset as a Hugging Face ``datasets.Dataset``."""
    from datasets import Dataset

    return Dataset.from_list(load_rows(name, data_dir, babe_labels=babe_labels))


def _babe_split(path: Path, split: str, babe_labels: str) -> list[dict]:
    if babe_labels not in ("bias", "opinion"):
        raise DataError(f"babe_labels must be 'bias' or 'opinion', got {babe_labels!r}")
    if not path.is_file():
        raise DataError("file not found", path=str(path))
    column, mapping = (
        ("label_bias", BABE_BIAS_LABELS) if babe_labels == "bias" else ("label_opinion", BABE_OPINION_LABELS)
    )
    records = []
    for raw in read_records(path, fmt="csv", delimiter=";", short_rows=True):
        if raw.error is not None:
            raise DataError(raw.error, path=str(path), line=raw.location)
        for field in ("text", "label_bias", column):
            if field not in raw.fields:
                raise DataError("missing", path=str(path), line=raw.location, field=field)
        records.append(raw.fields)
    rows = []
    for rec in records:
        label = mapping.get(rec[column].strip())
        if label is None:  # "No agreement"
            continue
        rows.append(
            {"text": rec["text"].strip(), "label": label, "source": f"babe-{split}", "_key": rec["text"].strip()}
        )
    # the split is made on the bias labels so both label choices share the same sentences
    keys_by_label: dict[str, list[str]] = {}
    for rec in records:
        keys_by_label.setdefault(rec["label_bias"].strip(), []).append(rec["text"].strip())
    rng = random.Random(BABE_SEED)
    dev_keys: set[str] = set()
    for label in sorted(keys_by_label):
        keys = sorted(keys_by_label[label])
        rng.shuffle(keys)
        dev_keys.update(keys[: round(len(keys) * BABE_DEV_SHARE)])
    want_dev = split == "dev"
    out = [r for r in rows if (r["_key"] in dev_keys) == want_dev]
    for r in out:
        del r["_key"]
    return out
