"""Typed errors: every failure a user can cause names what is wrong and where.

All errors derive from :class:`StancekitError`, so ``except stancekit.errors.StancekitError``
catches everything this library raises on purpose. They also derive from the closest builtin
(``TypeError``, ``ValueError``, ``FileNotFoundError``) so generic handlers keep working.
"""

from __future__ import annotations


class StancekitError(Exception):
    """Base class of every error stancekit raises deliberately."""


class InputError(StancekitError, TypeError):
    """A text or argument passed to the API has the wrong type or shape."""


class ActorSpecError(InputError):
    """A user-given actor is not a string or a ``{"name": ..., "aliases": [...]}`` mapping."""


class ModelNotFoundError(StancekitError, FileNotFoundError):
    """A model name or path does not resolve to a model folder, or the folder lacks files."""


class BaseModelNotInstalledError(ModelNotFoundError):
    """The base encoder a model needs is neither a local folder nor an installed package."""


class DataError(StancekitError, ValueError):
    """A data file is malformed; the message names the file, the line or row and the field."""

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, field: str | None = None
    ) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{': '.join([', '.join(where), message]) if where else message}")
        self.path = path
        self.line = line
        self.field = field
        self.reason = message


class RecordFileError(DataError, InputError):
    """A whole input file cannot be read as records: missing, an unknown format, a broken JSON array or CSV header.

    It is both a :class:`DataError` (what training and evaluation files raise) and an
    :class:`InputError` (what scoring inputs raise), so either caller's handlers catch it.
    """


class ModelLoadError(StancekitError, ValueError):
    """A model folder's files are unreadable or truncated, or hold something that could run code."""


class ConfigError(StancekitError, ValueError):
    """A training or model configuration is invalid."""


class CheckpointError(ConfigError):
    """A training checkpoint cannot be resumed: unreadable, or written for another config or other data.

    The message names the file and, where one is at fault, the field (``config_hash``, ``data_hash``, ...).
    """

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        where = ", ".join(x for x in (path, f"field {field!r}" if field else None) if x)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.field = field
        self.reason = message


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """``resume`` was asked for, but the output folder holds no training checkpoint."""


class TrainingPaused(StancekitError):
    """A run stopped on purpose (``max_steps``) after writing its checkpoint; resume it to continue.

    ``checkpoint`` is the folder written, ``ingredient`` and ``step`` where the run stands.
    """

    def __init__(self, checkpoint: str, ingredient: int, step: int) -> None:
        super().__init__(f"training paused at step {step} of soup ingredient {ingredient}; checkpoint: {checkpoint}")
        self.checkpoint = checkpoint
        self.ingredient = ingredient
        self.step = step


class ResumeError(StancekitError):
    """An output folder holds a job made with another model or other options."""


class OptionalDependencyError(StancekitError, ImportError):
    """A feature needs an optional package that is not installed; the message says which extra to install."""


class OutputError(StancekitError, OSError):
    """The output folder cannot be used: not writable, a file, full, or not a stancekit folder."""


class OutputLockedError(OutputError):
    """Another job holds the output folder's lock; ``pid`` is its process id (None if unknown)."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class OptionsChangedError(ResumeError):
    """A rerun into a scored folder changed inputs or options; says what changed, in one line.

    ``changes`` is a list of ``(option, old, new)``; ``remedies`` the keyword names that would make
    the job go on (``overwrite``, ``update``). ``str()`` names Python keywords, :meth:`cli_message`
    the command-line flags.
    """

    def __init__(self, folder: str, changes: list[tuple[str, object, object]], remedies: list[str]) -> None:
        self.folder = folder
        self.changes = changes
        self.remedies = remedies
        super().__init__(self._message(lambda k: k, lambda k: f"{k}=True"))

    def _message(self, name, flag) -> str:
        what = "; ".join(f"{name(k)} changed: {_short(a)} -> {_short(b)}" for k, a, b in self.changes)
        how = " or ".join(flag(r) for r in self.remedies)
        return f"{self.folder} was scored with other settings ({what}); rerun with the old ones, or pass {how}"

    def cli_message(self) -> str:
        def flag(k: str) -> str:
            return "--" + CLI_FLAGS.get(k, k).replace("_", "-")

        def name(k: str) -> str:  # what the model or environment decides (its version, spaCy's) has no flag
            return flag(k) if k in SCORE_FLAGS else k

        return self._message(name, flag)


class InputChangedError(OptionsChangedError):
    """The inputs differ from those the folder was scored from (``changes`` name each input)."""

    def _message(self, name, flag) -> str:
        what = "; ".join(f"{k}: {a} -> {b}" for k, a, b in self.changes)
        how = " or ".join(flag(r) for r in self.remedies)
        return f"{self.folder} was scored from other input ({what}); pass {how}"


#: Python keyword -> command-line flag (without dashes) where the two differ.
CLI_FLAGS = {"fmt": "format", "use_ner": "no_ner", "actors": "actor"}
#: score()'s keywords that ``stancekit score`` takes as flags; other changed settings are named as they are
SCORE_FLAGS = frozenset(
    {"model", "text_column", "id_column", "encoding", "fmt", "chunk_size", "chunk_chars", "max_chars", "actors"}
    | {"use_ner", "keep_columns", "group_by", "seed", "languages", "batch_size", "precision", "overwrite", "update"}
)


def _short(value, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Interrupted(StancekitError):
    """A scoring job was stopped (Ctrl-C); its finished chunks are kept and a rerun resumes."""

    def __init__(self, documents: int) -> None:
        super().__init__(f"interrupted after {documents} documents; run the same command to resume")
        self.documents = documents


class StancekitWarning(UserWarning):
    """Base category of the warnings stancekit issues (filter them with ``warnings.filterwarnings``)."""


class LanguageWarning(StancekitWarning):
    """The text is not in a language the models were trained on (English)."""


class UnencodableTextWarning(UserWarning):
    """A text held characters no encoding can write (lone surrogates); they were replaced by U+FFFD."""
