"""The Arrow schemas of a scored folder's tables, in one place (``docs/schema.md`` describes the columns).

The writer (:mod:`stancekit.scoring.job`), the aggregates (:mod:`stancekit.scoring.aggregate`) and the
actor registry build their tables from these functions, and the rows of
:meth:`~stancekit.results.Document.sentence_rows` / :meth:`~stancekit.results.Document.stance_rows`
match :func:`sentence_schema` / :func:`stance_schema`. Functions, not constants, so pyarrow is imported
only when a table is written.
"""

from __future__ import annotations

from stancekit.labels import STANCE_LABELS
from stancekit.results import HOLDER_KINDS


# ----------------------------------------------------------------- per-chunk tables (part files)
def sentence_schema(extra=()):
    """Rows of ``sentences/``; ``extra`` are the kept metadata fields (``pa.Field``)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("sentence", pa.int32()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("editorial", pa.bool_()),
            ("editorial_score", pa.float32()),
            *extra,
        ]
    )


def stance_schema(extra=()):
    """Rows of ``stances/``; ``extra`` are the kept metadata fields (``pa.Field``)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("sentence", pa.int32()),
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mention", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("resolved", pa.string()),
            ("holder", pa.string()),
            ("holder_kind", pa.string()),
            ("label", pa.string()),
            *[(f"p_{lab}", pa.float32()) for lab in STANCE_LABELS],
            *extra,
        ]
    )


def error_schema():
    """Rows of ``errors/``: one per record that was not scored, and why."""
    import pyarrow as pa

    return pa.schema([("source", pa.string()), ("line", pa.int64()), ("doc_id", pa.string()), ("reason", pa.string())])


def index_schema(metadata=()):
    """Rows of ``index/``: one per scored document, with its content hash and all its metadata."""
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("source", pa.string()),
            ("line", pa.int64()),
            ("hash", pa.string()),
            ("language", pa.string()),
            *metadata,
        ]
    )


def document_schema(metadata=()):
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("language", pa.string()),
            ("sentences", pa.int64()),
            ("editorial_sentences", pa.int64()),
            ("editorial_share", pa.float64()),
            ("actors", pa.int64()),
            *metadata,
        ]
    )


def _label_counts():
    import pyarrow as pa

    return [pa.field(lab, pa.int64()) for lab in STANCE_LABELS]


def document_actor_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("holder_kind", pa.string()),
            ("mentions", pa.int64()),
            *_label_counts(),
            ("mean_score", pa.float64()),
        ]
    )


def actor_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mentions", pa.int64()),
            ("documents", pa.int64()),
            *[pa.field(f"share_{lab}", pa.float64()) for lab in STANCE_LABELS],
            ("mean_score", pa.float64()),
            *[
                pa.field(f"{hk}_{c}", t)
                for hk in HOLDER_KINDS
                for c, t in (("mentions", pa.int64()), ("mean_score", pa.float64()))
            ],
        ]
    )


def source_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("holder", pa.string()),
            ("holder_kind", pa.string()),
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mentions", pa.int64()),
            *_label_counts(),
            ("documents", pa.int64()),
        ]
    )


def group_schema(keys=()):
    """Rows of ``groups``: group keys (``pa.Field``) x actor x holder kind (``all`` pools both)."""
    import pyarrow as pa

    return pa.schema(
        [
            *keys,
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("holder_kind", pa.string()),
            ("documents", pa.int64()),
            ("mentions", pa.int64()),
            *[pa.field(f"share_{lab}", pa.float64()) for lab in STANCE_LABELS],
            ("mean_score", pa.float64()),
            ("ci_low", pa.float64()),
            ("ci_high", pa.float64()),
        ]
    )


# ----------------------------------------------------------------- the actor registry
def registry_schema():
    """Rows of ``actor_registry``: one per corpus actor, with its surface forms and the document names merged."""
    import pyarrow as pa

    return pa.schema(
        [
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("surfaces", pa.list_(pa.struct([("form", pa.string()), ("count", pa.int64())]))),
            ("documents", pa.int64()),
            ("mentions", pa.int64()),
            ("names", pa.list_(pa.string())),
        ]
    )


def registry_state_schema():
    """Arrow schema of the registry's state table: one row per (document name, kind) entry."""
    import pyarrow as pa

    return pa.schema(
        [
            ("name", pa.string()),
            ("kind", pa.string()),
            ("mentions", pa.int64()),
            ("documents", pa.list_(pa.string())),
            ("surfaces", pa.map_(pa.string(), pa.int64())),
        ]
    )


#: Column names the result tables use themselves; a metadata column of one of these names is
#: written as ``input_<name>``.
RESERVED_COLUMNS = frozenset(
    {"doc_id", "sentence", "start", "end", "text", "editorial", "editorial_score", "actor", "actor_kind", "mention"}
    | {"resolved", "holder", "holder_kind", "label", "language", "sentences", "editorial_sentences", "hash"}
    | {"editorial_share", "actors", "mentions", "mean_score", "source", "line", "reason", "documents"}
    | {f"p_{lab}" for lab in STANCE_LABELS}
    | set(STANCE_LABELS)
)
