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


class ModelLoadError(StancekitError, ValueError):
    """A model folder's files are unreadable or truncated, or hold something that could run code."""


class ConfigError(StancekitError, ValueError):
    """A training or model configuration is invalid."""


class ResumeError(StancekitError):
    """An output folder holds a job made with another model or other options."""


class UnencodableTextWarning(UserWarning):
    """A text held characters no encoding can write (lone surrogates); they were replaced by U+FFFD."""
