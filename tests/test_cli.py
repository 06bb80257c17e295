import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "stancekit.cli", *args], capture_output=True, text=True, input=stdin, cwd=REPO
    )


def test_analyze_table_and_json(tiny_model_path):
    text = "Critics accused Senator Smith of lying. This disgraceful policy is a betrayal."
    out = run("analyze", "-", "--model", str(tiny_model_path), stdin=text)
    assert out.returncode == 0, out.stderr
    assert "Smith" in out.stdout and "editorial sentences:" in out.stdout
    out = run("analyze", "-", "--json", "--model", str(tiny_model_path), "--actor", "The policy=policy", stdin=text)
    data = json.loads(out.stdout)
    assert len(data["sentences"]) == 2
    assert any(st["actor"] == "The policy" for s in data["sentences"] for st in s["stances"])


def test_errors_are_one_line_and_exit_2(tiny_model_path):
    out = run("analyze", "no/such/file.txt", "--model", str(tiny_model_path))
    assert out.returncode == 2 and "no such file" in out.stderr
    out = run("analyze", "-", "--model", "no-such-model", stdin="x")
    assert out.returncode == 2 and "no stancekit model" in out.stderr


def test_actors_file_option(tmp_path, tiny_model_path):
    bad = tmp_path / "actors.yaml"
    bad.write_text("- name: Smith\n- name: ''\n")
    out = run("analyze", "-", "--model", "no-such-model", "--actors-file", str(bad), stdin="x")
    assert out.returncode == 2 and "actors.yaml[1]" in out.stderr and "non-empty string 'name'" in out.stderr
    good = tmp_path / "actors.json"
    good.write_text(json.dumps([{"name": "The policy", "aliases": ["POLICY"], "kind": "group"}]))
    text = "Critics accused Senator Smith of lying. This disgraceful policy is a betrayal."
    out = run(
        "analyze", "-", "--json", "--no-ner", "--model", str(tiny_model_path), "--actors-file", str(good), stdin=text
    )
    data = json.loads(out.stdout)
    rows = [st for s in data["sentences"] for st in s["stances"]]
    assert [(r["actor"], r["actor_kind"], r["mention"], r["resolved"]) for r in rows] == [
        ("The policy", "group", "policy", "user")
    ]


def test_reader_closing_the_pipe_early_is_not_an_error(tiny_model_path):
    # `stancekit analyze FILE | head -1`: the reader leaves after one line; the command stops quietly.
    text = " ".join(f"Senator Smith{i} criticised the budget of Governor Jones{i}." for i in range(400))
    proc = subprocess.Popen(
        [sys.executable, "-m", "stancekit.cli", "analyze", "-", "--model", str(tiny_model_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    proc.stdin.write(text)
    proc.stdin.close()
    assert proc.stdout.readline()  # the first line arrived; then the reader goes away
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_holder_split_omits_an_empty_author_part():
    """An actor only sources speak about shows its sources' figures alone, not 'author +0.00 x0'."""
    from stancekit.cli import _holder_split
    from stancekit.results import Actor

    def actor(by_holder):
        return Actor("Russia", "country", 2, ["Russia"], {"negative": 2}, -0.6, by_holder)

    empty = {"mentions": 0, "counts": {}, "mean_score": 0.0}
    only_sources = actor({"author": empty, "source": {"mentions": 2, "counts": {"negative": 2}, "mean_score": -0.6}})
    assert _holder_split(only_sources) == "  (sources -0.60 x2)"
    both = actor(
        {
            "author": {"mentions": 1, "counts": {"negative": 1}, "mean_score": -0.4},
            "source": {"mentions": 1, "counts": {"negative": 1}, "mean_score": -0.8},
        }
    )
    assert _holder_split(both) == "  (author -0.40 x1, sources -0.80 x1)"
    assert _holder_split(actor({"author": empty | {"mentions": 2}})) == ""
