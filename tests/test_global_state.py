"""Library calls leave process-global state as they found it: env vars, the csv field limit, RNGs, inputs.

One fresh process imports stancekit, loads the tiny model, analyzes, scores a CSV corpus and builds a
predictor from a tokenizer it passes in, and reports what changed; each kind of state is its own test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
import csv, json, os, random, sys
from pathlib import Path
import numpy as np
import torch
import transformers  # third-party imports first: only stancekit's own effects are measured

model, work = Path(sys.argv[1]), sys.argv[2]


def snapshot():
    return {
        "environ": dict(os.environ),
        "csv_field_size_limit": csv.field_size_limit(),
        "random": random.getstate(),
        "numpy": np.random.get_state()[1].tolist(),
        "torch": torch.get_rng_state().tolist(),
    }


def tokenizer_state(tok):
    return {
        "model_max_length": tok.model_max_length,
        "len": len(tok),
        "init_kwargs": repr(sorted(tok.init_kwargs.items())),
        "backend": tok.backend_tokenizer.to_str(),
    }


before = snapshot()
import stancekit
from stancekit.modeling.checkpoint import load_model
from stancekit.modeling.inference import Predictor

an = stancekit.load(str(model))
an.analyze("Critics accused Senator Smith of lying. Smith met Jones in Ohio on Monday.")
corpus = os.path.join(work, "corpus.csv")
with open(corpus, "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["id", "text"])
    w.writerow(["a", "Protesters denounced Governor Jones. The vote is on Friday."])
    w.writerow(["b", "Brown was hailed as a hero by the crowd."])
an.score([corpus], os.path.join(work, "out"), id_column="id", progress=False)
network, tok, cfg = load_model(model)
tok.model_max_length = 512  # the caller's own setting
tok_before = tokenizer_state(tok)
Predictor(network, tok, cfg).logits(["Smith met Jones."], [[(0, 5)]])
after = snapshot()
changed = {k: before[k] != after[k] for k in before}
changed["environ_keys"] = sorted(
    k for k in set(before["environ"]) | set(after["environ"]) if before["environ"].get(k) != after["environ"].get(k)
)
changed["tokenizer"] = tok_before != tokenizer_state(tok)
print("RESULT " + json.dumps(changed))
"""


@pytest.fixture(scope="module")
def changed(tiny_model_path, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("global-state")
    env = {k: v for k, v in os.environ.items() if k != "ONEDNN_PRIMITIVE_CACHE_CAPACITY"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tiny_model_path), str(work)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],  # this checkout's stancekit
        timeout=600,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, proc.stderr[-3000:]
    return json.loads(line.removeprefix("RESULT "))


@pytest.mark.slow
def test_os_environ_is_unchanged(changed):
    assert changed["environ_keys"] == []


@pytest.mark.slow
def test_csv_field_size_limit_is_unchanged(changed):
    assert not changed["csv_field_size_limit"]


@pytest.mark.slow
@pytest.mark.parametrize("generator", ["random", "numpy", "torch"])
def test_global_random_states_are_unchanged(changed, generator):
    assert not changed[generator]


@pytest.mark.slow
def test_a_passed_tokenizer_is_not_mutated(changed):
    assert not changed["tokenizer"]
