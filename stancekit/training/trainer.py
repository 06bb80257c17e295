"""The one training loop for both tasks.

Stance rows and editorial rows are mixed into one shuffled stream of length-bucketed
batches; each batch's loss is the stance cross-entropy over its labelled mentions plus the
editorial cross-entropy over its labelled sentences (plus, with a ``teacher``, the distillation
term of :mod:`stancekit.training.distill` over every input). It runs on a CUDA GPU when one is
visible, else on the CPU. The model is evaluated on the dev sets
a few times per epoch; the best state by mean dev macro-F1 is kept (early stopping), then
temperatures are fitted on dev and the folder is written. With ``soup: k`` the loop runs k times
from the same initial weights and the average of the k kept states replaces the best one when it
wins on dev.

With ``checkpoint_every`` the run writes ``<output_dir>/checkpoint/`` as it goes (see
:mod:`stancekit.training.checkpointing`); ``resume`` continues from it to the weights and history an
uninterrupted run writes. The checkpoint folder is deleted once the model folder and its metrics are written.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch

from stancekit.data.examples import Example
from stancekit.data.examples import build_examples as rows_to_examples
from stancekit.data.sources import convention_of, load_rows, task_of
from stancekit.data.userfiles import read_editorial_file, read_stance_file
from stancekit.errors import CheckpointError, ConfigError, TrainingPaused
from stancekit.evaluation.evaluate import convention_for, dev_scores, labelled_logits, reports
from stancekit.evaluation.metrics import macro_f1
from stancekit.globalstate import random_states, set_random_states
from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS
from stancekit.modeling.calibration import expected_calibration_error, fit_scaling, fit_temperature, softmax
from stancekit.modeling.checkpoint import ModelConfig, build_network, calibration_key, load_initial_weights, save_model
from stancekit.modeling.encoder import load_base_encoder
from stancekit.modeling.inference import Predictor
from stancekit.modeling.inputs import IGNORE, MarkerEncoder, collate
from stancekit.training import checkpointing, distill
from stancekit.training.config import TrainConfig
from stancekit.training.selection import average_states as average_states  # re-exported
from stancekit.training.selection import cpu_state, interpolate_states, try_average, try_soup

log = logging.getLogger("stancekit.training")


@contextmanager
def _seeded(seed: int):
    """Seed Python's, numpy's and torch's global generators for a run, and restore their states after it.

    Why: dropout draws from torch's global generator, so a reproducible run has to seed it; the caller's
    random states are theirs, so the run hands them back as it found them.
    """
    py_state, np_state = random.getstate(), np.random.get_state()
    devices = list(range(torch.cuda.device_count()))
    with torch.random.fork_rng(devices=devices):
        try:
            _seed_globals(seed)
            yield
        finally:
            random.setstate(py_state)
            np.random.set_state(np_state)


def _seed_globals(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _rows(cfg: TrainConfig, names: list[str]) -> dict[str, dict[str, list[dict]]]:
    """{set name: {task: rows}} for named sets (capped by max_examples_per_set, drawn by sentences_per_set)."""
    out = {}
    for name in names:
        rows = load_rows(name, cfg.data_dir, babe_labels=cfg.babe_labels)
        if cfg.max_examples_per_set:
            rows = rows[: cfg.max_examples_per_set]
        if name in cfg.sentences_per_set and name in cfg.train_sets:
            rows = draw_sentences(rows, cfg.sentences_per_set[name], random.Random(f"{cfg.seed}:{name}"))
        out[name] = {task_of(name): rows}
    return out


def draw_sentences(rows: list[dict], n: int, rng: random.Random) -> list[dict]:
    """The rows of ``n`` sentences of ``rows``: a drawn subset, or whole copies plus a drawn remainder.

    A sentence is a (group, text) pair, so a stance sentence keeps all its labelled targets together; a
    repeated sentence's rows get a copy number in ``group`` so that its copies stay separate examples.
    """
    keys: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        keys.setdefault((str(r.get("group", "")), r["text"]), []).append(r)
    order = list(keys)
    copies, rest = divmod(n, len(order)) if order else (0, 0)
    chosen = [(k, c) for c in range(copies) for k in order] + [(k, copies) for k in rng.sample(order, rest)]
    out = []
    for key, copy in chosen:
        for r in keys[key]:
            out.append(r if copy == 0 else {**r, "group": f"{key[0]}#copy{copy}"})
    return out


def build_examples(cfg: TrainConfig, names: Sequence[str], segmenter=None, finder=None) -> dict[str, list[Example]]:
    """{set name: examples} for the named sets of a config, marked as the config's model marks its inputs.

    With ``marking: all`` the sentences' actor mentions are detected with ``segmenter`` and ``finder``
    (spaCy ones are made when none are passed; pass them to build several groups of sets with one pair).
    """
    if cfg.marking == "all" and (segmenter is None or finder is None):
        segmenter, finder = _text_tools()
    return {name: rows_to_examples(rows, cfg.marking, segmenter, finder) for name, rows in _rows(cfg, names).items()}


def _text_tools():
    from stancekit.text.actors import ActorFinder
    from stancekit.text.segmentation import Segmenter

    return Segmenter(), ActorFinder()


def _device(name: str) -> torch.device:
    """The torch device a config asks for; "auto" takes a CUDA GPU when one is visible."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def _bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, then sort within pools of 50 batches by length: little padding, still random."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    pool = batch_size * 50
    batches = []
    for p in range(0, len(idx), pool):
        chunk = sorted(idx[p : p + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _class_weights(counts: Counter, n: int) -> torch.Tensor:
    total = sum(counts.values())
    w = [total / (n * counts[i]) if counts[i] else 1.0 for i in range(n)]
    return torch.tensor(w, dtype=torch.float32)


@dataclass
class _FitData:
    """The encoded training inputs and losses that every fit of one run shares."""

    items: list
    st_labels: list
    ed_labels: list
    st_soft: list
    ed_soft: list
    pad_id: int
    st_loss: torch.nn.Module
    ed_loss: torch.nn.Module


@dataclass
class FitResult:
    """One fit of the network from its current weights (one soup ingredient, or the whole run).

    ``best`` holds the kept state (a CPU copy; None when the network's last state was kept), its dev mean
    (``score``), ``step`` and ``dev_logits``; ``averaged`` records the checkpoint average when one was tried.
    """

    best: dict
    history: list[dict]
    averaged: dict | None
    steps: int


class TrainerCallback:
    """Hooks into a training run, in the manner of Hugging Face ``TrainerCallback``: override what you need.

    Callbacks observe; they never change what is trained (a sweep swaps pieces through the Trainer's
    ``examples``, ``teacher_logits`` and ``fit`` parameters instead).
    """

    def on_evaluate(self, trainer: Trainer, ingredient: int, record: dict) -> None:
        """After each dev evaluation; ``record`` is the history entry (step, epoch, loss, dev_macro_f1, mean)."""

    def on_fit_end(self, trainer: Trainer, ingredient: int, fit: FitResult) -> None:
        """After each fit (each soup ingredient), before soups and calibration."""

    def on_train_end(self, trainer: Trainer, metrics: dict) -> None:
        """After the model folder and its ``training_metrics.json`` are written."""


#: builds {set name: examples} for named sets: ``(cfg, names) -> dict``
ExampleBuilder = Callable[[TrainConfig, Sequence[str]], dict[str, list[Example]]]
#: the teacher's raw logits for the training examples: ``(teacher, examples, device) -> (stance, editorial)``
TeacherLogits = Callable[[str, Sequence[Example], torch.device], tuple]
#: one fit: ``(ingredient, train) -> FitResult``; ``train(i)`` fits from the current weights with ingredient
#: i's random state (the default fit is ``train(ingredient)``)
FitFunction = Callable[[int, Callable[[int], FitResult]], FitResult]


class Trainer:
    """Fine-tunes a :class:`~stancekit.modeling.network.StanceNetwork` from a TrainConfig.

    Why the parameters: a sweep reuses cached examples and teacher logits, or trains soup ingredients
    in separate processes, through the same loop; each piece it swaps is a parameter, never a patch.

    - ``examples(cfg, names)``: the example builder (default :func:`build_examples`);
    - ``teacher_logits(teacher, examples, device)``: the teacher's logits (default
      :func:`stancekit.training.distill.teacher_logits`);
    - ``fit(ingredient, train)``: runs or replaces each fit (default ``train(ingredient)``);
    - ``callbacks``: :class:`TrainerCallback` objects that observe the run;
    - ``resume``: continue the run from ``<output_dir>/checkpoint/`` (callbacks see only what follows it);
    - ``max_steps``: stop after this many optimizer steps in this call, writing the checkpoint first, and
      raise :class:`~stancekit.errors.TrainingPaused` (a session-sized slice of a long run).
    """

    def __init__(
        self,
        cfg: TrainConfig,
        segmenter=None,
        finder=None,
        *,
        examples: ExampleBuilder | None = None,
        teacher_logits: TeacherLogits | None = None,
        fit: FitFunction | None = None,
        callbacks: Sequence[TrainerCallback] = (),
        resume: bool = False,
        max_steps: int | None = None,
    ) -> None:
        if max_steps is not None and max_steps < 1:
            raise ConfigError(f"max_steps must be at least 1, got {max_steps}")
        self.cfg = cfg
        self.segmenter = segmenter
        self.finder = finder
        self.example_builder = examples or self._build_examples
        self.teacher_logits = teacher_logits or distill.teacher_logits
        self.fit_function = fit or (lambda ingredient, train: train(ingredient))
        self.callbacks = list(callbacks)
        self.resume = resume
        self.max_steps = max_steps
        self.checkpoint_dir = Path(cfg.output_dir) / checkpointing.FOLDER
        self._ckpt: dict = {}  # the run's checkpoint bookkeeping (set by _run)

    def _build_examples(self, cfg: TrainConfig, names: Sequence[str]) -> dict[str, list[Example]]:
        if cfg.marking == "all" and self.segmenter is None:
            self.segmenter, self.finder = _text_tools()
        return build_examples(cfg, names, self.segmenter, self.finder)

    def run(self) -> dict:
        """Train, select, calibrate and write the model folder; returns the metrics it wrote.

        The global random generators are seeded for the run and restored after it.
        """
        # a missing, unreadable or foreign checkpoint is refused before any slow work
        if self.resume:
            checkpointing.read_state(self.checkpoint_dir, checkpointing.config_hash(self.cfg))
        elif (found := checkpointing.exists(self.checkpoint_dir)) is not None:
            raise CheckpointError(
                "an unfinished run's checkpoint is here: resume it (--resume) or delete it to start afresh",
                path=str(found),
            )
        with _seeded(self.cfg.seed):
            return self._run()

    def _run_examples(self) -> tuple[list[Example], dict[str, list[Example]], dict[str, list[Example]]]:
        """The training examples (named sets, then the users' files), and the dev and report sets."""
        cfg = self.cfg
        log.info("building examples (marking=%s)", cfg.marking)
        train_ex = [ex for exs in self.example_builder(cfg, cfg.train_sets).values() for ex in exs]
        files = {f: {"stance": read_stance_file(f)} for f in cfg.stance_files}
        files.update({f: {"editorial": read_editorial_file(f)} for f in cfg.editorial_files})
        if files and cfg.marking == "all" and self.segmenter is None:
            self.segmenter, self.finder = _text_tools()
        for rows in files.values():
            train_ex.extend(rows_to_examples(rows, cfg.marking, self.segmenter, self.finder))
        return train_ex, self.example_builder(cfg, cfg.dev_sets), self.example_builder(cfg, cfg.report_sets)

    def _run(self) -> dict:
        cfg = self.cfg
        started = time.time()
        train_ex, dev_ex, report_ex = self._run_examples()

        encoder, tokenizer = load_base_encoder(cfg.base_model)
        if cfg.weights == "lora":
            from stancekit.modeling.lora import attach_lora

            encoder = attach_lora(encoder, cfg.lora)
        model_cfg = ModelConfig(
            base_model=cfg.base_model,
            max_length=cfg.max_length,
            marking=cfg.marking,
            weights=cfg.weights,
            dtype=cfg.save_dtype,
            dropout=cfg.dropout,
            lora=dict(cfg.lora) if cfg.weights == "lora" else None,
            conventions=list(cfg.conventions),
            name=cfg.name,
        )
        device = _device(cfg.device)
        log.info("training on %s", device)
        network = build_network(model_cfg, encoder)
        if cfg.init_from:
            load_initial_weights(network, model_cfg, cfg.init_from)
        network = network.to(device)
        marker_encoder = MarkerEncoder(tokenizer, cfg.max_length)

        fetch = distill.cached(self.teacher_logits, cfg.teacher_cache) if cfg.teacher_cache else self.teacher_logits
        soft = fetch(cfg.teacher, train_ex, device) if cfg.teacher else None
        data = _fit_data(cfg, train_ex, marker_encoder, soft, device, model_cfg)
        predictor = Predictor(network, tokenizer, model_cfg, batch_size=64)
        init_state = cpu_state(network) if cfg.soup > 1 or cfg.interpolate_init else None
        fits: list[FitResult] = []
        resumed = self._start_checkpointing(network, train_ex, dev_ex, soft)
        if resumed is not None:
            fits = list(resumed.fits)
            if resumed.progress is None:  # between two fits: the last fit's kept state (if it was the last)
                network.load_state_dict(resumed.weights, strict=False)
                network.eval()

        def train(ingredient: int) -> FitResult:
            """Fit from the network's current weights with ingredient ``ingredient``'s random state."""
            if ingredient:
                _seed_globals(cfg.seed + ingredient)  # dropout's draws (inside the run's seeded scope)
            return self._fit(network, data, predictor, dev_ex, ingredient_rng(cfg.seed, ingredient), device, ingredient)

        for ingredient in range(len(fits), cfg.soup):
            if ingredient:
                # the same initial weights (heads, adapters); another draw of batch order and dropout
                network.load_state_dict({k: v.to(device) for k, v in init_state.items()})
            self._ckpt["fits"] = fits
            fits.append(self.fit_function(ingredient, train))
            for cb in self.callbacks:
                cb.on_fit_end(self, ingredient, fits[-1])
            if self._ckpt["on"]:
                self._write_checkpoint(network, None)
        best, history, averaged, step = fits[0].best, fits[0].history, fits[0].averaged, fits[0].steps
        soup = None
        if cfg.soup > 1:
            best, soup = _try_soup(network, [f.best for f in fits], predictor, dev_ex)
            history = [f.history for f in fits]
            averaged = [f.averaged for f in fits]
            step = sum(f.steps for f in fits)
        network.eval()
        interpolated = None
        if cfg.interpolate_init:
            mixed = interpolate_states(init_state, cpu_state(network), cfg.interpolate_init)
            network.load_state_dict({k: v.to(device) for k, v in mixed.items()})
            network.eval()
            best = {**best, "dev_logits": labelled_logits(predictor, dev_ex)}
            interpolated = {"alpha": cfg.interpolate_init, "dev_macro_f1": dev_scores(best["dev_logits"])}
            log.info("kept weights mixed toward init_from (alpha %s): %s", cfg.interpolate_init, interpolated)

        # The kept state's dev logits serve calibration and the report: no second pass over the dev sets.
        dev_logits = best.get("dev_logits") or labelled_logits(predictor, dev_ex)
        report_logits = labelled_logits(predictor, report_ex)
        calibration = calibrate(dev_logits, model_cfg, cfg.calibration) if cfg.calibrate else {}
        out = Path(cfg.output_dir)
        save_model(network.cpu(), tokenizer, model_cfg, out)
        (out / "train.yaml").write_text(cfg.to_yaml(), "utf-8")
        metrics = {
            "best_step": best["step"],
            "steps": step,
            "train_seconds": round(time.time() - started, 1),
            "history": history,
            "averaged": averaged,
            "soup": soup,
            "interpolated": interpolated,
            "calibration": calibration,
            "dev": reports(dev_logits, model_cfg),
            "report": reports(report_logits, model_cfg),
            "config": asdict(cfg),
            "device": str(device),
        }
        (out / "training_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
        if cfg.stance_readout:  # reads the folder just written; records itself in its config and metrics
            from stancekit.modeling.checkpoint import read_config
            from stancekit.training.readout import fit_readout

            metrics["stance_readout"] = fit_readout(out, cfg.data_dir)
            # the folder's default stance is the read-out's now: the dev and report tables say what it computes
            saved = read_config(out)
            network.set_readout(saved.stance_readout)
            metrics["dev"] = reports(labelled_logits(predictor, dev_ex), saved)
            metrics["report"] = reports(labelled_logits(predictor, report_ex), saved)
            (out / "training_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
        if cfg.holder_probe:  # reads the folder just written; records itself in its config and metrics
            from stancekit.training.holders import fit_holders

            metrics["holder_probe"] = fit_holders(out, cfg.data_dir)
        checkpointing.remove(self.checkpoint_dir)  # the run is whole: nothing left to resume
        for cb in self.callbacks:
            cb.on_train_end(self, metrics)
        return metrics

    def _start_checkpointing(self, network, train_ex, dev_ex, soft) -> checkpointing.Checkpoint | None:
        """Set up the run's checkpoints; with ``resume``, read the checkpoint (checked against config and data)."""
        cfg = self.cfg
        self._ckpt = {"on": bool(cfg.checkpoint_every) or self.max_steps is not None, "fits": [], "steps": 0}
        if self.resume or self._ckpt["on"]:
            self._ckpt["config_hash"] = checkpointing.config_hash(cfg)
            self._ckpt["data_hash"] = checkpointing.data_hash(train_ex, dev_ex, soft)
        if self.resume:
            ckpt = checkpointing.read_checkpoint(
                self.checkpoint_dir, network, self._ckpt["config_hash"], self._ckpt["data_hash"]
            )
            self._ckpt.update(progress=ckpt.progress, weights=ckpt.weights)
            log.info("resuming from %s: %d finished fit(s)", self.checkpoint_dir, len(ckpt.fits))
            return ckpt
        return None

    def _write_checkpoint(self, network, progress: checkpointing.FitProgress | None) -> None:
        weights = {n: p.detach() for n, p in network.named_parameters() if p.requires_grad}
        ckpt = checkpointing.Checkpoint(
            self._ckpt["config_hash"], self._ckpt["data_hash"], list(self._ckpt["fits"]), weights, progress
        )
        checkpointing.write_checkpoint(self.checkpoint_dir, network, ckpt)

    def _fit(
        self, network, data: _FitData, predictor: Predictor, dev_ex, rng: random.Random, device, ingredient: int = 0
    ) -> FitResult:
        """Train ``network`` once from its current weights; the network ends in the kept state, in eval mode."""
        cfg = self.cfg
        items, st_labels, ed_labels, st_soft, ed_soft = (
            data.items,
            data.st_labels,
            data.ed_labels,
            data.st_soft,
            data.ed_soft,
        )
        head_params = [p for n, p in network.named_parameters() if not n.startswith("encoder.") and p.requires_grad]
        enc_params = [p for n, p in network.named_parameters() if n.startswith("encoder.") and p.requires_grad]
        optimizer = torch.optim.AdamW(
            [
                {"params": enc_params, "lr": cfg.learning_rate},
                {"params": head_params, "lr": cfg.head_learning_rate},
            ],
            weight_decay=cfg.weight_decay,
        )
        lengths = [len(it) for it in items]
        steps_per_epoch = math.ceil(len(items) / cfg.batch_size)
        total_steps = max(1, int(steps_per_epoch * cfg.epochs))
        warmup = int(total_steps * cfg.warmup_ratio)

        def lr_lambda(step: int) -> float:
            if step < warmup:
                return (step + 1) / max(1, warmup)
            return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
        eval_every = max(1, steps_per_epoch // max(1, cfg.evals_per_epoch))

        history: list[dict] = []
        best = {"score": -1.0, "state": None, "step": 0}
        recent: deque[tuple[int, dict[str, torch.Tensor]]] = deque(maxlen=max(1, cfg.average_last))
        bad_evals = 0
        step = 0
        ckpt = self._ckpt
        resumed, ckpt["progress"] = ckpt.get("progress"), None
        skip = 0
        if resumed is not None:
            network.load_state_dict({k: v.to(device) for k, v in ckpt["weights"].items()}, strict=False)
            optimizer.load_state_dict(resumed.optimizer)
            scheduler.load_state_dict(resumed.scheduler)
            step, history, best, bad_evals = resumed.step, resumed.history, resumed.best, resumed.bad_evals
            recent.extend(resumed.recent)
            rng.setstate(resumed.epoch_rng)
            skip = resumed.batches_done
            set_random_states(resumed.rng)

        def snapshot(batches_done: int) -> checkpointing.FitProgress:
            return checkpointing.FitProgress(
                step, epoch_rng, batches_done, history, best, list(recent), bad_evals,
                optimizer.state_dict(), scheduler.state_dict(), random_states(cuda=True),
            )  # fmt: skip

        bar = None
        if cfg.progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=total_steps, initial=step, desc=f"train {cfg.name}", unit="step")
        network.train()
        stop = False
        while step < total_steps and not stop:
            epoch_rng = rng.getstate()
            batches = _bucketed_batches(lengths, cfg.batch_size, rng)
            for b_i in range(skip, len(batches)):
                if self.max_steps is not None and ckpt["steps"] >= self.max_steps:
                    self._write_checkpoint(network, snapshot(b_i))
                    if bar is not None:
                        bar.close()
                    raise TrainingPaused(str(self.checkpoint_dir), len(ckpt["fits"]), step)
                batch_idx = batches[b_i]
                batch = collate(
                    [items[i] for i in batch_idx],
                    data.pad_id,
                    [st_labels[i] for i in batch_idx],
                    [ed_labels[i] for i in batch_idx],
                ).to(device)
                st, ed = network(batch)
                loss = torch.zeros((), dtype=torch.float32, device=device)
                if (batch.stance_labels != IGNORE).any():
                    loss = loss + data.st_loss(st, batch.stance_labels)
                if (batch.editorial_labels != IGNORE).any():
                    loss = loss + cfg.editorial_loss_weight * data.ed_loss(ed, batch.editorial_labels)
                if st_soft:
                    t_st = torch.from_numpy(np.concatenate([st_soft[i] for i in batch_idx])).to(device)
                    t_ed = torch.from_numpy(np.stack([ed_soft[i] for i in batch_idx])).to(device)
                    t = cfg.distill_temperature
                    has = ~torch.isnan(t_st).any(-1)  # rows whose soft target was withheld (gold_over_teacher)
                    loss = loss + cfg.distill_weight * (
                        distill.soft_loss(st[has], t_st[has], t)
                        + cfg.editorial_loss_weight * distill.soft_loss(ed, t_ed, t)
                    )
                loss.backward()
                torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                ckpt["steps"] = ckpt.get("steps", 0) + 1
                evaluated_now = False
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{loss.item():.3f}", best=f"{best['score']:.3f}")
                if step % 50 == 0:
                    log.info("step %d/%d loss %.4f", step, total_steps, loss.item())
                # the last step is evaluated too, unless a scheduled evaluation came just before it
                # (a state a few steps older would only be scored twice)
                last_eval = history[-1]["step"] if history else 0
                if step % eval_every == 0 or (step == total_steps and step - last_eval >= eval_every // 2):
                    evaluated, scores, mean = _evaluate(predictor, dev_ex)
                    evaluated_now = True
                    score = mean if mean is not None else -float(loss.item())
                    history.append(
                        {
                            "step": step,
                            "epoch": round(step / steps_per_epoch, 2),
                            "loss": float(loss.item()),
                            "dev_macro_f1": scores,
                            "mean": score,
                        }
                    )
                    for cb in self.callbacks:
                        cb.on_evaluate(self, ingredient, history[-1])
                    log.info("step %d: %s mean %.4f", step, scores, score)
                    # one CPU copy serves both the averaging window and the best state
                    state = cpu_state(network) if cfg.average_last or score > best["score"] else None
                    if cfg.average_last:
                        recent.append((step, state))
                    if bar is not None:
                        bar.write(
                            f"step {step} ({step / steps_per_epoch:.2f} ep): "
                            + ", ".join(f"{k} {v:.4f}" for k, v in scores.items())
                            + f" | mean {score:.4f}"
                        )
                    if score > best["score"]:
                        best = {
                            "score": score,
                            "step": step,
                            "state": state,
                            # the best state's dev logits: calibration and the final report reuse them
                            "dev_logits": evaluated,
                        }
                        bad_evals = 0
                    else:
                        bad_evals += 1
                        if bad_evals >= cfg.patience:
                            stop = True
                            break
                    network.train()
                if cfg.checkpoint_every and (evaluated_now or step % cfg.checkpoint_every == 0):
                    self._write_checkpoint(network, snapshot(b_i + 1))
                if step >= total_steps:
                    break
            skip = 0
        if bar is not None:
            bar.close()
        if best["state"] is not None:
            network.load_state_dict(best["state"])
        network.eval()
        averaged = None
        if cfg.average_last and len(recent) >= 2:
            averaged = _try_average(network, recent, predictor, dev_ex, best)

        return FitResult(best, history, averaged, step)


def _fit_data(
    cfg: TrainConfig, train_ex: list[Example], marker_encoder: MarkerEncoder, soft, device, model_cfg: ModelConfig
) -> _FitData:
    """Encode the training examples once; with a teacher's ``soft`` logits, every input keeps its soft targets.

    An input of a set labelled under a convention the config learns apart (``cfg.conventions``) asks for it."""
    soft_st, soft_ed = soft if soft is not None else (None, None)
    items, st_labels, ed_labels, st_soft, ed_soft = [], [], [], [], []
    encoded = marker_encoder.encode_many([e.text for e in train_ex], [e.spans for e in train_ex])
    for it in encoded:
        ex = train_ex[it.source]
        if (conv := convention_of(ex.source)) in cfg.conventions:
            it.convention = model_cfg.convention_index(conv)
        labs = [ex.stance[m] for m in it.mention_ids]
        ed = ex.editorial  # every window of a long sentence carries the sentence's label
        if all(lab == IGNORE for lab in labs) and ed == IGNORE and soft_ed is None:
            continue  # nothing to learn from it (with a teacher, every input has soft targets)
        items.append(it)
        st_labels.append(labs)
        ed_labels.append(ed)
        if soft_ed is not None:
            rows = soft_st[it.source][it.mention_ids].reshape(-1, len(STANCE_LABELS))
            if cfg.teacher_stance_sets is not None and ex.source not in cfg.teacher_stance_sets:
                rows = np.full_like(rows, np.nan)  # the teacher teaches this sentence's editorial flag only
            elif ex.source in cfg.gold_over_teacher:  # gold stance labels stand alone: no soft target there
                rows = rows.copy()
                rows[[lab != IGNORE for lab in labs]] = np.nan
            st_soft.append(rows)
            ed_soft.append(soft_ed[it.source])
    st_counts = Counter(lab for labs in st_labels for lab in labs if lab != IGNORE)
    ed_counts = Counter(lab for lab in ed_labels if lab != IGNORE)
    log.info("training inputs: %d (stance targets %s, editorial %s)", len(items), dict(st_counts), dict(ed_counts))
    st_w = _class_weights(st_counts, len(STANCE_LABELS)) if cfg.class_weights else None
    ed_w = _class_weights(ed_counts, len(EDITORIAL_LABELS)) if cfg.class_weights else None
    st_loss = torch.nn.CrossEntropyLoss(weight=st_w, ignore_index=IGNORE).to(device)
    ed_loss = torch.nn.CrossEntropyLoss(weight=ed_w, ignore_index=IGNORE).to(device)
    return _FitData(items, st_labels, ed_labels, st_soft, ed_soft, marker_encoder.pad_id, st_loss, ed_loss)


def ingredient_rng(seed: int, ingredient: int) -> random.Random:
    """The batch-order generator of soup ingredient ``ingredient``: ``Random(seed + ingredient)``.

    Ingredient 0 is the plain run of ``seed``; within a run, the trainer also reseeds dropout's generator with
    ``seed + ingredient`` for ingredients after the first, so a fit hook that calls ``train(i)`` in a fresh
    process (``benchmarks/train_sweep.py``) gives the weights of the sequential soup.
    """
    return random.Random(seed + ingredient)


def _try_average(network, recent, predictor: Predictor, dev_ex, best: dict) -> dict:
    """Keep the mean of the last evaluated states when it wins on dev (see :func:`selection.try_average`)."""
    return try_average(network, recent, lambda: _evaluate(predictor, dev_ex), best)


def _try_soup(network, fits: list[dict], predictor: Predictor, dev_ex) -> tuple[dict, dict]:
    """Keep the uniform average of the ingredients when it wins on dev (see :func:`selection.try_soup`)."""
    return try_soup(network, fits, lambda: _evaluate(predictor, dev_ex))


def _evaluate(predictor: Predictor, dev_ex) -> tuple[dict, dict[str, float], float | None]:
    """The dev sets' logits, their macro-F1 per set, and the mean that selects states (None without dev sets)."""
    evaluated = labelled_logits(predictor, dev_ex)
    scores = dev_scores(evaluated)
    return evaluated, scores, float(np.mean(list(scores.values()))) if scores else None


def calibrate(collected: dict[str, tuple], model_cfg: ModelConfig, mode: str = "temperature+bias") -> dict:
    """Fit each head's temperature (and, in mode 'temperature+bias', class biases) on the pooled dev sets.

    A model that learnt conventions apart gets one stance calibration per convention, each fitted on the dev
    sets scored under it (``"stance"``: the default's; ``"stance@newsmtsc"``): the conventions disagree on
    what is neutral, so one prior fitted on both would serve neither
    (benchmarks/results/retraining-articlestance.md)."""
    pooled: dict[str, list] = {"stance": [[], []], "editorial": [[], []]}
    for name, (task, logits, labels) in collected.items():
        key = calibration_key(task, convention_for(name, model_cfg))
        pooled.setdefault(key, [[], []])
        pooled[key][0].append(logits)
        pooled[key][1].append(labels)
    if not pooled["stance"][0]:  # no dev set under the default convention: the others' stand in for it
        pooled["stance"] = [
            [x for k, (xs, _) in pooled.items() if k.startswith("stance@") for x in xs],
            [y for k, (_, ys) in pooled.items() if k.startswith("stance@") for y in ys],
        ]
    for key in [k for k in model_cfg.temperatures if k not in pooled]:  # a refit replaces every stale key
        model_cfg.temperatures.pop(key)
        model_cfg.biases.pop(key, None)
    result = {}
    for task, (logits, labels) in pooled.items():
        if not logits:
            continue
        x, y = np.concatenate(logits), np.concatenate(labels)
        if mode == "temperature+bias":
            t, b = fit_scaling(x, y)
            model_cfg.biases[task] = b
        else:
            t, b = fit_temperature(x, y), None
            model_cfg.biases.pop(task, None)
        model_cfg.temperatures[task] = t
        result[task] = {
            "mode": mode,
            "temperature": t,
            "bias": b,
            "ece_before": expected_calibration_error(softmax(x), y),
            "ece_after": expected_calibration_error(softmax(x, t, b), y),
            "macro_f1_before": macro_f1(y, x.argmax(-1), x.shape[1]),
            "macro_f1_after": macro_f1(y, softmax(x, t, b).argmax(-1), x.shape[1]),
            "n": int(len(y)),
        }
    return result


def recalibrate(folder: str | Path, data_dir: str | None = None, mode: str = "temperature+bias") -> dict:
    """Refit a saved model's calibration on its dev sets (from its train.yaml); rewrite stancekit_config.json.

    A model with an article read-out keeps the default convention's stance calibration the read-out was given
    (:func:`stancekit.training.readout.fit_readout` refits it with the read-out).

    The folder's ``train.yaml`` and the config recorded in ``training_metrics.json`` take the new mode
    too, so rerunning the folder's config reproduces the folder, calibration included.
    """
    from stancekit.modeling.checkpoint import load_model, write_config

    folder = Path(folder)
    cfg = TrainConfig.from_yaml(folder / "train.yaml")
    # where the data lies on this machine is a run option: it is not written back into the folder's config
    run_cfg = replace(cfg, data_dir=data_dir) if data_dir is not None else cfg
    network, tokenizer, model_cfg = load_model(folder)
    segmenter, finder = _text_tools() if cfg.marking == "all" else (None, None)
    dev_ex = build_examples(run_cfg, cfg.dev_sets, segmenter, finder)
    report_ex = build_examples(run_cfg, cfg.report_sets, segmenter, finder)
    predictor = Predictor(network, tokenizer, model_cfg, batch_size=64)
    dev_logits = labelled_logits(predictor, dev_ex)
    readout_t = model_cfg.temperatures.get("stance") if model_cfg.stance_readout else None
    result = calibrate(dev_logits, model_cfg, mode)
    if readout_t is not None:
        # the default convention's stance calibration belongs to the article read-out (its temperature, fitted on
        # its articlestance-dev logits, and no class bias: stancekit.training.readout); fit-readout refits it
        model_cfg.temperatures["stance"] = readout_t
        model_cfg.biases.pop("stance", None)
        result.pop("stance", None)
        log.info("stance: the article read-out's temperature %.3f kept (stancekit fit-readout refits it)", readout_t)
    write_config(model_cfg, folder)
    metrics_path = folder / "training_metrics.json"
    metrics = json.loads(metrics_path.read_text("utf-8")) if metrics_path.exists() else {}
    metrics["calibration"] = result
    cfg.calibration = mode
    (folder / "train.yaml").write_text(cfg.to_yaml(), "utf-8")
    if "config" in metrics:
        metrics["config"]["calibration"] = mode
    metrics["dev"] = reports(dev_logits, model_cfg)
    metrics["report"] = reports(labelled_logits(predictor, report_ex), model_cfg)
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
    return metrics


def train(config: TrainConfig | str | Path, *, resume: bool = False, max_steps: int | None = None, **overrides) -> dict:
    """Train a model from a TrainConfig or a train.yaml path; returns the metrics it wrote.

    ``resume`` continues from the output folder's checkpoint; ``max_steps`` pauses the run after that many
    steps (see :class:`Trainer`).
    """
    cfg = config if isinstance(config, TrainConfig) else TrainConfig.from_yaml(config)
    if overrides:
        cfg = TrainConfig(**{**asdict(cfg), **overrides})
    return Trainer(cfg, resume=resume, max_steps=max_steps).run()
