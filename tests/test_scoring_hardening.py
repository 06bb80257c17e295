"""score() under bad conditions: locked folders, foreign folders, broken CSV, bad records, full disks."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stancekit.errors import InputError, OutputError, OutputLockedError
from stancekit.scoring.job import prepare, score
from stancekit.scoring.readers import ReadOptions, iter_records

GOOD = [
    "Senator Smith praised Governor Jones on Monday.",
    "Critics called the plan a disaster, and Brown agreed.",
    "The council voted 7 to 2 on the new budget.",
]


def _jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _errors(out: Path) -> list[dict]:
    return [json.loads(x) for f in sorted((out / "errors").glob("*.jsonl")) for x in f.read_text().splitlines()]


def _ids(out: Path, table: str = "sentences") -> set[str]:
    return {r["doc_id"] for r in pq.read_table(out / table).to_pylist()}


class Exploding:
    """An analyzer that fails on any batch holding a text with BOOM (a stand-in for a crash inside spaCy)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def analyze_many(self, texts, *args, **kwargs):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("tokenizer exploded")
        return self.inner.analyze_many(texts, *args, **kwargs)


# ----------------------------------------------------------------------------------- the lock
def test_a_second_job_on_a_locked_folder_names_the_holders_pid(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from stancekit.scoring.lock import FolderLock; "
            "Path(sys.argv[1]).mkdir(); FolderLock(Path(sys.argv[1])); print('locked', flush=True); time.sleep(60)",
            str(tmp_path / "out"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLockedError, match=f"pid {holder.pid}") as info:
            prepare(src, tmp_path / "out", progress=False)
        assert info.value.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    prepare(src, tmp_path / "out", progress=False).close()  # the kernel dropped the dead holder's lock


def test_the_lock_is_held_for_the_whole_job_and_released_after(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    job = prepare(src, tmp_path / "out", progress=False)
    with pytest.raises(OutputLockedError, match=f"pid {os.getpid()}"):
        prepare(src, tmp_path / "out", progress=False)
    job.close()
    prepare(src, tmp_path / "out", progress=False).close()


# ----------------------------------------------------------------------------------- overwrite
def test_overwrite_refuses_a_folder_that_stancekit_did_not_write(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.docx").write_text("years of work")
    for overwrite in (False, True):
        with pytest.raises(OutputError, match="no stancekit manifest"):
            prepare(src, mine, overwrite=overwrite, progress=False)
    assert (mine / "chapter1.docx").read_text() == "years of work"


def test_overwrite_clears_only_what_a_job_wrote(tiny_analyzer, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    tiny_analyzer.score(src, tmp_path / "out", progress=False)
    (tmp_path / "out" / "my_notes.md").write_text("keep me")
    s = tiny_analyzer.score(src, tmp_path / "out", progress=False, overwrite=True, chunk_size=2)
    assert s.documents == 3 and (tmp_path / "out" / "my_notes.md").read_text() == "keep me"


# ----------------------------------------------------------------------------------- CSV rows
def test_csv_unbalanced_quote_and_extra_comma_cost_one_row_each_with_the_line(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "id,text\n"
        "a1,Smith won the vote.\n"
        'a2,"Jones said ""no"" twice."\n'
        'a3,"The quote never closes\n'
        "a4,Brown spoke at noon.\n"
        "a5,Extra,comma here\n"
        'a6,"A field over\ntwo lines."\n'
        "a7,The last row.\n",
        encoding="utf-8",
    )
    recs = list(iter_records(src, ReadOptions("text", "id")))
    good = {r.doc_id: r.text for r in recs if r.error is None}
    bad = {r.location: r.error for r in recs if r.error is not None}
    assert good == {
        "a1": "Smith won the vote.",
        "a2": 'Jones said "no" twice.',
        "a4": "Brown spoke at noon.",
        "a6": "A field over\ntwo lines.",
        "a7": "The last row.",
    }
    assert set(bad) == {4, 6}
    assert "quote" in bad[4] and "3 fields" in bad[6]


def test_csv_leaves_the_process_wide_field_size_limit_alone(tmp_path):
    import csv

    before = csv.field_size_limit()
    src = tmp_path / "in.csv"
    src.write_text("id,text\nbig," + "word " * 40_000 + "\n")
    [rec] = list(iter_records(src, ReadOptions("text", "id")))
    assert rec.error is None and len(rec.text) == 200_000
    assert csv.field_size_limit() == before


# ----------------------------------------------------------------------------------- bad records
def test_every_bad_record_becomes_an_error_row_and_a_rerun_does_not_die_on_it(tiny_analyzer, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": GOOD[0]}),
        '{"id": "sur", "text": "lone \\ud800 surrogate"}',
        '{"id": "bad\\udcff", "text": "a fine text"}',
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "boom", "text": "BOOM goes the tokenizer."}),
        json.dumps({"id": "ok2", "text": GOOD[1]}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    an = Exploding(tiny_analyzer)
    s = score(an, src, tmp_path / "out", id_column="id", progress=False, chunk_size=3)
    errors = {e["line"]: e for e in _errors(tmp_path / "out")}
    assert set(errors) == {2, 3, 4, 5}
    assert "surrogate" in errors[2]["reason"] and "id" in errors[3]["reason"]
    assert "nested" in errors[4]["reason"] and "tokenizer exploded" in errors[5]["reason"]
    assert errors[3]["doc_id"] == "bad\\udcff"  # escaped, so the error row itself can be written
    assert s.documents == 2 and _ids(tmp_path / "out") == {"ok1", "ok2"}
    again = score(an, src, tmp_path / "out", id_column="id", progress=False, chunk_size=3)
    assert again.documents == 2 and again.failed == 4


def test_csv_id_with_a_non_utf8_byte_is_an_error_row(tiny_analyzer, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"id,text\nok," + GOOD[0].encode() + b"\nb\xffd," + GOOD[2].encode() + b"\n")
    s = tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False)
    [err] = _errors(tmp_path / "out")
    assert err["line"] == 3 and "undecodable" in err["reason"] and s.documents == 1


def test_jsonl_with_a_utf8_bom_keeps_its_first_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps({"text": t}) + "\n" for t in GOOD).encode())
    recs = list(iter_records(src, ReadOptions()))
    assert [r.text for r in recs] == GOOD and all(r.error is None for r in recs)


def test_parquet_ids_must_be_strings_or_integers(tmp_path):
    import pandas as pd

    pd.DataFrame({"id": [1.5, 2.5], "text": GOOD[:2]}).to_parquet(tmp_path / "f.parquet")
    with pytest.raises(InputError, match="id column 'id' has type double"):
        prepare(tmp_path / "f.parquet", tmp_path / "out", id_column="id", progress=False)
    assert not (tmp_path / "out").exists()
    pd.DataFrame({"id": [7, 8], "text": GOOD[:2]}).to_parquet(tmp_path / "i.parquet")
    recs = list(iter_records(tmp_path / "i.parquet", ReadOptions("text", "id")))
    assert [r.doc_id for r in recs] == ["7", "8"]  # integers written in decimal, as documented


# ----------------------------------------------------------------------------------- disk and paths
def test_a_full_disk_stops_with_a_typed_error_and_leaves_no_temp_files(tiny_analyzer, tmp_path, monkeypatch):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD * 3])
    real_fsync = os.fsync
    calls = {"n": 0}

    def full_disk(fd):
        calls["n"] += 1
        if calls["n"] > 6:  # the manifest and a first chunk fit, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        tiny_analyzer.score(src, tmp_path / "out", progress=False, chunk_size=2)
    assert not [p for p in (tmp_path / "out").rglob("*") if ".tmp" in p.name]
    monkeypatch.setattr(os, "fsync", real_fsync)
    s = tiny_analyzer.score(src, tmp_path / "out", progress=False, chunk_size=2)
    assert s.documents == 9 and s.resumed_chunks >= 1


def test_unwritable_outputs_fail_before_the_model_loads(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        prepare(src, a_file, progress=False)
    with pytest.raises(OutputError, match="is a file"):
        prepare(src, a_file / "out", progress=False)
    # the command line says so in one line, before the (missing) model is even looked up
    r = subprocess.run(
        [sys.executable, "-m", "stancekit", "score", str(src), "-o", str(a_file), "--model", "no-such-model"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "is a file" in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_parent_fails_before_the_model_loads(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in GOOD])
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            prepare(src, ro / "out", progress=False)
    finally:
        ro.chmod(0o700)
