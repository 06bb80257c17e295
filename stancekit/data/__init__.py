"""Data stage: each labelled source as a ``datasets.Dataset`` in one schema per task.

stance:    text, start, end, label (negative|neutral|positive), source, group
editorial: text, label (editorial|reporting), source

``group`` ties the targets of one sentence together, so single-pass training can mark them
all in one input. Data is read from a path (argument, ``STANCEKIT_DATA``, or ``../shared/data``
beside the checkout); nothing is copied into the project.
"""

from stancekit.data.paths import data_root
from stancekit.data.sources import load_dataset, named_datasets
from stancekit.data.userfiles import read_editorial_file, read_stance_file

__all__ = ["data_root", "load_dataset", "named_datasets", "read_editorial_file", "read_stance_file"]
