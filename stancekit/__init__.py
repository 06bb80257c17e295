"""stancekit: per-sentence stance toward named actors, and reporting versus editorializing.

>>> import stancekit
>>> an = stancekit.load()            # the default model, offline
>>> doc = an.analyze("Critics say the minister's plan is a disaster.")

Nothing heavy is imported here: torch, transformers and spaCy load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "ActorStance",
    "Analyzer",
    "Document",
    "Sentence",
    "__version__",
    "errors",
    "load",
    "read_scored",
    "report",
    "train",
    "tune_process",
]

if TYPE_CHECKING:  # pragma: no cover
    from stancekit.analyzer import Analyzer
    from stancekit.results import Actor, ActorStance, Document, Sentence


def load(model: str | None = None, **kwargs: Any) -> Analyzer:
    """Load an :class:`Analyzer` for a model name (``news-small``, ``news-base``) or folder.

    Keyword arguments go to :class:`Analyzer` (``batch_size``, ``spacy_model``, ``aliases``,
    ``quantize``, ``precision``, ``segment_ahead``, ``attribution``, ``coreference``, and ``name``,
    the model's name in results).
    """
    from stancekit.analyzer import Analyzer

    return Analyzer.from_pretrained(model, **kwargs)


def tune_process() -> None:
    """Opt in to process-wide settings (oneDNN cache cap); library calls never change the process."""
    from stancekit.globalstate import tune_process as _tune

    _tune()


def train(config, **overrides: Any) -> dict:
    """Train a model from a ``TrainConfig`` or a ``train.yaml`` path (see stancekit.training)."""
    from stancekit.training.trainer import train as _train

    return _train(config, **overrides)


def report(source, output=None, **kwargs: Any) -> str:
    """An HTML report of a Document, a text file or a scored folder (see :func:`stancekit.reporting.report`)."""
    from stancekit.reporting import report as _report

    return _report(source, output, **kwargs)


def read_scored(folder) -> Any:
    """The tables of a folder written by ``score()`` as pandas DataFrames, read on first use, with ``compare()``."""
    from stancekit.scoring.read import read_scored as _read

    return _read(folder)


def __getattr__(name: str) -> Any:
    if name == "Analyzer":
        from stancekit.analyzer import Analyzer

        return Analyzer
    if name in ("Actor", "ActorStance", "Document", "Sentence"):
        from stancekit import results

        return getattr(results, name)
    if name == "errors":
        from stancekit import errors

        return errors
    raise AttributeError(f"module 'stancekit' has no attribute {name!r}")
