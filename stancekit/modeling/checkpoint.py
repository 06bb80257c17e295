"""Read and write a model folder: config.json + model.safetensors + tokenizer files.

The one place where a model folder is read and written. Folders are self-describing and
load without pickle, without ``trust_remote_code`` and without a network call:

* ``weights: "full"`` folders hold every encoder weight (fp16) and the encoder's own
  config, so they need nothing else;
* ``weights: "lora"`` folders hold LoRA adapters and the heads; the frozen base encoder is
  resolved offline from an installed package (see :mod:`stancekit.modeling.encoder`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from stancekit.errors import ConfigError, ModelNotFoundError
from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS
from stancekit.modeling.network import StanceNetwork

FORMAT = "stancekit-model"
FORMAT_VERSION = 1
DEFAULT_MODEL = "news-small"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


@dataclass
class ModelConfig:
    """What config.json of a model folder says."""

    base_model: str
    max_length: int = 256
    marking: str = "all"  # "all": every actor mention marked (one pass); "target": one per input
    weights: str = "full"  # "full" or "lora"
    dtype: str = "float16"
    dropout: float = 0.1
    stance_labels: list[str] = field(default_factory=lambda: list(STANCE_LABELS))
    editorial_labels: list[str] = field(default_factory=lambda: list(EDITORIAL_LABELS))
    temperatures: dict[str, float] = field(default_factory=lambda: {"stance": 1.0, "editorial": 1.0})
    biases: dict[str, list[float]] = field(default_factory=dict)
    lora: dict | None = None
    encoder_config: dict | None = None
    name: str = ""
    stancekit_version: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def calibrated(self, task: str, logits):
        """Probabilities from raw logits with this model's temperature and bias for ``task``."""
        from stancekit.modeling.calibration import softmax

        return softmax(logits, self.temperatures.get(task, 1.0), self.biases.get(task))

    @classmethod
    def from_dict(cls, data: dict, path: Path) -> ModelConfig:
        if data.get("format") != FORMAT:
            raise ModelNotFoundError(f"{path}: not a stancekit model folder (config.json has no format {FORMAT!r})")
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{path}: unknown keys in config.json: {sorted(unknown)}")
        cfg = cls(**data)
        if cfg.marking not in ("all", "target"):
            raise ConfigError(f"{path}: marking must be 'all' or 'target', got {cfg.marking!r}")
        if cfg.weights not in ("full", "lora"):
            raise ConfigError(f"{path}: weights must be 'full' or 'lora', got {cfg.weights!r}")
        return cfg


def models_search_path() -> list[Path]:
    """Folders searched for model names: $STANCEKIT_MODELS, the checkout's models/, the cache."""
    paths = []
    env = os.environ.get("STANCEKIT_MODELS")
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    paths.append(Path(__file__).resolve().parents[2] / "models")
    paths.append(Path.home() / ".cache" / "stancekit" / "models")
    return paths


def find_model(name_or_path: str | os.PathLike | None) -> Path:
    """Resolve a model name (``news-small``) or folder to a folder holding config.json."""
    name = str(name_or_path) if name_or_path is not None else DEFAULT_MODEL
    if not isinstance(name_or_path, str | os.PathLike | type(None)):
        raise ModelNotFoundError(f"model must be a name or a path, got {type(name_or_path).__name__}")
    candidates = [Path(name).expanduser()] if (os.sep in name or Path(name).exists()) else []
    candidates += [root / name for root in models_search_path()]
    for folder in candidates:
        if (folder / CONFIG_FILE).is_file():
            missing = [f for f in (WEIGHTS_FILE, "tokenizer.json") if not (folder / f).is_file()]
            if missing:
                raise ModelNotFoundError(
                    f"model folder {folder} lacks {', '.join(missing)}: the folder is incomplete. "
                    "If it came from git, run `git lfs pull` or re-clone; or train it with "
                    f"`stancekit train --config {folder / 'train.yaml'}`."
                )
            return folder
    searched = ", ".join(str(c) for c in candidates)
    raise ModelNotFoundError(
        f"no stancekit model {name!r}: looked in {searched}. Pass a model folder path, set "
        "STANCEKIT_MODELS to a folder of models, or train one with `stancekit train --config ...`. "
        "Shipped models: news-small (default), news-base."
    )


def build_network(cfg: ModelConfig, encoder) -> StanceNetwork:
    return StanceNetwork(encoder, len(cfg.stance_labels), len(cfg.editorial_labels), cfg.dropout)


def save_model(network: StanceNetwork, tokenizer, cfg: ModelConfig, folder: str | Path) -> Path:
    """Write config.json, model.safetensors (fp16 unless cfg.dtype says otherwise), tokenizer."""
    from safetensors.torch import save_file

    from stancekit import __version__

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dtype = getattr(torch, cfg.dtype)
    state = network.state_dict()
    if cfg.weights == "lora":
        state = {k: v for k, v in state.items() if not k.startswith("encoder.") or "lora_" in k}
    else:
        cfg.encoder_config = _plain_encoder(network).config.to_dict()
        # where the base was read from on the training machine says nothing to a user: name the base
        cfg.encoder_config["_name_or_path"] = cfg.base_model
    tensors = {k: v.detach().to(dtype).contiguous().clone() for k, v in state.items()}
    cfg.stancekit_version = __version__
    save_file(tensors, str(folder / WEIGHTS_FILE), metadata={"format": FORMAT})
    write_config(cfg, folder)
    tokenizer.save_pretrained(str(folder))
    return folder


def _plain_encoder(network: StanceNetwork):
    enc = network.encoder
    return enc.get_base_model() if hasattr(enc, "get_base_model") else enc


def write_config(cfg: ModelConfig, folder: Path) -> None:
    (Path(folder) / CONFIG_FILE).write_text(json.dumps(asdict(cfg), indent=2, sort_keys=True) + "\n", "utf-8")


def read_config(folder: Path) -> ModelConfig:
    try:
        data = json.loads((folder / CONFIG_FILE).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{folder / CONFIG_FILE}: invalid JSON ({exc})") from exc
    return ModelConfig.from_dict(data, folder)


def load_model(folder: Path) -> tuple[StanceNetwork, object, ModelConfig]:
    """Load a model folder into (network in eval mode, fp32; tokenizer; config)."""
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    cfg = read_config(folder)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    state = {k: v.float() for k, v in load_file(str(folder / WEIGHTS_FILE)).items()}
    if cfg.weights == "full":
        enc_cfg = dict(cfg.encoder_config or {})
        model_type = enc_cfg.pop("model_type", None)
        if model_type is None:
            raise ConfigError(f"{folder / CONFIG_FILE}: encoder_config lacks model_type")
        from transformers.initialization import no_init_weights

        # every encoder weight comes from the file (checked below): skip the random init (~0.15 s of startup)
        with no_init_weights():
            encoder = AutoModel.from_config(AutoConfig.for_model(model_type, **enc_cfg))
        network = build_network(cfg, encoder)
        missing, unexpected = network.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith("position_ids")]
        if missing or unexpected:
            raise ModelNotFoundError(
                f"{folder / WEIGHTS_FILE} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}"
            )
    else:
        from stancekit.modeling.encoder import load_base_encoder
        from stancekit.modeling.lora import attach_lora

        encoder, _ = load_base_encoder(cfg.base_model)
        encoder = attach_lora(encoder, cfg.lora or {})
        network = build_network(cfg, encoder)
        missing, unexpected = network.load_state_dict(state, strict=False)
        # the frozen base weights come from the base encoder; adapters and heads must be in the file
        missing = [k for k in missing if "lora_" in k or not k.startswith("encoder.")]
        if missing or unexpected:
            raise ModelNotFoundError(
                f"{folder / WEIGHTS_FILE} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}"
            )
        network.encoder = network.encoder.merge_and_unload()
    network.eval()
    return network, tokenizer, cfg
