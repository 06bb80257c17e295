"""Benchmark entry point in a checkout: ``python benchmarks/run.py ...`` is ``stancekit bench ...`` with the
checkout's defaults: ``--out benchmarks/results``, ``--articles examples`` and the git commit recorded.
"""

import subprocess
import sys
from pathlib import Path

from stancekit.evaluation.harness import cli_main

REPO = Path(__file__).resolve().parents[1]


def git_commit(repo: Path = REPO) -> str:
    """HEAD's short hash, flagged when the code or the model folders differ from it.

    Why: results name the commit they measured; a model refit but not yet committed would
    otherwise be credited to a commit that does not hold it.
    """
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=repo
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "stancekit", "models"],
            capture_output=True,
            text=True,
            check=True,
            cwd=repo,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} with uncommitted changes in stancekit/ or models/" if changed else head


def checkout_defaults(argv: list[str]) -> list[str]:
    """``argv`` with the checkout's output folder, example articles and commit unless given."""
    given = {a.split("=", 1)[0] for a in argv if a.startswith("--")}
    defaults = {"--out": str(REPO / "benchmarks" / "results"), "--articles": str(REPO / "examples")}
    defaults["--commit"] = git_commit()
    return argv + [x for flag, value in defaults.items() if flag not in given for x in (flag, value)]


if __name__ == "__main__":
    sys.exit(cli_main(checkout_defaults(sys.argv[1:])))
