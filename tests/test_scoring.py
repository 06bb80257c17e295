"""score(): every input format, bad records, resumability after SIGKILL."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from stancekit.errors import ResumeError

DOCS = [
    "Senator Smith praised Governor Jones on Monday. Critics called the plan a disaster.",
    "Russia and Ukraine met in Istanbul. Moscow said the talks failed.",
    "The council voted 7 to 2. Brown was hailed as a hero.",
    "Zoë Müller won the vote in Zürich.",
]


def _table(folder, name):
    return (
        pq.read_table(folder / name).to_pylist()
        if (folder / name).is_dir()
        else pq.read_table(str(folder / name) + ".parquet").to_pylist()
    )


def _expected(analyzer, docs_with_ids):
    sentences, stances = [], []
    for doc_id, text in docs_with_ids:
        d = analyzer.analyze(text)
        sentences += d.sentence_rows(doc_id)
        stances += d.stance_rows(doc_id)
    return sentences, stances


def _close(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float):
                assert abs(x[k] - y[k]) < 1e-4, (k, x, y)
            else:
                assert x[k] == y[k], (k, x, y)


def test_jsonl_equals_analyze_one_by_one(tiny_analyzer, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(DOCS * 5)))
    summary = tiny_analyzer.score(src, tmp_path / "out", id_column="id", chunk_size=3, progress=False)
    assert summary.documents == 20 and summary.failed == 0
    want_s, want_st = _expected(tiny_analyzer, [(f"d{i}", t) for i, t in enumerate(DOCS * 5)])
    _close(_table(tmp_path / "out", "sentences"), want_s)
    _close(_table(tmp_path / "out", "stances"), want_st)
    docs = _table(tmp_path / "out", "documents")
    assert len(docs) == 20 and all(0 <= d["editorial_share"] <= 1 for d in docs)
    actors = _table(tmp_path / "out", "actors")
    assert sum(a["mentions"] for a in actors) == len(want_st)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_aggregates_streamed_over_chunks_equal_a_direct_count(tiny_analyzer, tmp_path, fmt):
    """documents, document_actors and actors are computed part by part; they equal a count over all rows."""
    from collections import defaultdict

    import pandas as pd

    docs = [(f"d{i}", t) for i, t in enumerate(DOCS * 3)]
    frame = pd.DataFrame({"id": [i for i, _ in docs], "text": [t for _, t in docs]})
    tiny_analyzer.score(frame, tmp_path / "out", id_column="id", chunk_size=2, fmt=fmt, progress=False)
    sentences, stances = _expected(tiny_analyzer, docs)

    def table(name):
        f = tmp_path / "out" / f"{name}.{fmt}"
        return pq.read_table(f).to_pylist() if fmt == "parquet" else [json.loads(x) for x in f.read_text().splitlines()]

    per_doc = defaultdict(lambda: [0, 0])
    for r in sentences:
        per_doc[r["doc_id"]][0] += 1
        per_doc[r["doc_id"]][1] += int(r["editorial"])
    tallies = defaultdict(lambda: defaultdict(float))
    for r in stances:
        t = tallies[(r["doc_id"], r["actor"])]
        t["mentions"] += 1
        t[r["label"]] += 1
        t["score"] += r["p_positive"] - r["p_negative"]
    got_docs = {d["doc_id"]: d for d in table("documents")}
    assert set(got_docs) == set(per_doc)
    for doc_id, (n, ed) in per_doc.items():
        d = got_docs[doc_id]
        assert (d["sentences"], d["editorial_sentences"]) == (n, ed)
        assert d["actors"] == sum(1 for k in tallies if k[0] == doc_id)
    got_da = {(r["doc_id"], r["actor"]): r for r in table("document_actors")}
    assert set(got_da) == set(tallies)
    for key, t in tallies.items():
        r = got_da[key]
        assert r["mentions"] == t["mentions"] and all(r[lab] == t[lab] for lab in ("negative", "neutral", "positive"))
        assert abs(r["mean_score"] - t["score"] / t["mentions"]) < 1e-4
    for a in table("actors"):
        mine = [t for (doc, actor), t in tallies.items() if actor == a["actor"]]
        assert a["documents"] == len(mine) and a["mentions"] == sum(t["mentions"] for t in mine)
        assert abs(a["mean_score"] - sum(t["score"] for t in mine) / a["mentions"]) < 1e-4


def test_allocator_pinning_leaves_a_users_own_threshold_alone(monkeypatch):
    from stancekit.scoring import memory

    if memory._libc() is None:
        pytest.skip("not glibc: the allocator settings are a no-op here")
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "131072")
    assert memory.pin_mmap_threshold() is False
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_")
    assert memory.pin_mmap_threshold() is True
    memory.release_free_memory()


def test_chunks_close_on_documents_or_characters():
    from stancekit.scoring.job import _chunks
    from stancekit.scoring.readers import Record

    recs = [Record("f", i, f"d{i}", "x" * n, None) for i, n in enumerate([10, 10, 50, 10, 200, 10, 10, 10, 10])]
    chunks = [[r.doc_id for r in c] for c in _chunks(iter(recs), 3, 60)]
    assert chunks == [["d0", "d1"], ["d2", "d3"], ["d4"], ["d5", "d6", "d7"], ["d8"]]
    assert sum(len(c) for c in chunks) == len(recs)


def test_a_character_budget_and_allocator_settings_give_the_same_rows(tiny_analyzer, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(DOCS * 3)))
    a = tiny_analyzer.score(src, tmp_path / "a", id_column="id", chunk_chars=100, progress=False)
    b = tiny_analyzer.score(src, tmp_path / "b", id_column="id", progress=False, tune_allocator=False)
    assert a.documents == b.documents == 12
    for table in ("sentences", "stances"):
        _close(_table(tmp_path / "a", table), _table(tmp_path / "b", table))


@pytest.mark.parametrize("kind", ["csv", "parquet", "txt", "dataframe", "dataset", "jsonl-out"])
def test_every_input_format_gives_the_same_rows(tiny_analyzer, tmp_path, kind):
    import pandas as pd

    df = pd.DataFrame({"doc": [f"d{i}" for i in range(len(DOCS))], "body": DOCS})
    fmt = "parquet"
    if kind == "csv":
        src = tmp_path / "in.csv"
        df.to_csv(src, index=False)
    elif kind == "parquet":
        src = tmp_path / "in.parquet"
        df.to_parquet(src)
    elif kind == "txt":
        src = tmp_path / "txt"
        src.mkdir()
        for i, t in enumerate(DOCS):
            (src / f"d{i}.txt").write_text(t)
    elif kind == "dataframe":
        src = df
    elif kind == "dataset":
        from datasets import Dataset

        src = Dataset.from_pandas(df)
    else:
        src, fmt = df, "jsonl"
    id_col = None if kind == "txt" else "doc"
    text_col = "body"
    tiny_analyzer.score(src, tmp_path / "out", text_column=text_col, id_column=id_col, fmt=fmt, progress=False)
    ids = [f"d{i}.txt" for i in range(len(DOCS))] if kind == "txt" else [f"d{i}" for i in range(len(DOCS))]
    want_s, _ = _expected(tiny_analyzer, list(zip(ids, DOCS, strict=True)))
    if fmt == "jsonl":
        got = [
            json.loads(line)
            for f in sorted((tmp_path / "out" / "sentences").glob("*.jsonl"))
            for line in f.read_text().splitlines()
        ]
    else:
        got = _table(tmp_path / "out", "sentences")
    _close(got, want_s)


def test_bad_records_go_to_errors_and_the_rest_is_scored(tiny_analyzer, tmp_path):
    src = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": DOCS[0]}).encode(),  # 1 good
        b'{"text": "broken',  # 2 malformed JSON
        json.dumps({"body": "no text column"}).encode(),  # 3 missing text
        json.dumps({"text": 42}).encode(),  # 4 non-string
        b'{"text": "bad \xff\xfe bytes"}',  # 5 undecodable
        json.dumps({"text": "   "}).encode(),  # 6 empty
        json.dumps({"text": "x" * 2000}).encode(),  # 7 enormous (max_chars=1000)
        json.dumps({"text": DOCS[1]}).encode(),  # 8 good
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    summary = tiny_analyzer.score(src, tmp_path / "out", progress=False, max_chars=1000)
    errors = [
        json.loads(line)
        for f in sorted((tmp_path / "out" / "errors").glob("*.jsonl"))
        for line in f.read_text().splitlines()
    ]
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 6, 7]
    assert all(e["source"] == "mixed.jsonl" and e["reason"] for e in errors)
    assert summary.failed == 6 and summary.documents == 2
    assert {r["doc_id"] for r in _table(tmp_path / "out", "sentences")} == {"mixed.jsonl:1", "mixed.jsonl:8"}


def test_changed_options_refuse_to_resume(tiny_analyzer, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in DOCS))
    tiny_analyzer.score(src, tmp_path / "out", progress=False)
    with pytest.raises(ResumeError, match="overwrite"):
        tiny_analyzer.score(src, tmp_path / "out", progress=False, chunk_size=7)
    s = tiny_analyzer.score(src, tmp_path / "out", progress=False, chunk_size=7, overwrite=True)
    assert s.documents == len(DOCS)


@pytest.mark.slow
def test_sigkill_at_random_points_then_resume_gives_identical_rows(tiny_model_path, tmp_path):
    src = tmp_path / "in.jsonl"
    docs = [DOCS[i % len(DOCS)] + f" Item {i}." for i in range(120)]
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in docs))

    def score_cmd(out):
        return [
            sys.executable,
            "-m",
            "stancekit.cli",
            "score",
            str(src),
            "-o",
            str(tmp_path / out),
            "--model",
            str(tiny_model_path),
            "--chunk-size",
            "5",
            "--chunk-chars",
            "300",  # some chunks close on characters before 5 documents: resume must cut the same
            "--quiet",
        ]

    cmd = score_cmd("killed")
    manifest = tmp_path / "killed" / "manifest.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    rng = random.Random(7)

    def done_chunks() -> int:
        try:
            return json.loads(manifest.read_text())["done_chunks"]
        except (OSError, ValueError, KeyError):
            return 0

    kills = 0
    for _ in range(4):  # kill after a random number of new chunks, at a random moment inside the next one
        target = done_chunks() + rng.randint(1, 4)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and done_chunks() < target:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.15))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    ref = score_cmd("clean")
    assert subprocess.run(ref, env=env, capture_output=True).returncode == 0
    assert kills == 4
    for table in ("sentences", "stances"):
        a = _table(tmp_path / "killed", table)
        b = _table(tmp_path / "clean", table)
        key = lambda r: (r["doc_id"], r["sentence"], r.get("start"))  # noqa: E731
        _close(sorted(a, key=key), sorted(b, key=key))
        assert len({(r["doc_id"], r["sentence"], r["start"]) for r in a}) == len(a)  # no duplicates


@pytest.mark.slow
def test_ray_path_gives_the_local_rows(tiny_model_path, tiny_analyzer, tmp_path):
    ray = pytest.importorskip("ray", reason="the optional extra stancekit[ray] is not installed")
    from stancekit.scoring.ray import score_dataset

    rows = [{"id": f"d{i}", "text": t} for i, t in enumerate(DOCS * 3)]
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    try:
        ds = ray.data.from_items([*rows[:5], {"id": "blank", "text": "  "}, *rows[5:]])
        counts = score_dataset(ds, str(tmp_path / "ray"), model=str(tiny_model_path), docs_per_batch=4)
    finally:
        ray.shutdown()
    [error] = [json.loads(x) for f in (tmp_path / "ray" / "errors").iterdir() for x in f.read_text().splitlines()]
    assert counts["errors"] == 1 and error == {
        "source": "dataset",
        "line": 0,
        "doc_id": "blank",
        "reason": "empty document",
    }
    want_s, want_st = _expected(tiny_analyzer, [(r["id"], r["text"]) for r in rows])
    key = lambda r: (r["doc_id"], r["sentence"], r["start"])  # noqa: E731
    got_s = sorted(pq.read_table(tmp_path / "ray" / "sentences").to_pylist(), key=key)
    got_st = sorted(pq.read_table(tmp_path / "ray" / "stances").to_pylist(), key=key)
    assert counts["sentences"] == len(want_s)
    _close(got_s, sorted(want_s, key=key))
    _close(got_st, sorted(want_st, key=key))
