"""Checks shared by the fitted entries a model folder's config may carry (holder probe, article read-out)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from stancekit.errors import ConfigError


def entry_fields(data, where, field: str, fmt: str) -> Callable[[str, str], ConfigError]:
    """Check that a config's ``field`` entry is a mapping of format ``fmt``; return the error for one of its keys
    (``bad(name, want)``: "field 'field.name' must be want"), every error naming the config file ``where``."""

    def bad(name: str, want: str) -> ConfigError:
        return ConfigError(f"{where}: field '{field}.{name}' must be {want}")

    if not isinstance(data, dict):
        raise ConfigError(f"{where}: field '{field}' must be a mapping or null")
    if data.get("format") != fmt:
        raise bad("format", repr(fmt))
    return bad


def finite_numbers(values: Iterable) -> bool:
    """Every value is an int or float (not a bool) and finite."""
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)
