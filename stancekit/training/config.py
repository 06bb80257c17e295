"""Training configuration: a dataclass that round-trips to the ``train.yaml`` of a model folder."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from stancekit.errors import ConfigError


@dataclass
class TrainConfig:
    """Everything that decides a trained model; the committed train.yaml reproduces it."""

    name: str
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    output_dir: str = ""
    data_dir: str | None = None
    train_sets: list[str] = field(default_factory=lambda: ["newsmtsc-train", "checkthat-train", "babe-train"])
    dev_sets: list[str] = field(
        default_factory=lambda: ["newsmtsc-rw-dev", "newsmtsc-mt-dev", "checkthat-dev", "babe-dev"]
    )
    report_sets: list[str] = field(default_factory=lambda: ["checkthat-dev-test"])
    stance_files: list[str] = field(default_factory=list)  # users' own labelled files
    editorial_files: list[str] = field(default_factory=list)
    babe_labels: str = "bias"
    marking: str = "all"
    weights: str = "full"
    lora: dict = field(default_factory=dict)
    max_length: int = 256
    epochs: float = 4.0
    batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    dropout: float = 0.1
    editorial_loss_weight: float = 1.0
    class_weights: bool = True
    evals_per_epoch: int = 2
    patience: int = 3
    # average the weights of the last k evaluated states (k >= 2; 0 = off); the average is kept
    # only when its mean dev macro-F1 beats the best single evaluation
    average_last: int = 0
    # train k "ingredients" from one initialisation (ingredient i > 0 draws batch order and dropout
    # from seed + i) and keep the uniform average of their kept states when its mean dev macro-F1
    # beats the best ingredient's; 1 = one ordinary run
    soup: int = 1
    seed: int = 13
    max_examples_per_set: int | None = None  # small runs (tests, smoke checks)
    # sentences drawn (seeded) from a training set: {set name: n}; n below the set's sentence count draws a
    # subset, n above it repeats the set (whole copies, then a drawn remainder). Why: continuing a trained
    # model on new data (``init_from``) keeps a replay sample of the old sets beside the new one
    sentences_per_set: dict[str, int] = field(default_factory=dict)
    # a trained stancekit model (name or folder) whose weights start the run, instead of the bare base
    # encoder; it must have the config's base_model, weights, LoRA shape and marking
    init_from: str | None = None
    # mix the kept weights back toward init_from's: (1 - a) * initial + a * trained, a in (0, 1] (WiSE-FT;
    # stancekit.training.selection.interpolate_states). Why: a continued model keeps more of what it knew;
    # the mix is chosen on dev with benchmarks/interpolate_init.py. Full weights only. None: off
    interpolate_init: float | None = None
    # fit the holder probe (stancekit.modeling.holder_probe) on articlestance train/dev after training
    holder_probe: bool = False
    # fit the article read-out (stancekit.modeling.stance_readout) on articlestance train/dev after training
    stance_readout: bool = False
    teacher: str | None = None  # a trained model (name or folder) whose soft targets the student also learns
    distill_weight: float = 1.0
    distill_temperature: float = 2.0
    # training sets whose gold stance labels are learnt without the teacher's soft targets (the teacher
    # was not trained on them); their unlabelled mentions and editorial flags still get soft targets
    gold_over_teacher: list[str] = field(default_factory=list)
    # training sets whose mentions get the teacher's stance soft targets (None: every set; the editorial flag is
    # distilled on every sentence). Why: a teacher that follows another convention (NewsMTSC's) holds the sets
    # labelled under it, and must not teach its stance on the others' mentions
    teacher_stance_sets: list[str] | None = None
    # a folder that keeps the teacher's logits per (teacher, examples, device): a rerun skips the teacher pass
    teacher_cache: str | None = None
    # stance conventions learnt apart from the default (e.g. ["newsmtsc"]): the named sets labelled under one
    # (stancekit.data.sources.convention_of) are trained and evaluated under its own learned vector, so that
    # their labels do not pull the default convention (the article guidelines) toward theirs
    conventions: list[str] = field(default_factory=list)
    calibrate: bool = True
    calibration: str = "temperature+bias"  # or "temperature"
    save_dtype: str = "float16"
    progress: bool = True
    device: str = "auto"  # "auto": a CUDA GPU when torch sees one, else the CPU; or any torch device string
    # write <output_dir>/checkpoint/ every this many optimizer steps (and at each evaluation) so that
    # ``stancekit train --resume`` continues a stopped run to the same weights; None = no checkpoints
    checkpoint_every: int | None = None

    def __post_init__(self) -> None:
        if self.marking not in ("all", "target"):
            raise ConfigError(f"marking must be 'all' or 'target', got {self.marking!r}")
        if self.weights not in ("full", "lora"):
            raise ConfigError(f"weights must be 'full' or 'lora', got {self.weights!r}")
        if self.epochs <= 0 or self.batch_size <= 0:
            raise ConfigError("epochs and batch_size must be positive")
        if self.distill_temperature <= 0 or self.distill_weight < 0:
            raise ConfigError("distill_temperature must be positive and distill_weight non-negative")
        if self.average_last < 0 or self.average_last == 1:
            raise ConfigError(f"average_last must be 0 (off) or at least 2, got {self.average_last}")
        bad = {k: v for k, v in self.sentences_per_set.items() if not isinstance(v, int) or v < 1}
        if bad:
            raise ConfigError(f"sentences_per_set: counts must be positive integers, got {bad}")
        if self.interpolate_init is not None:
            if not isinstance(self.interpolate_init, (int, float)) or not 0 < self.interpolate_init <= 1:
                raise ConfigError(f"interpolate_init must be in (0, 1] or null, got {self.interpolate_init!r}")
            if not self.init_from or self.weights != "full":
                raise ConfigError(
                    "interpolate_init needs init_from and weights: full (LoRA factors do not mix linearly)"
                )
        if self.soup < 1:
            raise ConfigError(f"soup must be at least 1 (one ordinary run), got {self.soup}")
        if self.checkpoint_every is not None and (
            not isinstance(self.checkpoint_every, int) or self.checkpoint_every < 1
        ):
            raise ConfigError(
                f"checkpoint_every must be a positive number of steps or null, got {self.checkpoint_every!r}"
            )
        if self.teacher_stance_sets is not None and not isinstance(self.teacher_stance_sets, list):
            raise ConfigError(
                f"teacher_stance_sets: a list of training set names or null, got {self.teacher_stance_sets!r}"
            )
        from stancekit.data.sources import known_conventions

        unknown = [c for c in self.conventions if c not in known_conventions()]
        if unknown or len(set(self.conventions)) != len(self.conventions):
            raise ConfigError(
                f"conventions: each must be one of {sorted(known_conventions())}, once; got {self.conventions!r}"
            )
        if not self.output_dir:
            self.output_dir = str(Path("models") / self.name)

    @classmethod
    def from_yaml(cls, path: str | Path) -> TrainConfig:
        import yaml

        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read training config ({exc})") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: a training config must be a mapping")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown keys {unknown}; known keys: {sorted(known)}")
        if "name" not in data:
            raise ConfigError(f"{path}: missing key 'name'")
        return cls(**data)

    def to_yaml(self) -> str:
        import yaml

        data = asdict(self)
        data.pop("progress")  # neither decides the model: a config trains the same on any machine
        data.pop("device")
        data.pop("checkpoint_every")  # when a run saves its progress does not change what it trains
        return yaml.safe_dump(data, sort_keys=False)
