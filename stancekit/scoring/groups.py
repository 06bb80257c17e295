"""Group comparisons: group keys x actor x holder kind, with a document-level bootstrap interval.

Mentions in one article are not independent (one writer, one framing), so the interval resamples
documents, not mentions: each replicate draws the group's documents with replacement and recomputes
the mention-weighted mean score (sum of P(pos) - P(neg) over sum of mentions). The generator is
seeded per group from ``seed`` and the group's key, so a group's interval does not depend on which
other groups exist or on the order they are computed in, and the global RNG is never touched.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable

from stancekit.errors import InputError
from stancekit.labels import STANCE_LABELS

UNITS = ("day", "week", "month", "quarter", "year")
#: Bootstrap replicates per group row.
BOOTSTRAP = 1000
#: Holder kind of the rows that pool author and source stances.
ALL_HOLDERS = "all"


def parse_group_by(spec) -> list[tuple[str, str | None]]:
    """``"outlet,date:month"`` or ``["outlet", "date:month"]`` -> ``[("outlet", None), ("date", "month")]``."""
    if spec is None:
        return []
    parts = [p.strip() for p in spec.split(",")] if isinstance(spec, str) else [str(p).strip() for p in spec]
    out = []
    for p in parts:
        if not p:
            continue
        column, _, unit = p.partition(":")
        if unit and unit not in UNITS:
            raise InputError(f"group_by {p!r}: unknown date unit {unit!r} (one of {', '.join(UNITS)})")
        out.append((column, unit or None))
    return out


def key_name(column: str, unit: str | None) -> str:
    return f"{column}_{unit}" if unit else column


def truncate(value, unit: str | None):
    """A date (or ISO date string) cut to its ``unit``: ``2026-05`` for a month, ``2026-Q2``, ``2026-W19``."""
    if unit is None or value is None:
        return value
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return None
    if unit == "day":
        return value.isoformat()
    if unit == "week":
        year, week, _ = value.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{value.year}-{value.month:02d}"
    if unit == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    return str(value.year)


class GroupTally:
    """Per (group key, actor, actor kind, holder kind): each document's mentions, score sum and label counts.

    Filled one ``document_actors`` row at a time (a few numbers per row are kept, not the rows), then
    :meth:`rows` computes the table.
    """

    def __init__(self, key_names: list[str], *, seed: int = 0, bootstrap: int = BOOTSTRAP) -> None:
        self.key_names = key_names
        self.seed = seed
        self.bootstrap = bootstrap
        self.cells: dict[tuple, dict[str, list]] = {}

    def add(self, key: tuple, t: dict) -> None:
        """Count one ``document_actors`` row (doc_id, actor, actor_kind, holder_kind, mentions, counts, mean_score)."""
        for hk in (t["holder_kind"], ALL_HOLDERS):
            cell = self.cells.setdefault((key, t["actor"], t["actor_kind"], hk), {})
            d = cell.get(t["doc_id"])
            if d is None:
                d = cell[t["doc_id"]] = [0, 0.0, *[0 for _ in STANCE_LABELS]]
            d[0] += t["mentions"]
            d[1] += t["mean_score"] * t["mentions"]
            for i, lab in enumerate(STANCE_LABELS):
                d[2 + i] += t[lab]

    def rows(self) -> list[dict]:
        import numpy as np

        out = []
        for (key, actor, kind, hk), docs in sorted(self.cells.items(), key=lambda kv: _sort_key(kv[0])):
            arr = np.array(list(docs.values()), dtype=np.float64)
            m, s = arr[:, 0], arr[:, 1]
            mentions = m.sum()
            lo = hi = s.sum() / mentions
            if self.bootstrap > 0 and len(arr) > 1:
                crc = zlib.crc32(repr((key, actor, kind, hk)).encode("utf-8", "replace"))
                rng = np.random.default_rng([self.seed, crc])
                draws = rng.integers(0, len(arr), size=(self.bootstrap, len(arr)))
                ratios = s[draws].sum(axis=1) / m[draws].sum(axis=1)
                lo, hi = np.quantile(ratios, [0.025, 0.975])
            out.append(
                {
                    **dict(zip(self.key_names, key, strict=True)),
                    "actor": actor,
                    "actor_kind": kind,
                    "holder_kind": hk,
                    "documents": len(arr),
                    "mentions": int(mentions),
                    **{f"share_{lab}": float(arr[:, 2 + i].sum() / mentions) for i, lab in enumerate(STANCE_LABELS)},
                    "mean_score": round(float(s.sum() / mentions), 6),
                    "ci_low": round(float(lo), 6),
                    "ci_high": round(float(hi), 6),
                }
            )
        return out


def group_rows(
    doc_keys: dict[str, tuple],
    tallies: Iterable[dict],
    key_names: list[str],
    *,
    seed: int = 0,
    bootstrap: int = BOOTSTRAP,
) -> list[dict]:
    """One row per (group key, actor, actor kind, holder kind) from ``document_actors`` rows.

    Documents missing from ``doc_keys`` are left out.
    """
    tally = GroupTally(key_names, seed=seed, bootstrap=bootstrap)
    for t in tallies:
        key = doc_keys.get(t["doc_id"])
        if key is not None:
            tally.add(key, t)
    return tally.rows()


def _sort_key(cell: tuple) -> tuple:
    key, actor, kind, hk = cell
    return (tuple((v is None, str(v)) for v in key), actor, kind, hk != ALL_HOLDERS, hk)


def doc_keys(documents: Iterable[dict], spec: list[tuple[str, str | None]]) -> dict[str, tuple]:
    """doc_id -> its group key (one value per ``spec`` entry) from ``documents`` rows."""
    return {d["doc_id"]: tuple(truncate(d.get(col), unit) for col, unit in spec) for d in documents}
