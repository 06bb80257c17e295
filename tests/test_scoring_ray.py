"""The Ray engine writes the folder the local path writes: same tables, rows, errors and aggregates."""

import json

import pyarrow.parquet as pq
import pytest

from stancekit.scoring.read import TABLE_NAMES, read_scored

DOCS = [
    "Senator Smith praised Governor Jones on Monday. Critics called the plan a disaster.",
    "Russia and Ukraine met in Istanbul. Moscow said the talks failed.",
    "The council voted 7 to 2. Brown was hailed as a hero.",
    "Governor Jones denied the claims. Smith said Jones had lied to voters.",
]


def _corpus(path):
    rows = [{"id": f"d{i}", "outlet": "North" if i % 2 else "South", "text": t} for i, t in enumerate(DOCS * 2)]
    lines = [json.dumps(r) for r in rows]
    lines.insert(2, json.dumps({"id": "blank", "outlet": "North", "text": "   "}))  # a record that fails
    lines.insert(5, "{not json")  # and one that cannot be read
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _schemas(folder):
    out = {}
    for p in sorted(folder.rglob("*.parquet")):
        name = p.relative_to(folder).parts[0].removesuffix(".parquet")
        out.setdefault(name, pq.read_schema(p))
    return out


@pytest.mark.slow
def test_ray_engine_writes_what_the_local_path_writes(tiny_analyzer, tiny_model_path, tmp_path):
    ray = pytest.importorskip("ray", reason="the optional extra stancekit[ray] is not installed")
    from stancekit.scoring.ray import score_with_ray

    src = _corpus(tmp_path / "in.jsonl")
    options = {"id_column": "id", "group_by": "outlet", "chunk_size": 3, "progress": False}
    local = tiny_analyzer.score(src, tmp_path / "local", **options)
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    try:
        remote = score_with_ray(src, tmp_path / "ray", model=str(tiny_model_path), **options)
    finally:
        ray.shutdown()
    assert (remote.documents, remote.failed, remote.sentences, remote.stances) == (
        local.documents,
        local.failed,
        local.sentences,
        local.stances,
    )
    assert local.documents == 8 and local.failed == 2
    a, b = read_scored(tmp_path / "local"), read_scored(tmp_path / "ray")
    for name in TABLE_NAMES:
        assert len(b.table(name)) == len(a.table(name)), name
        assert list(b.table(name).columns) == list(a.table(name).columns), name
    for name in ("errors", "documents", "document_actors", "actors", "actor_registry", "groups"):
        assert len(a.table(name)), name  # each table is really compared with rows in it
    assert _schemas(tmp_path / "ray") == _schemas(tmp_path / "local")
    errors = sorted(b.errors.to_dict("records"), key=lambda r: r["line"])
    assert errors == sorted(a.errors.to_dict("records"), key=lambda r: r["line"])
    assert [(e["line"], e["doc_id"]) for e in errors] == [(3, "blank"), (6, "in.jsonl:6")]
    assert b.documents.to_dict("records") == a.documents.to_dict("records")
    assert b.manifest["tables"] == a.manifest["tables"] and b.manifest["complete"]


def test_the_command_line_passes_its_options_to_the_ray_engine_as_keywords(tmp_path, monkeypatch):
    import stancekit.scoring.ray as skray
    from stancekit.cli import build_parser
    from stancekit.scoring.job import ScoreSummary

    seen = {}

    def fake(inputs, output, **kwargs):
        seen.update(kwargs, inputs=inputs, output=output)
        return ScoreSummary(str(output), 0, 0, 0, 0, 0.0, 0)

    monkeypatch.setattr(skray, "score_with_ray", fake)
    src = _corpus(tmp_path / "in.jsonl")
    argv = ["score", str(src), "-o", str(tmp_path / "out"), "--engine", "ray", "--workers", "3", "--id-column", "id"]
    args = build_parser().parse_args([*argv, "--group-by", "outlet", "--quiet"])
    assert args.func(args) == 0  # the command's own code, without the process settings main() opts in to
    assert seen["concurrency"] == 3 and seen["id_column"] == "id" and seen["group_by"] == "outlet"
    assert seen["progress"] is False and seen["fmt"] == "parquet" and seen["inputs"] == [str(src)]
