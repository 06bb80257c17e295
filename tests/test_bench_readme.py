"""``stancekit bench --readme``: the README's results block is the harness's Markdown, replaced in place."""

import pytest

from stancekit.errors import InputError
from stancekit.evaluation.harness import README_BEGIN, README_END, write_readme_block

MD = "# stancekit benchmark\n\n- date: today\n\n## Macro-F1\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def test_block_is_replaced_and_the_rest_kept(tmp_path):
    f = tmp_path / "README.md"
    f.write_text(f"# Title\n\nintro\n\n{README_BEGIN}\nold numbers\n{README_END}\n\n## After\n")
    write_readme_block(f, MD)
    text = f.read_text()
    assert text.startswith("# Title\n\nintro\n\n") and text.endswith(f"{README_END}\n\n## After\n")
    assert "old numbers" not in text and "# stancekit benchmark" not in text
    assert "### Macro-F1" in text and "| 1 | 2 |" in text
    write_readme_block(f, MD)  # idempotent
    assert f.read_text() == text


@pytest.mark.parametrize(
    "body", ["no markers", f"{README_END}\n{README_BEGIN}", f"{README_BEGIN}{README_BEGIN}{README_END}"]
)
def test_missing_or_broken_markers_are_refused(tmp_path, body):
    f = tmp_path / "README.md"
    f.write_text(body)
    with pytest.raises(InputError, match="README.md: needs exactly one"):
        write_readme_block(f, MD)


def test_model_specs_name_their_variant_and_variants_compare_with_float32():
    from stancekit.evaluation.harness import _float32_reference, parse_model_spec

    assert parse_model_spec("news-small") == ("news-small", "", {})
    assert parse_model_spec("news-small:int8") == ("news-small", "int8", {"quantize": True})
    assert parse_model_spec("/m/x:fp32") == ("/m/x", "fp32", {"precision": "float32"})
    assert parse_model_spec("/m/x:bf16") == ("/m/x", "bf16", {"precision": "bfloat16"})
    assert parse_model_spec("C:/models/x") == ("C:/models/x", "", {})  # a colon that names no variant
    models = {
        "a": {"path": "/m/a", "precision": "bfloat16", "quantized": False},
        "a-fp32": {"path": "/m/a", "precision": "float32", "quantized": False},
        "a-int8": {"path": "/m/a", "precision": "float32", "quantized": True},
        "b": {"path": "/m/b", "precision": "bfloat16", "quantized": False},
    }
    assert _float32_reference(models, models["a"]) is models["a-fp32"]
    assert _float32_reference(models, models["a-int8"]) is models["a-fp32"]
    assert _float32_reference(models, models["b"]) is None


def test_results_name_the_commit_and_flag_uncommitted_code_or_models(tmp_path, monkeypatch):
    """A model refit but not committed must not be credited to HEAD as if HEAD held it (benchmarks/run.py)."""
    import importlib.util
    import subprocess
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).parents[1] / "benchmarks" / "run.py")
    bench_run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_run)

    def _git_commit():
        return bench_run.git_commit(tmp_path)

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "config.json").write_text("{}")
    (tmp_path / "notes.md").write_text("x")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
    head = _git_commit()
    assert head and " " not in head  # clean: the bare short hash
    (tmp_path / "notes.md").write_text("y")  # outside code and models: still clean
    assert _git_commit() == head
    (tmp_path / "models" / "config.json").write_text('{"t": 1}')
    assert _git_commit() == f"{head} with uncommitted changes in stancekit/ or models/"


def test_the_checkout_entry_point_fills_in_what_the_harness_takes_as_arguments():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).parents[1] / "benchmarks" / "run.py")
    bench_run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_run)
    argv = bench_run.checkout_defaults(["--models", "m", "--out=mine"])
    assert argv[:3] == ["--models", "m", "--out=mine"] and argv.count("--out") == 0  # the user's folder stays
    assert argv[argv.index("--articles") + 1] == str(bench_run.REPO / "examples")
    assert argv[argv.index("--commit") + 1]


def _rep(f):
    return {"macro_f1": f, "macro_f1_ci95": [f - 0.01, f + 0.01], "ece": 0.0, "ece_uncalibrated": 0.0,
            "accuracy": f, "task": "stance"}  # fmt: skip


def _result(models: dict, **extra) -> dict:
    """A harness result over one NewsMTSC dev set, as the README block and results.md read it."""
    return {
        "date": "2026-01-01T00:00:00",
        "commit": "abc",
        "command": "stancekit bench",
        "quick": False,
        "datasets": {"newsmtsc-rw-dev": {"task": "stance", "n": 10}},
        "models": models,
        "baselines": {},
        "published": [],
        **extra,
    }


def test_sets_scored_under_another_convention_are_also_shown_under_the_default():
    from stancekit.evaluation.harness import to_markdown, to_readme_markdown

    result = _result(
        {
            "conv": {
                "accuracy": {"newsmtsc-rw-dev": _rep(0.85)},
                "default_convention": {"newsmtsc-rw-dev": _rep(0.78)},
            },
            "plain": {"accuracy": {"newsmtsc-rw-dev": _rep(0.80)}},
        }
    )
    readme = to_readme_markdown(result)
    assert (
        "| `conv` | 0.850 |" in readme
        and "under the default one, which `analyze()` follows: newsmtsc-rw-dev 0.780" in readme
    )
    assert "`plain` scores" not in readme
    full = to_markdown(result)
    assert "| stancekit `conv` | **0.780** [0.770, 0.790] |" in full and "stancekit `plain` | **0.780**" not in full


def test_holders_are_shown_for_the_rules_and_for_each_models_probe():
    from stancekit.evaluation.harness import to_markdown, to_readme_markdown

    def holders(kind, name):
        return {
            "articlestance-test": {
                "pairs": 10, "sentences": 8, "source_pairs": 4, "holder_kind_accuracy": kind,
                "source_name_accuracy": name,
                "baseline_always_author": {"holder_kind_accuracy": 0.6, "source_name_accuracy": 0.0},
            }
        }  # fmt: skip

    result = _result(
        {
            "probed": {"accuracy": {"newsmtsc-rw-dev": _rep(0.8)}, "holders": holders(0.9, 0.75)},
            "plain": {"accuracy": {"newsmtsc-rw-dev": _rep(0.8)}},
        },
        holders=holders(0.8, 0.5),
    )
    readme = to_readme_markdown(result)
    assert "10 polar pairs, 4 of them source-held; always-author baseline: holder kind 0.600" in readme
    assert "| rules | 0.800 | 0.500 |" in readme and "| `probed` (rules + probe) | 0.900 | 0.750 |" in readme
    assert "`plain` (rules + probe)" not in readme
    full = to_markdown(result)
    assert "| articlestance-test | rules | 10 (8) | **0.800** |" in full
    assert "| articlestance-test | `probed` (rules + probe) | 10 (8) | **0.900** |" in full
