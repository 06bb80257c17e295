"""``score()``: a corpus in, Arrow-typed tables out, in bounded memory, resumable, one job per folder.

Output folder (the schema is ``docs/schema.md``; ``fmt="jsonl"`` writes .jsonl instead of .parquet):
  sentences/part-*    one row per sentence, with the kept metadata columns
  stances/part-*      one row per actor mention, with the kept metadata columns
  errors/part-*.jsonl source, line, doc_id, reason: every record that was not scored
  index/part-*        doc_id, source, line, content hash, language and all metadata of each scored document
  documents, document_actors, actors, sources, groups (with ``group_by``)
  manifest.json       schema version, model identity, options, input fingerprints, progress

:func:`prepare` checks everything that can be checked without the model (options, the output path,
the inputs' columns) and takes the folder's lock, so the command line can fail before loading a
model; :meth:`Job.run` then scores. :func:`score` does both.
"""

from __future__ import annotations

import codecs
import itertools
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stancekit.errors import (
    InputChangedError,
    InputError,
    Interrupted,
    LanguageWarning,
    OptionsChangedError,
    OutputError,
    ResumeError,
)
from stancekit.scoring.chunk import ChunkOptions, ChunkResult, score_chunk
from stancekit.scoring.groups import BOOTSTRAP, parse_group_by
from stancekit.scoring.inputs import InputInfo, arrow_type, fingerprint, input_changes, probe
from stancekit.scoring.memory import pin_mmap_threshold, release_free_memory
from stancekit.scoring.readers import ReadOptions, Record, count_records, iter_records
from stancekit.scoring.writer import (
    AGGREGATES,
    TABLES,
    PartWriter,
    atomic_write_bytes,
    clear_folder,
    holds_only_lock,
    read_manifest,
    remove_temp_files,
)

#: Longest document accepted, in characters (a 200-page report is about 600k).
MAX_DOC_CHARS = 5_000_000
#: A chunk closes at this many characters even before ``chunk_size`` documents, so memory is
#: bounded by text, not by document count (256 books would not fit; 256 tweets batch poorly).
CHUNK_CHARS = 1_000_000
#: Languages scored by default: the models are trained on English news only.
DEFAULT_LANGUAGES = ("en",)


@dataclass
class ScoreSummary:
    output: str
    documents: int
    failed: int
    sentences: int
    stances: int
    seconds: float
    resumed_chunks: int
    unknown_files: list[str] = field(default_factory=list)
    kept: int = 0  # documents kept from an earlier run by ``update``
    languages_scored: dict = field(default_factory=dict)  # non-English documents scored with languages="any"

    def __str__(self) -> str:
        if self.documents == 0 and self.failed == 0 and not self.kept:
            text = f"no documents in the input; wrote empty tables to {self.output}"
        else:
            text = (
                f"scored {self.documents} documents ({self.sentences} sentences, {self.stances} actor stances) "
                f"into {self.output} in {self.seconds:.1f}s; {self.failed} failed (see errors/)"
            )
        if self.kept:
            text += f"; {self.kept} unchanged documents kept from the earlier run"
        if self.resumed_chunks:
            text += f"; resumed after {self.resumed_chunks} finished chunks"
        if self.unknown_files:
            shown = ", ".join(Path(f).name for f in self.unknown_files[:5])
            more = f" and {len(self.unknown_files) - 5} more" if len(self.unknown_files) > 5 else ""
            text += f"; skipped {len(self.unknown_files)} files that are not .txt: {shown}{more}"
        return text


def _chunks(records: Iterator[Record], chunk_size: int, chunk_chars: int) -> Iterator[list[Record]]:
    """Consecutive records, ``chunk_size`` at most and about ``chunk_chars`` characters at most.

    Boundaries depend only on the input and these two numbers, so a resumed job cuts the same
    chunks and can skip the finished ones by count.
    """
    chunk: list[Record] = []
    chars = 0
    for rec in records:
        n = len(rec.text) if isinstance(rec.text, str) else 0
        if chunk and (len(chunk) >= chunk_size or chars + n > chunk_chars):
            yield chunk
            chunk, chars = [], 0
        chunk.append(rec)
        chars += n
    if chunk:
        yield chunk


def check_output_path(out: Path) -> None:
    """Raise :class:`OutputError` now if ``out`` can never be written (a file, a read-only parent)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"output {out} is a file, not a folder")
    probe_dir = out
    while not probe_dir.exists():
        if probe_dir.parent == probe_dir:
            break
        probe_dir = probe_dir.parent
    if not probe_dir.is_dir():
        raise OutputError(f"output {out}: {probe_dir} is a file, not a folder")
    if not os.access(probe_dir, os.W_OK | os.X_OK):
        raise OutputError(f"output {out}: {probe_dir} is not writable")


def parse_languages(value) -> tuple[str, ...] | str:
    if value is None or value == "any" or value == ["any"]:
        return "any"
    items = [p.strip() for p in value.split(",")] if isinstance(value, str) else [str(v).strip() for v in value]
    items = sorted({i for i in items if i})
    if not items:
        raise InputError("languages must name at least one language code, or be 'any'")
    return "any" if "any" in items else tuple(items)


def _keep(value, metadata: list[tuple[str, str]], rename: dict) -> list[str]:
    names = [n for n, _ in metadata]
    if value is None or value == "all":
        return names
    if value == "none":
        return []
    items = [p.strip() for p in value.split(",")] if isinstance(value, str) else [str(v) for v in value]
    items = [rename.get(i, i) for i in items if i]
    missing = [i for i in items if i not in names]
    if missing:
        raise InputError(f"keep_columns: no column {missing[0]!r} in the input; metadata columns: {', '.join(names)}")
    return items


class Job:
    """A prepared scoring job that holds its output folder's lock until it ends (:meth:`close`)."""

    def __init__(self, inputs, out: Path, opts: ReadOptions, info: InputInfo, settings: dict, lock) -> None:
        self.inputs = inputs
        self.out = out
        self.read = opts
        self.info = info
        self.settings = settings
        self.lock = lock
        self.inputs_fp = fingerprint(inputs)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.lock.release()

    def __enter__(self) -> Job:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ options
    def _options(self) -> dict:
        s = self.settings
        return {
            "text_column": self.read.text_column,
            "id_column": self.read.id_column,
            "encoding": self.read.encoding,
            "fmt": s["fmt"],
            "chunk_size": s["chunk_size"],
            "chunk_chars": s["chunk_chars"],
            "max_chars": s["max_chars"],
            "actors": _actors_json(s["actors"]),
            "use_ner": s["use_ner"],
            "keep_columns": s["keep_columns"],
            "languages": list(s["languages"]) if s["languages"] != "any" else "any",
        }

    @staticmethod
    def _model(analyzer) -> dict:
        """The manifest's model entry: where it was loaded from, and its identity (what resumes compare)."""
        return {
            "name": analyzer.name,
            "path": str(analyzer.model_path),
            "identity": analyzer.identity(),
        }

    def _new_state(self, model: dict) -> dict:
        from stancekit import __version__
        from stancekit.results import SCHEMA_VERSION

        return {
            "schema_version": SCHEMA_VERSION,
            "stancekit_version": __version__,
            "options": self._options(),
            "model": model,
            "inputs": self.inputs_fp,
            "metadata": [list(m) for m in self.info.metadata],
            "group_by": self.settings["group_by_spec"],
            "unknown_files": self.info.unknown_files,
            "base_chunks": 0,
            "done_chunks": 0,
            "documents": 0,
            "sentences": 0,
            "stances": 0,
            "errors": 0,
            "kept": 0,
            "complete": False,
        }

    def _changes(self, state: dict, model: dict) -> list[tuple[str, object, object]]:
        old, new = state.get("options", {}), self._options()
        changes = [(k, old.get(k), new[k]) for k in new if old.get(k) != new[k]]
        return changes + identity_changes(state.get("model", {}).get("identity"), model["identity"])

    def _start(self, analyzer) -> tuple[dict, dict[str, str]]:
        """The manifest state to go on from, and the documents kept by ``update`` (id -> content hash)."""
        from stancekit.results import SCHEMA_VERSION

        model = self._model(analyzer)
        state = read_manifest(self.out)
        if state is None:
            _check_not_foreign(self.out, self.settings["overwrite"])
            return self._new_state(model), {}
        if self.settings["overwrite"]:
            clear_folder(self.out)
            return self._new_state(model), {}
        version = state.get("schema_version", 1)
        if version != SCHEMA_VERSION:
            raise ResumeError(
                f"{self.out} was written with results schema {version} (this stancekit writes {SCHEMA_VERSION}) "
                "and cannot be resumed; pass --overwrite / overwrite=True to score it again"
            )
        changes = self._changes(state, model)
        if changes:
            raise OptionsChangedError(str(self.out), changes, ["overwrite"])
        input_diff = input_changes(state.get("inputs", []), self.inputs_fp)
        if input_diff and not self.settings["update"]:
            raise InputChangedError(str(self.out), input_diff, ["overwrite", "update"])
        if [tuple(m) for m in state.get("metadata", [])] != list(self.info.metadata) and input_diff:
            raise InputChangedError(
                str(self.out), [("metadata columns", state.get("metadata"), self.info.metadata)], ["overwrite"]
            )
        if input_diff:
            return self._update(state)
        kept = self._read_kept(state["base_chunks"]) if state.get("base_chunks") else {}
        return state, kept

    # ------------------------------------------------------------------ update
    def _read_kept(self, base: int) -> dict[str, str]:
        from stancekit.scoring.aggregate import read_rows

        writer = PartWriter(self.out, self.settings["fmt"], {}, {})
        kept: dict[str, str] = {}
        for k in range(base):
            path = writer.part_path("index", k)
            if path.exists():
                kept.update({r["doc_id"]: r["hash"] for r in read_rows(path)})
        return kept

    def _update(self, state: dict) -> tuple[dict, dict[str, str]]:
        """Drop the documents that changed or left the input from the finished parts; keep the rest."""
        from stancekit.scoring.aggregate import read_rows

        new_hash: dict[str, str] = {}
        for rec in iter_records(self.inputs, self.read):
            if rec.error is None and rec.doc_id not in new_hash:
                new_hash[rec.doc_id] = rec.content_hash()
        writer = PartWriter(self.out, self.settings["fmt"], self._schemas(), state)
        done = int(state["done_chunks"])
        kept: dict[str, str] = {}
        counts = {"sentences": 0, "stances": 0}
        for k in range(done):
            index = read_rows(writer.part_path("index", k)) if writer.part_path("index", k).exists() else []
            mine = {r["doc_id"] for r in index if new_hash.get(r["doc_id"]) == r["hash"]}
            kept.update({r["doc_id"]: r["hash"] for r in index if r["doc_id"] in mine})
            for table in TABLES:
                path = writer.part_path(table, k)
                rows = read_rows(path) if path.exists() and table != "errors" else []
                rows = [r for r in rows if r["doc_id"] in mine]
                writer.write_table(table, k, rows)
                if table in counts:
                    counts[table] += len(rows)
        for name in AGGREGATES:
            for f in self.out.glob(name + ".*"):
                f.unlink()
        new_state = {
            **state,
            "inputs": self.inputs_fp,
            "unknown_files": self.info.unknown_files,
            "base_chunks": done,
            "done_chunks": done,
            "documents": 0,
            "kept": len(kept),
            "errors": 0,
            **counts,
            "complete": False,
        }
        atomic_write_bytes(self.out / "manifest.json", _dumps(new_state))
        return new_state, kept

    # ------------------------------------------------------------------ records
    def _records(self, kept: dict[str, str]) -> Iterator[Record]:
        """Input records with duplicates marked, and (for ``update``) the kept documents left out."""
        seen: dict[str, tuple[str, int]] = {}
        for rec in iter_records(self.inputs, self.read):
            if rec.error is None:
                prev = seen.get(rec.doc_id)
                if prev is not None:
                    where = "line" if prev[1] else "file"
                    other = f" of {prev[0]}" if prev[0] != rec.source else ""
                    rec = Record(
                        rec.source,
                        rec.location,
                        rec.doc_id,
                        None,
                        f"duplicate of {where} {prev[1] or prev[0]}{other} (id {rec.doc_id!r})",
                    )
                else:
                    seen[rec.doc_id] = (rec.source, rec.location)
                    if kept and kept.get(rec.doc_id) == rec.content_hash():
                        continue
            yield rec

    def _schemas(self) -> dict:
        import pyarrow as pa

        from stancekit.schemas import error_schema, index_schema, sentence_schema, stance_schema

        fields = [pa.field(n, arrow_type(t) or pa.string()) for n, t in self.info.metadata]
        kept = [f for f in fields if f.name in self.settings["keep_columns"]]
        return {
            "sentences": sentence_schema(kept),
            "stances": stance_schema(kept),
            "errors": error_schema(),
            "index": index_schema(fields),
        }

    # ------------------------------------------------------------------ run
    def chunk_options(self) -> ChunkOptions:
        """What scoring one chunk needs to know of this job (picklable, for workers in other processes)."""
        s = self.settings
        return ChunkOptions(
            max_chars=s["max_chars"],
            languages=s["languages"],
            metadata=list(self.info.metadata),
            keep_columns=list(s["keep_columns"]),
            actors=s["actors"],
            use_ner=s["use_ner"],
        )

    def run(
        self, analyzer, *, map_chunks: Callable[[Iterable[list[Record]]], Iterable[ChunkResult]] | None = None
    ) -> ScoreSummary:
        """Score what is left to score, then write the corpus tables; always releases the lock.

        ``analyzer`` gives the model's identity (checked on resume) and scores the chunks, unless
        ``map_chunks`` is given: it turns the chunks of records into their :class:`ChunkResult`, in
        order (each from :func:`~stancekit.scoring.chunk.score_chunk` with :meth:`chunk_options`),
        which is how another engine (:mod:`stancekit.scoring.ray`) scores them elsewhere while this
        job reads, writes, resumes and aggregates as always.
        """
        try:
            return self._run(analyzer, map_chunks)
        finally:
            self.close()

    def _run(self, analyzer, map_chunks=None) -> ScoreSummary:
        s = self.settings
        # names the alias table knows (countries, parties) are never read as a person's surname
        self._known_names = analyzer.known_names
        state, kept = self._start(analyzer)
        remove_temp_files(self.out)
        writer = PartWriter(self.out, s["fmt"], self._schemas(), state)
        if state.get("complete"):
            if state.get("group_by") != s["group_by_spec"] or not (self.out / "manifest.json").exists():
                state["group_by"] = s["group_by_spec"]
                counts = self._aggregate()
                writer.finish(counts)
            return self._summary(writer, 0.0, writer.done_chunks)
        state["group_by"] = s["group_by_spec"]
        writer.save()
        if s["tune_allocator"]:
            pin_mmap_threshold()
        started = time.time()
        resumed = writer.done_chunks - state.get("base_chunks", 0)
        chunks = _chunks(self._records(kept), s["chunk_size"], s["chunk_chars"])
        skip = sum(len(c) for c in itertools.islice(chunks, resumed))
        bar = None
        if s["progress"]:
            from tqdm.auto import tqdm

            total = count_records(self.inputs)
            total = total - len(kept) if total is not None else None
            bar = tqdm(total=total, initial=min(skip, total or skip), unit="doc", desc="scoring", dynamic_ncols=True)
        self._foreign: dict[str, int] = {}
        options = self.chunk_options()
        results = map_chunks(chunks) if map_chunks else (score_chunk(analyzer, c, options) for c in chunks)
        try:
            k = writer.done_chunks
            sentences_done = 0
            for result in results:
                writer.write_chunk(k, result.tables, result.documents)
                k += 1
                sentences_done += len(result.tables["sentences"])
                for lang, n in result.foreign.items():
                    self._foreign[lang] = self._foreign.get(lang, 0) + n
                if s["tune_allocator"]:
                    release_free_memory()
                if bar is not None:
                    bar.update(result.records)
                    elapsed = max(time.time() - started, 1e-9)
                    bar.set_postfix(sent_s=f"{sentences_done / elapsed:.0f}", failed=writer.state["errors"])
                del result
            if writer.done_chunks == 0:  # empty input: the tables still get their schema
                writer.write_chunk(0, {}, 0)
        except KeyboardInterrupt:
            raise Interrupted(writer.state["documents"] + writer.state["errors"]) from None
        finally:
            if bar is not None:
                bar.close()
        if self._foreign:
            listed = ", ".join(f"{n} {lang}" for lang, n in sorted(self._foreign.items()))
            warnings.warn(
                f"scored documents that are not in English ({listed}); the models are English-only, so their "
                "labels are unreliable",
                LanguageWarning,
                stacklevel=3,
            )
        try:
            counts = self._aggregate()
        except KeyboardInterrupt:
            raise Interrupted(writer.state["documents"] + writer.state["errors"]) from None
        writer.state["languages_scored"] = self._foreign
        writer.finish(counts)
        return self._summary(writer, round(time.time() - started, 2), resumed)

    def _aggregate(self) -> dict:
        import pyarrow as pa

        from stancekit.scoring.aggregate import aggregate

        fields = [pa.field(n, arrow_type(t) or pa.string()) for n, t in self.info.metadata]
        try:
            return aggregate(
                self.out,
                self.settings["fmt"],
                fields,
                self.settings["group_by"],
                seed=self.settings["seed"],
                bootstrap=self.settings["bootstrap"],
                known_names=self._known_names,
            )
        except OSError as exc:
            if isinstance(exc, OutputError):
                raise
            raise OutputError(f"cannot write the tables of {self.out}: {exc.strerror or exc}") from exc

    def _summary(self, writer: PartWriter, seconds: float, resumed: int) -> ScoreSummary:
        st = writer.state
        return ScoreSummary(
            str(self.out),
            st["documents"] + st.get("kept", 0),
            st["errors"],
            st["sentences"],
            st["stances"],
            seconds,
            resumed,
            list(st.get("unknown_files", [])),
            st.get("kept", 0),
            dict(st.get("languages_scored", {})),
        )


def _check_not_foreign(out: Path, overwrite: bool) -> None:
    if not holds_only_lock(out):
        how = " (--overwrite / overwrite=True only clears folders written by stancekit)" if overwrite else ""
        raise OutputError(f"{out} is not empty and holds no stancekit manifest.json; choose a new or empty folder{how}")


def _dumps(state: dict) -> bytes:
    import json

    return json.dumps(state, indent=1, default=str).encode()


def prepare(
    inputs,
    output,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    fmt: str = "parquet",
    chunk_size: int = 256,
    chunk_chars: int = CHUNK_CHARS,
    overwrite: bool = False,
    update: bool = False,
    progress: bool = True,
    max_chars: int = MAX_DOC_CHARS,
    actors=None,
    use_ner: bool = True,
    tune_allocator: bool = False,
    group_by=None,
    keep_columns=None,
    languages=DEFAULT_LANGUAGES,
    encoding: str = "utf-8",
    seed: int = 0,
    bootstrap: int = BOOTSTRAP,
) -> Job:
    """Check options, output path and inputs, create the folder and lock it; nothing is scored yet."""
    from stancekit.schemas import RESERVED_COLUMNS
    from stancekit.scoring.lock import FolderLock

    if fmt not in ("parquet", "jsonl"):
        raise InputError(f"fmt must be 'parquet' or 'jsonl', got {fmt!r}")
    for name, value in (("chunk_size", chunk_size), ("chunk_chars", chunk_chars), ("max_chars", max_chars)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InputError(f"{name} must be a positive integer, got {value!r}")
    if overwrite and update:
        raise InputError("overwrite and update exclude each other: overwrite starts again, update keeps what is done")
    if not isinstance(text_column, str) or not text_column:
        raise InputError("text_column must be a column name")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError) as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    if not isinstance(bootstrap, int) or bootstrap < 0:
        raise InputError("bootstrap must be a non-negative integer")
    spec = parse_group_by(group_by)
    langs = parse_languages(languages)
    out = Path(output)
    check_output_path(out)
    opts = ReadOptions(text_column, id_column, encoding)
    info = probe(inputs, opts, set(RESERVED_COLUMNS))
    opts.rename = info.rename
    metadata_names = [n for n, _ in info.metadata]
    for column, _ in spec:
        if info.rename.get(column, column) not in metadata_names:
            raise InputError(
                f"group_by: no column {column!r} in the input; metadata columns: {', '.join(metadata_names) or 'none'}"
            )
    spec = [(info.rename.get(c, c), u) for c, u in spec]
    keep = _keep(keep_columns, info.metadata, info.rename)
    settings = {
        "fmt": fmt,
        "chunk_size": chunk_size,
        "chunk_chars": chunk_chars,
        "max_chars": max_chars,
        "actors": actors,
        "use_ner": use_ner,
        "overwrite": overwrite,
        "update": update,
        "progress": progress,
        "tune_allocator": tune_allocator,
        "group_by": spec,
        "group_by_spec": [f"{c}:{u}" if u else c for c, u in spec],
        "keep_columns": keep,
        "languages": langs,
        "seed": seed,
        "bootstrap": bootstrap,
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from exc
    lock = FolderLock(out)
    try:
        if read_manifest(out) is None:
            _check_not_foreign(out, overwrite)
        return Job(inputs, out, opts, info, settings, lock)
    except BaseException:
        lock.release()
        raise


def score(analyzer, inputs, output, **kwargs):
    """Score every document of ``inputs`` into the folder ``output``; resume if it holds a partial job.

    With ``output=None`` the tables come back in memory (a :class:`~stancekit.scoring.read.Scored`
    of pandas DataFrames), for small corpora in a notebook. ``tune_allocator=True`` (the CLI's choice;
    off by default, as it changes the process) pins glibc's mmap threshold and trims the heap after each
    chunk, so resident memory stays flat over long jobs (see :mod:`stancekit.scoring.memory`).
    Keywords are those of :func:`prepare`.
    """
    if output is None:
        import tempfile

        from stancekit.scoring.read import Scored

        kwargs.setdefault("progress", False)
        with tempfile.TemporaryDirectory(prefix="stancekit-") as tmp:
            summary = prepare(inputs, Path(tmp) / "scored", **kwargs).run(analyzer)
            scored = Scored(Path(tmp) / "scored").load()
        scored.summary = summary
        return scored
    return prepare(inputs, output, **kwargs).run(analyzer)


def identity_changes(old: dict | None, new: dict) -> list[tuple[str, object, object]]:
    """What differs between two Analyzer identities, as ``(what, old, new)`` a person can read.

    A manifest written before identities were recorded differs as a whole: its rows may come from another model.
    """
    if not isinstance(old, dict):
        return [("model", "unknown (the folder was scored by an older stancekit)", new["model"]["name"])]
    changes = []
    old_model, new_model = old.get("model") or {}, new["model"]
    if old_model != new_model:
        what = [k for k in sorted(new_model.keys() | old_model.keys()) if old_model.get(k) != new_model.get(k)]
        if "name" in what:
            changes.append(("model", old_model.get("name"), new_model["name"]))
        else:  # one name, other contents: say which part moved
            changes.append(("model", old_model.get("name"), f"{new_model['name']} with another {', '.join(what)}"))
    for key in ("precision", "quantized", "stancekit_version"):
        if old.get(key) != new[key]:
            changes.append((key, old.get(key), new[key]))
    old_spacy, new_spacy = old.get("spacy") or {}, new["spacy"]
    if old_spacy != new_spacy:
        changes.append(("spacy_model", _spacy_label(old_spacy), _spacy_label(new_spacy)))
    old_opts, new_opts = old.get("options") or {}, new["options"]
    for key in sorted(new_opts.keys() | old_opts.keys()):
        if old_opts.get(key) != new_opts.get(key):
            changes.append((key.removesuffix("_sha256"), old_opts.get(key), new_opts.get(key)))
    return changes


def _spacy_label(spacy: dict) -> str:
    return f"{spacy.get('pipeline')} {spacy.get('version')} (spaCy {spacy.get('spacy_version')})"


def _actors_json(actors) -> list[dict] | None:
    """User actors as plain data for the manifest (names, aliases, kinds), whatever form they were given in."""
    if not actors:
        return None
    from dataclasses import asdict

    from stancekit.text.actors import parse_actor_specs

    return [asdict(a) for a in parse_actor_specs(actors)]
