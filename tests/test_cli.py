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
