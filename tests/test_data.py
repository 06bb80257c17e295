import json

import pytest

from stancekit.data import read_editorial_file, read_stance_file
from stancekit.data.sources import load_dataset, load_rows
from stancekit.errors import DataError

# --- the real shared files (skip cleanly elsewhere) -------------------------------------------

EXPECTED = {
    "newsmtsc-train": (8739, {"negative": 3316, "neutral": 3028, "positive": 2395}),
    "newsmtsc-rw-dev": (343, {"negative": 134, "neutral": 136, "positive": 73}),
    "newsmtsc-mt-dev": (442, {"negative": 136, "neutral": 217, "positive": 89}),
    "checkthat-train": (830, {"reporting": 532, "editorial": 298}),
    "checkthat-dev": (462, {"reporting": 222, "editorial": 240}),
    "checkthat-dev-test": (484, {"reporting": 362, "editorial": 122}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_datasets_row_counts_and_labels(shared_data, name):
    rows = load_rows(name, shared_data)
    n, counts = EXPECTED[name]
    assert len(rows) == n
    got = {}
    for r in rows:
        got[r["label"]] = got.get(r["label"], 0) + 1
    assert got == counts
    if name.startswith("newsmtsc"):
        assert all(0 <= r["start"] < r["end"] <= len(r["text"]) for r in rows)


def test_babe_split_is_fixed_stratified_and_disjoint(shared_data):
    train, dev = load_rows("babe-train", shared_data), load_rows("babe-dev", shared_data)
    assert len(train) + len(dev) == 3126  # 3,127 rows minus 1 "No agreement"
    assert not {r["text"] for r in train} & {r["text"] for r in dev}
    share = sum(r["label"] == "editorial" for r in dev) / len(dev)
    assert 0.45 < share < 0.55
    assert load_rows("babe-dev", shared_data) == dev  # deterministic
    opinion = load_rows("babe-dev", shared_data, babe_labels="opinion")
    assert {r["text"] for r in opinion} <= {r["text"] for r in dev}


def test_load_dataset_returns_hf_dataset(shared_data):
    ds = load_dataset("newsmtsc-rw-dev", shared_data)
    assert ds.num_rows == 343
    assert set(ds.column_names) == {"text", "start", "end", "label", "source", "group"}


def test_raw_formats_read_by_path(shared_data):
    rows = read_stance_file(shared_data / "newsmtsc" / "paper_splits" / "newsmtsc-mt" / "dev.jsonl")
    assert len(rows) == 442
    rows = read_editorial_file(shared_data / "checkthat2025_subjectivity_en" / "dev_test_en.tsv")
    assert len(rows) == 484 and {r["label"] for r in rows} == {"editorial", "reporting"}


# --- users' files and their errors ------------------------------------------------------------


def test_stance_file_with_target_text_and_polarity_numbers(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text('text,target,label\n"Critics attacked Smith.",Smith,2.0\n"Jones won.",Jones,positive\n')
    rows = read_stance_file(f)
    assert [(r["start"], r["end"], r["label"]) for r in rows] == [(17, 22, "negative"), (0, 5, "positive")]


@pytest.mark.parametrize(
    "content, line, field",
    [
        (
            '{"text": "a b", "start": 0, "end": 1, "label": "positive"}\n{"text": "x", "start": 0, "end": 5, "label": "neutral"}\n',
            2,
            "start/end",
        ),
        ('{"text": "a b", "start": 0, "end": 1, "label": "meh"}\n', 1, "label"),
        ('{"text": "a b", "target": "zzz", "label": "neutral"}\n', 1, "target"),
        ('{"text": 5, "target": "a", "label": "neutral"}\n', 1, "text"),
        ('{"text": "ok", "start": 0, "end": 1, "label": "neutral"}\n{not json\n', 2, None),
    ],
)
def test_bad_stance_rows_name_file_line_and_field(tmp_path, content, line, field):
    f = tmp_path / "bad.jsonl"
    f.write_text(content)
    with pytest.raises(DataError) as info:
        read_stance_file(f)
    err = info.value
    assert err.line == line and err.field == field and str(f) in str(err)


def test_bad_newsmtsc_target(tmp_path):
    f = tmp_path / "raw.jsonl"
    f.write_text(
        json.dumps(
            {
                "sentence_normalized": "Trump spoke.",
                "targets": [{"from": 0, "to": 5, "polarity": 4.0}, {"from": 0, "to": 5, "polarity": 3.0}],
            }
        )
        + "\n"
    )
    with pytest.raises(DataError, match=r"targets\[1\]\.polarity"):
        read_stance_file(f)


def test_editorial_file_errors(tmp_path):
    f = tmp_path / "e.tsv"
    f.write_text("sentence_id\tsentence\tlabel\n1\tFine.\tOBJ\n2\tHmm.\tMAYBE\n")
    with pytest.raises(DataError) as info:
        read_editorial_file(f)
    assert info.value.line == 3 and info.value.field == "label"
    with pytest.raises(DataError, match="file not found"):
        read_editorial_file(tmp_path / "missing.tsv")
    with pytest.raises(DataError, match="unknown file type"):
        (tmp_path / "x.xml").write_text("<a/>")
        read_editorial_file(tmp_path / "x.xml")


def test_missing_data_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="STANCEKIT_DATA"):
        load_rows("checkthat-dev", tmp_path / "nowhere")
    with pytest.raises(DataError, match="unknown dataset"):
        load_rows("imdb", tmp_path)
