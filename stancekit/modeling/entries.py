"""What the fitted entries a model folder's config may carry (holder probe, article read-out) share: their config
checks, and the standardize -> principal components projection whose regression folds back into one linear map
over the raw features (so the config stores plain weights and applying them costs one product)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

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


#: the entries are applied in float32: a larger finite number would turn into inf there
FLOAT32_MAX = float(np.finfo(np.float32).max)


def finite_numbers(values: Iterable) -> bool:
    """Every value is an int or float (not a bool), finite, and finite in float32 too."""
    return all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= FLOAT32_MAX
        for v in values
    )


@dataclass
class Projection:
    """Standardized features reduced to their first principal components, and the way back."""

    mean: np.ndarray
    std: np.ndarray
    pca: object

    @classmethod
    def fit(cls, x: np.ndarray, components: int) -> Projection:
        from sklearn.decomposition import PCA

        mean, std = x.mean(0), x.std(0) + 1e-6
        z = (x - mean) / std
        return cls(mean, std, PCA(min(components, z.shape[0] - 1, z.shape[1]), random_state=0).fit(z))

    @property
    def components(self) -> int:
        return int(self.pca.n_components_)

    def transform(self, x: np.ndarray) -> np.ndarray:
        return self.pca.transform((x - self.mean) / self.std)

    def fold(self, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients over :meth:`transform`'s components (rows x components) as (weights over the raw features,
        offset): ``transform(x) @ coef.T == x @ weights.T + offset``."""
        direction = coef @ self.pca.components_  # over the standardized features
        return direction / self.std, -(direction @ (self.mean / self.std + self.pca.mean_))
