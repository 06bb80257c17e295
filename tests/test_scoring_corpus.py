"""score() for researchers: safe reruns, fail-fast inputs, metadata through, groups, languages, interrupts."""

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import stancekit
from stancekit.errors import InputChangedError, InputError, LanguageWarning, OptionsChangedError, ResumeError
from stancekit.scoring.job import prepare

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus" / "articles.jsonl"


def _articles(n: int | None = None) -> list[dict]:
    rows = [json.loads(x) for x in CORPUS.read_text("utf-8").splitlines()]
    return rows[:n] if n else rows


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(folder: Path, table: str) -> list[dict]:
    path = folder / table if (folder / table).is_dir() else folder / f"{table}.parquet"
    return pq.read_table(path).to_pylist()


def _errors(out: Path) -> list[dict]:
    return [json.loads(x) for f in sorted((out / "errors").glob("*.jsonl")) for x in f.read_text().splitlines()]


def _key(r):
    return (r["doc_id"], r["sentence"], r.get("start"), r.get("actor", ""))


def _same_rows(a: list[dict], b: list[dict]) -> None:
    a, b = sorted(a, key=_key), sorted(b, key=_key)
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float):
                assert abs(x[k] - y[k]) < 1e-4, (k, x, y)
            else:
                assert x[k] == y[k], (k, x, y)


# ----------------------------------------------------------------------------------- safe reruns
def test_a_grown_input_refuses_in_one_line_then_update_scores_only_the_new_documents(tiny_analyzer, tmp_path):
    src = _write(tmp_path / "articles.jsonl", _articles(5))
    tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False)
    before = {r["doc_id"]: r for r in _rows(tmp_path / "out", "sentences")}
    rows = _articles(15)
    rows[1] = {**rows[1], "text": rows[1]["text"] + " Quill later thanked the council."}  # changed
    _write(src, rows)
    with pytest.raises(InputChangedError) as info:
        tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False)
    msg = str(info.value)
    assert "articles.jsonl: 5 -> 15 records" in msg and "overwrite=True" in msg and "update=True" in msg
    assert "\n" not in msg and len(msg) < 300
    assert "--update" in info.value.cli_message() and "--overwrite" in info.value.cli_message()
    s = tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False, update=True)
    assert s.kept == 4 and s.documents == 15  # hl-002 changed: rescored with the 10 new ones
    fresh = tmp_path / "fresh"
    tiny_analyzer.score(src, fresh, id_column="id", progress=False)
    for table in ("sentences", "stances"):
        _same_rows(_rows(tmp_path / "out", table), _rows(fresh, table))
    docs = {d["doc_id"]: d for d in _rows(tmp_path / "out", "documents")}
    assert len(docs) == 15 and docs == {d["doc_id"]: d for d in _rows(fresh, "documents")}
    unchanged = [r for r in _rows(tmp_path / "out", "sentences") if r["doc_id"] == "hl-001"]
    assert unchanged and unchanged[0] == before["hl-001"] | {k: unchanged[0][k] for k in unchanged[0]}


def test_a_dataframe_with_other_content_refuses(tiny_analyzer, tmp_path):
    df = pd.DataFrame(_articles(4))
    tiny_analyzer.score(df, tmp_path / "out", id_column="id", progress=False)
    other = df.copy()
    other.loc[2, "text"] = "Senator Tobias Renn resigned on Friday."
    with pytest.raises(InputChangedError, match="DataFrame: 4 records -> 4 records with other content"):
        tiny_analyzer.score(other, tmp_path / "out", id_column="id", progress=False)
    assert tiny_analyzer.score(df.copy(), tmp_path / "out", id_column="id", progress=False).documents == 4


def test_a_changed_option_is_named_alone_with_the_flag_of_the_interface(tiny_analyzer, tmp_path):
    src = _write(tmp_path / "in.jsonl", [{"text": a["text"], "body": a["text"]} for a in _articles(3)])
    tiny_analyzer.score(src, tmp_path / "out", progress=False)
    with pytest.raises(OptionsChangedError) as info:
        tiny_analyzer.score(src, tmp_path / "out", text_column="body", progress=False)
    assert "text_column changed: text -> body" in str(info.value) and "overwrite=True" in str(info.value)
    assert "chunk" not in str(info.value) and "model_config" not in str(info.value)
    cli = info.value.cli_message()
    assert "--text-column changed: text -> body" in cli and "--overwrite" in cli


def test_a_changed_setting_without_a_flag_is_named_without_dashes_on_the_command_line():
    err = OptionsChangedError(
        "out",
        [("stancekit_version", "0.1.0", "0.2.0"), ("spacy_model", "a", "b"), ("use_ner", True, False)],
        ["overwrite"],
    )
    cli = err.cli_message()
    assert "; stancekit_version changed: 0.1.0 -> 0.2.0" in cli.replace("(", "; ")
    assert "spacy_model changed" in cli and "--spacy-model" not in cli and "--stancekit-version" not in cli
    assert "--no-ner changed: True -> False" in cli and cli.endswith("pass --overwrite")


def test_a_folder_of_an_older_schema_is_never_resumed(tiny_analyzer, tmp_path):
    src = _write(tmp_path / "in.jsonl", [{"text": a["text"]} for a in _articles(2)])
    tiny_analyzer.score(src, tmp_path / "out", progress=False)
    manifest = tmp_path / "out" / "manifest.json"
    state = json.loads(manifest.read_text())
    state["schema_version"] = 1
    manifest.write_text(json.dumps(state))
    with pytest.raises(ResumeError, match="results schema 1"):
        tiny_analyzer.score(src, tmp_path / "out", progress=False)


# ----------------------------------------------------------------------------------- fail fast
def test_a_missing_input_or_column_fails_before_any_folder_exists(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(InputError, match="does not exist"):
        prepare(tmp_path / "artcles.jsonl", out)
    csv = tmp_path / "in.csv"
    pd.DataFrame(_articles(3)).to_csv(csv, index=False)
    with pytest.raises(InputError, match=r"no id column 'doc'; columns found: id, outlet, date, genre, text"):
        prepare(csv, out, id_column="doc")
    with pytest.raises(InputError, match="no text column 'body'"):
        prepare(pd.DataFrame(_articles(3)), out, text_column="body")
    assert not out.exists()


def test_a_json_array_is_read_and_latin1_needs_its_encoding(tiny_analyzer, tmp_path):
    arr = tmp_path / "articles.json"
    arr.write_text(json.dumps(_articles(3)), encoding="utf-8")
    s = tiny_analyzer.score(arr, tmp_path / "a", id_column="id", progress=False)
    assert s.documents == 3 and s.failed == 0
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\nz1,Zoë Brandt met the mayor of Kämpen on Monday.\n".encode("latin-1"))
    s = tiny_analyzer.score(latin, tmp_path / "b", id_column="id", progress=False)
    assert s.failed == 1 and "undecodable" in _errors(tmp_path / "b")[0]["reason"]
    s = tiny_analyzer.score(latin, tmp_path / "c", id_column="id", encoding="latin-1", progress=False)
    assert s.documents == 1 and _rows(tmp_path / "c", "sentences")[0]["text"].startswith("Zoë Brandt")


def test_unknown_files_in_a_folder_are_listed_and_an_empty_input_writes_typed_tables(tiny_analyzer, tmp_path):
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "a.txt").write_text(_articles(1)[0]["text"])
    (folder / "B.TXT").write_text(_articles(2)[1]["text"])
    (folder / "notes.md").write_text("# not an article")
    s = tiny_analyzer.score(folder, tmp_path / "out", progress=False)
    assert s.documents == 2 and s.unknown_files == [str(folder / "notes.md")] and "notes.md" in str(s)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    s = tiny_analyzer.score(empty, tmp_path / "e", progress=False)
    assert str(s).startswith("no documents")
    for name in ("sentences", "stances", "documents", "actors"):
        t = pq.read_table(tmp_path / "e" / name) if name in ("sentences", "stances") else None
        t = t if t is not None else pq.read_table(tmp_path / "e" / f"{name}.parquet")
        assert t.num_rows == 0 and "doc_id" in t.schema.names or name == "actors"


def test_duplicate_ids_go_to_errors_and_never_merge(tiny_analyzer, tmp_path):
    rows = _articles(3)
    rows.append({**rows[0], "text": "Senator Tobias Renn said nothing at all."})
    src = _write(tmp_path / "in.jsonl", rows)
    s = tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False)
    [err] = _errors(tmp_path / "out")
    assert err["line"] == 4 and err["reason"].startswith("duplicate of line 1") and err["doc_id"] == "hl-001"
    assert s.documents == 3 and len(_rows(tmp_path / "out", "documents")) == 3


# ----------------------------------------------------------------------------------- metadata and groups
def test_metadata_rides_along_with_its_types(tiny_analyzer, tmp_path):
    df = pd.DataFrame(_articles(6))
    df["date"] = pd.to_datetime(df["date"]).dt.date
    df["words"] = df["text"].str.split().str.len()
    tiny_analyzer.score(df, tmp_path / "df", id_column="id", progress=False, keep_columns=["outlet"])
    docs = pq.read_table(tmp_path / "df" / "documents.parquet")
    assert str(docs.schema.field("date").type) == "date32[day]" and str(docs.schema.field("words").type) == "int64"
    assert docs.to_pylist()[0]["date"] == dt.date(2026, 3, 2)
    sent = pq.read_table(tmp_path / "df" / "sentences")
    assert "outlet" in sent.schema.names and "genre" not in sent.schema.names
    src = _write(tmp_path / "in.jsonl", _articles(4))
    tiny_analyzer.score(src, tmp_path / "js", id_column="id", progress=False)
    stances = pq.read_table(tmp_path / "js" / "stances")
    assert {"outlet", "date", "genre"} <= set(stances.schema.names)  # all kept by default
    assert str(stances.schema.field("date").type) == "date32[day]"  # ISO dates in JSON stay dates


def test_groups_carry_a_seeded_document_bootstrap_and_compare_reads_them_back(tiny_analyzer, tmp_path):
    src = _write(tmp_path / "in.jsonl", [a for a in _articles() if a["id"] != "vd-006"])
    py_state, np_state = random.getstate(), np.random.get_state()
    tiny_analyzer.score(
        src,
        tmp_path / "out",
        id_column="id",
        progress=False,
        group_by="outlet,date:month",
        seed=3,
        use_ner=False,
        actors=["Mara Quill", "Tobias Renn"],
    )
    assert random.getstate() == py_state and np.array_equal(np.random.get_state()[1], np_state[1])
    groups = pq.read_table(tmp_path / "out" / "groups.parquet").to_pandas()
    assert list(groups.columns[:2]) == ["outlet", "date_month"]
    allrows = groups[groups["holder_kind"] == "all"]
    assert set(allrows["outlet"]) == {"Harbor Ledger", "Northfield Courier", "Valley Dispatch"}
    assert (
        (allrows["ci_low"] <= allrows["mean_score"] + 1e-9) & (allrows["mean_score"] <= allrows["ci_high"] + 1e-9)
    ).all()
    shares = allrows[["share_negative", "share_neutral", "share_positive"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    # counted by hand from the stance rows
    stances = pd.DataFrame(_rows(tmp_path / "out", "stances"))
    quill = stances[(stances["actor"] == "Mara Quill") & (stances["outlet"] == "Harbor Ledger")]
    by_outlet = stancekit.read_scored(tmp_path / "out").compare("outlet", "mara quill", seed=3)
    row = by_outlet[by_outlet["outlet"] == "Harbor Ledger"].iloc[0]
    assert row["mentions"] == len(quill) and row["documents"] == quill["doc_id"].nunique()
    assert abs(row["mean_score"] - (quill["p_positive"] - quill["p_negative"]).mean()) < 1e-4
    again = stancekit.read_scored(tmp_path / "out").compare("outlet", "Mara Quill", seed=3)
    pd.testing.assert_frame_equal(by_outlet, again)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "stancekit",
            "compare",
            str(tmp_path / "out"),
            "--by",
            "outlet",
            "--actor",
            "Mara Quill",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0 and "Northfield Courier" in r.stdout and "95% interval" in r.stdout


def test_output_none_returns_dataframes_in_memory(tiny_analyzer):
    scored = tiny_analyzer.score(pd.DataFrame(_articles(3)), None, id_column="id", group_by="outlet")
    assert isinstance(scored.documents, pd.DataFrame) and len(scored.documents) == 3
    assert set(scored.documents["outlet"]) == {"Harbor Ledger"} and scored.summary.documents == 3
    assert len(scored.sentences) == scored.summary.sentences and "holder_kind" in scored.groups.columns


# ----------------------------------------------------------------------------------- language
def test_non_english_documents_go_to_errors_unless_any_language_is_asked_for(tiny_analyzer, tmp_path):
    src = _write(tmp_path / "in.jsonl", _articles()[-4:])  # vd-006, the last, is German
    s = tiny_analyzer.score(src, tmp_path / "out", id_column="id", progress=False)
    [err] = _errors(tmp_path / "out")
    assert err["doc_id"] == "vd-006" and err["reason"] == "language: de" and s.documents == 3
    assert set(pq.read_table(tmp_path / "out" / "documents.parquet").column("language").to_pylist()) == {"en"}
    with pytest.warns(LanguageWarning, match="1 de"):
        s = tiny_analyzer.score(src, tmp_path / "any", id_column="id", progress=False, languages="any")
    assert s.documents == 4 and s.failed == 0


def test_analyze_warns_on_text_that_is_not_english(tiny_analyzer):
    with pytest.warns(LanguageWarning, match="de"):
        doc = tiny_analyzer.analyze("Die Regierung hat am Dienstag neue Regeln für die Häfen beschlossen.")
    assert doc.language == "de"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", LanguageWarning)
        assert tiny_analyzer.analyze("The council voted on the new harbor rules on Tuesday.").language == "en"


# ----------------------------------------------------------------------------------- conventions
def test_document_repr_is_short_and_readable(tiny_analyzer):
    doc = tiny_analyzer.analyze("Senator Smith praised Governor Jones on Monday. " * 5)
    text = repr(doc)
    assert text.startswith("Document(text='Senator Smith") and "sentences=5" in text and len(text) < 300


def test_python_m_version_and_help_with_defaults():
    r = subprocess.run([sys.executable, "-m", "stancekit", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"stancekit {stancekit.__version__}"
    from stancekit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        for action in p._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, (name, action.option_strings)
        assert "(default:" in p.format_help() or name == "compare", name
    assert "--group-by" in sub.choices["score"].format_help() and "--actor" in sub.choices["score"].format_help()


# ----------------------------------------------------------------------------------- interrupts
@pytest.mark.slow
def test_ctrl_c_says_how_to_resume_and_the_resumed_run_equals_an_uninterrupted_one(tiny_model_path, tmp_path):
    rows = []
    for i in range(3):
        rows += [{**a, "id": f"{a['id']}-{i}"} for a in _articles() if a["id"] != "vd-006"]
    src = _write(tmp_path / "in.jsonl", rows)

    def cmd(out):
        return [
            sys.executable,
            "-m",
            "stancekit",
            "score",
            str(src),
            "-o",
            str(tmp_path / out),
            "--model",
            str(tiny_model_path),
            "--id-column",
            "id",
            "--chunk-size",
            "3",
            "--quiet",
            "--group-by",
            "outlet",
        ]

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # a shell without job control starts background jobs with SIGINT ignored, and Python keeps an inherited
    # SIG_IGN: the child gets the default disposition back, as a job run from a terminal has
    proc = subprocess.Popen(
        cmd("cut"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    manifest = tmp_path / "cut" / "manifest.json"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            if json.loads(manifest.read_text())["done_chunks"] >= 2:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    last = err.strip().splitlines()
    assert len(last) == 1 and last[0].startswith("stancekit: interrupted after ")
    assert last[0].endswith("documents; run the same command to resume")
    assert subprocess.run(cmd("cut"), env=env, capture_output=True).returncode == 0
    assert subprocess.run(cmd("clean"), env=env, capture_output=True).returncode == 0
    for table in ("sentences", "stances"):
        _same_rows(_rows(tmp_path / "cut", table), _rows(tmp_path / "clean", table))
    for name in ("documents", "groups"):
        a = pq.read_table(tmp_path / "cut" / f"{name}.parquet").to_pylist()
        b = pq.read_table(tmp_path / "clean" / f"{name}.parquet").to_pylist()
        assert a == b
    shutil.rmtree(tmp_path / "clean")
