"""Benchmark entry point: ``python benchmarks/run.py ...`` is ``stancekit bench ...``."""

import sys

from stancekit.evaluation.harness import cli_main

if __name__ == "__main__":
    sys.exit(cli_main())
