"""stancekit.io.records: one set of reading rules for training files and scoring inputs."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stancekit.data import read_editorial_file, read_stance_file
from stancekit.errors import DataError, InputError, RecordFileError
from stancekit.io.records import read_records, sniff_delimiter
from stancekit.scoring.readers import ReadOptions, iter_records

EDITORIAL = [("The minister resigned on Friday.", "reporting"), ("What an utter disgrace this plan is.", "editorial")]


def _read(path, **kw):
    return [(r.location, r.fields, r.error) for r in read_records(path, **kw)]


def test_jsonl_bom_blank_lines_and_bad_lines_keep_their_line_numbers(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_bytes(b'\xef\xbb\xbf{"text": "one"}\n\n{broken\n[1, 2]\n{"text": "b\xffd"}\n{"text": "five"}\n')
    got = _read(f)
    assert [(loc, fields) for loc, fields, _ in got] == [
        (1, {"text": "one"}),
        (3, None),
        (4, None),
        (5, None),
        (6, {"text": "five"}),
    ]
    errors = {loc: err for loc, _, err in got if err}
    assert "malformed JSON" in errors[3] and "not an object" in errors[4] and "undecodable bytes" in errors[5]


def test_a_json_array_is_read_whatever_the_suffix_and_items_are_numbered(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(" \n" + json.dumps([{"text": "x"}, "oops", {"text": "y"}]), encoding="utf-8")
    assert [(loc, err is None) for loc, _, err in _read(f)] == [(1, True), (2, False), (3, True)]
    (tmp_path / "b.json").write_text('[{"text": "x"}, ', encoding="utf-8")
    with pytest.raises(RecordFileError, match="JSON array that cannot be read") as info:
        list(read_records(tmp_path / "b.json"))
    assert info.value.path == str(tmp_path / "b.json")


def test_latin1_csv_and_a_semicolon_table_without_a_telling_suffix(tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes("id,text\n1,Zoë won in Zürich.\n".encode("latin-1"))
    [(_, fields, err)] = _read(f, encoding="latin-1")
    assert err is None and fields == {"id": "1", "text": "Zoë won in Zürich."}
    [(_, fields, err)] = _read(f)  # read as UTF-8 the byte is kept as a lone surrogate, for the caller to name
    assert err is None and fields["text"] == "Zo\udceb won in Z\udcfcrich."
    g = tmp_path / "b.txt"
    g.write_text('text;label\n"A; B";OBJ\n', encoding="utf-8")
    assert sniff_delimiter(g) == ";"
    assert _read(g, fmt="csv", delimiter=";") == [(2, {"text": "A; B", "label": "OBJ"}, None)]


def test_parquet_rows_are_numbered_from_one(tmp_path):
    pq.write_table(pa.table({"text": ["a", "b"], "n": [1, 2]}), tmp_path / "a.parquet")
    assert _read(tmp_path / "a.parquet") == [(1, {"text": "a", "n": 1}, None), (2, {"text": "b", "n": 2}, None)]
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(RecordFileError, match="not a readable Parquet file"):
        list(read_records(tmp_path / "bad.parquet"))


def test_whole_file_problems_are_both_data_and_input_errors(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        list(read_records(tmp_path / "missing.jsonl"))
    (tmp_path / "x.xml").write_text("<a/>")
    with pytest.raises(InputError, match="unknown file type '.xml'"):
        list(read_records(tmp_path / "x.xml"))
    (tmp_path / "a.jsonl").write_text("{}\n")
    with pytest.raises(RecordFileError, match="unknown encoding 'klingon'"):
        list(read_records(tmp_path / "a.jsonl", encoding="klingon"))
    (tmp_path / "h.csv").write_text('"id,text\n1,x\n')
    with pytest.raises(RecordFileError, match="line 1: the header is not valid CSV"):
        list(read_records(tmp_path / "h.csv"))


# ----------------------------------------------------------------- both callers follow the same rules
def test_training_files_and_scoring_inputs_read_the_same_records(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text(
        "text,label\n" + "".join(f'"{t}",{lab}\n' for t, lab in EDITORIAL) + '"A field over\ntwo lines.",reporting\n',
        encoding="utf-8-sig",
    )
    rows = read_editorial_file(f)
    recs = list(iter_records(f, ReadOptions("text")))
    assert (
        [r["text"] for r in rows] == [r.text for r in recs] == [t for t, _ in EDITORIAL] + ["A field over\ntwo lines."]
    )
    assert [r.location for r in recs] == [2, 3, 4]


def test_a_stance_file_may_have_a_bom_or_be_a_json_array(tmp_path):
    row = {"text": "Critics attacked Smith.", "target": "Smith", "label": "negative"}
    bom = tmp_path / "s.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(row).encode() + b"\n")
    arr = tmp_path / "s.json"
    arr.write_text(json.dumps([row, row]), encoding="utf-8")
    assert [(r["start"], r["end"]) for r in read_stance_file(bom)] == [(17, 22)]
    assert len(read_stance_file(arr)) == 2


def test_a_bad_csv_row_in_a_training_file_names_its_line(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text('text,label\n"Fine.",reporting\n"Never closes,editorial\nAlso fine.,reporting\n', encoding="utf-8")
    with pytest.raises(DataError, match="unbalanced quote") as info:
        read_editorial_file(f)
    assert info.value.line == 3 and str(f) in str(info.value)
    g = tmp_path / "g.csv"
    g.write_text("text,label\nOne,two,reporting\n", encoding="utf-8")
    with pytest.raises(DataError, match="3 fields where the header has 2") as info:
        read_editorial_file(g)
    assert info.value.line == 2


def test_training_files_take_an_encoding_and_name_undecodable_text(tmp_path):
    f = tmp_path / "e.tsv"
    f.write_bytes("sentence\tlabel\nZoë spoke in Zürich.\tOBJ\n".encode("latin-1"))
    assert read_editorial_file(f, encoding="latin-1")[0]["text"] == "Zoë spoke in Zürich."
    with pytest.raises(DataError, match="undecodable bytes") as info:
        read_editorial_file(f)
    assert (info.value.line, info.value.field) == (2, "sentence")
    j = tmp_path / "s.jsonl"
    j.write_bytes(b'{"text": "Smith \xff lied.", "target": "Smith", "label": "negative"}\n')
    with pytest.raises(DataError, match="undecodable bytes") as info:
        read_stance_file(j)
    assert info.value.line == 1


def test_a_row_without_its_empty_last_column_is_kept_in_training_files_only(tmp_path):
    f = tmp_path / "e.tsv"
    f.write_text(
        "sentence_id\tsentence\tlabel\tsolved_conflict\n1\tFine.\tOBJ\tTrue\n2\tAwful.\tSUBJ\n", encoding="utf-8"
    )
    assert [r["label"] for r in read_editorial_file(f)] == ["reporting", "editorial"]
    recs = list(iter_records(f, ReadOptions("sentence")))
    assert recs[0].error is None and "3 fields where the header has 4" in recs[1].error
