"""Read and write a model folder: stancekit_config.json + model.safetensors + tokenizer files.

The one place where a model folder is read and written. Folders are self-describing and
load without pickle, without ``trust_remote_code`` and without a network call:

* ``stancekit_config.json`` holds stancekit's own fields (base, labels, calibration, marking);
* ``weights: "full"`` folders hold every encoder weight (fp16) and, in ``config.json``, the
  encoder's config as transformers writes it, so they need nothing else;
* ``weights: "lora"`` folders hold LoRA adapters and the heads and no ``config.json`` (like a PEFT
  adapter folder): the frozen base encoder, config included, is resolved offline from an installed
  package (see :mod:`stancekit.modeling.encoder`).

Folders of the older layout (one ``config.json`` with ``format: stancekit-model`` and the encoder's
config nested in ``encoder_config``) still load; :func:`write_config` writes the new layout.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from stancekit.errors import ConfigError, ModelLoadError, ModelNotFoundError
from stancekit.labels import DEFAULT_CONVENTION, EDITORIAL_LABELS, STANCE_LABELS
from stancekit.modeling.network import StanceNetwork

FORMAT = "stancekit-model"
FORMAT_VERSION = 1
DEFAULT_MODEL = "news-small"
#: stancekit's own fields (its own name, so it never collides with the encoder's config.json)
CONFIG_FILE = "stancekit_config.json"
#: the encoder's config as transformers writes it (full-weight folders); in the older layout, stancekit's config
ENCODER_CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


@dataclass
class ModelConfig:
    """What stancekit_config.json of a model folder says, with the encoder's config.json in ``encoder_config``."""

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
    # stance conventions the model can follow besides its default (the article guidelines), e.g. ["newsmtsc"]:
    # a training set labelled under another convention is learnt under its name, so that its labels do not pull
    # the default away (docs/schema.md, "Stance conventions")
    conventions: list[str] = field(default_factory=list)
    # the holder probe's weights (stancekit.modeling.holder_probe), or None: the attribution rules alone decide
    holder_probe: dict | None = None
    # the article read-out's weights (stancekit.modeling.stance_readout), or None: the stance head's logits
    stance_readout: dict | None = None
    encoder_config: dict | None = None
    name: str = ""
    stancekit_version: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def calibrated(self, task: str, logits, convention: str | None = None):
        """Probabilities from raw logits with this model's temperature and bias for ``task``.

        Under a convention other than the default, the calibration fitted on that convention's dev sets
        (key ``"stance@newsmtsc"``) when the model has one, else the task's."""
        from stancekit.modeling.calibration import softmax

        key = calibration_key(task, convention)
        if key not in self.temperatures:
            key = task
        return softmax(logits, self.temperatures.get(key, 1.0), self.biases.get(key))

    @classmethod
    def from_dict(cls, data: dict, path: Path, *, legacy: bool = False) -> ModelConfig:
        """A config from stancekit_config.json's contents (``legacy``: an older config.json), every field checked.

        Errors name the file and the field. stancekit_config.json never holds ``encoder_config``: the
        encoder's config is the folder's config.json (see :func:`read_config`).
        """
        where = Path(path) / (ENCODER_CONFIG_FILE if legacy else CONFIG_FILE)
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: must hold a JSON object, got {type(data).__name__}")
        if data.get("format") != FORMAT:
            raise ModelNotFoundError(f"{path}: not a stancekit model folder ({where.name} has no format {FORMAT!r})")
        known = {f for f in cls.__dataclass_fields__ if legacy or f != "encoder_config"}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{where}: unknown keys in {where.name}: {sorted(unknown)}")
        if "base_model" not in data:
            raise ConfigError(f"{where}: field 'base_model' is missing")
        cfg = cls(**data)
        cfg.validate(where)
        if legacy:
            cfg.validate_encoder(where, "encoder_config.")
        return cfg

    def to_dict(self) -> dict:
        """stancekit_config.json's contents: every field but the encoder's config (that is config.json)."""
        data = asdict(self)
        del data["encoder_config"]
        return data

    def validate(self, where: Path | str) -> None:
        """Types, ranges and label sets of every field; raises ConfigError naming the field."""

        def bad(name: str, want: str, got) -> ConfigError:
            return ConfigError(f"{where}: field {name!r} must be {want}, got {got!r}")

        if not _is_int(self.format_version):
            raise bad("format_version", "an integer", self.format_version)
        if self.format_version != FORMAT_VERSION:
            raise ConfigError(
                f"{where}: field 'format_version' is {self.format_version}; this stancekit reads version "
                f"{FORMAT_VERSION} (a newer stancekit wrote this folder, or it is damaged)"
            )
        for name in ("base_model", "name", "stancekit_version"):
            if not isinstance(getattr(self, name), str):
                raise bad(name, "a string", getattr(self, name))
        if not self.base_model.strip():
            raise bad("base_model", "a non-empty string", self.base_model)
        if not _is_int(self.max_length) or not MIN_MAX_LENGTH <= self.max_length <= MAX_MAX_LENGTH:
            raise bad("max_length", f"an integer in [{MIN_MAX_LENGTH}, {MAX_MAX_LENGTH}]", self.max_length)
        if self.marking not in ("all", "target"):
            raise bad("marking", "'all' or 'target'", self.marking)
        if self.weights not in ("full", "lora"):
            raise bad("weights", "'full' or 'lora'", self.weights)
        if self.dtype not in ("float16", "bfloat16", "float32"):
            raise bad("dtype", "'float16', 'bfloat16' or 'float32'", self.dtype)
        if not _is_number(self.dropout) or not 0 <= self.dropout < 1:
            raise bad("dropout", "a number in [0, 1)", self.dropout)
        label_sets = {
            "stance": (self.stance_labels, STANCE_LABELS),
            "editorial": (self.editorial_labels, EDITORIAL_LABELS),
        }
        for task, (labels, expected) in label_sets.items():
            if (
                not isinstance(labels, list)
                or len(labels) != len(expected)
                or sorted(map(str, labels)) != sorted(expected)
            ):
                raise bad(f"{task}_labels", f"the labels {list(expected)} (any order, each once)", labels)
        if not isinstance(self.temperatures, dict):
            raise bad("temperatures", "a mapping of task to temperature", self.temperatures)
        conv = self.conventions
        if (
            not isinstance(conv, list)
            or not all(isinstance(c, str) and c.strip() for c in conv)
            or len(set(conv)) != len(conv)
        ):
            raise bad("conventions", "a list of distinct convention names", conv)
        if DEFAULT_CONVENTION in conv:
            raise bad("conventions", f"names other than the default {DEFAULT_CONVENTION!r}", conv)
        keys = {calibration_key(task, c) for task in label_sets for c in [None, *self.conventions]}
        want = "keyed by 'stance' and 'editorial' (or 'stance@<convention>' for a convention the model knows)"
        for task, t in self.temperatures.items():
            if task not in keys:
                raise bad("temperatures", want, task)
            if not _is_number(t) or not math.isfinite(t) or t <= 0:
                raise bad(f"temperatures.{task}", "a finite number > 0", t)
        if not isinstance(self.biases, dict):
            raise bad("biases", "a mapping of task to a list of biases", self.biases)
        for task, b in self.biases.items():
            if task not in keys:
                raise bad("biases", want, task)
            n = len(label_sets[task.split("@")[0]][0])
            if not isinstance(b, list) or len(b) != n or not all(_is_number(v) and math.isfinite(v) for v in b):
                raise bad(f"biases.{task}", f"a list of {n} finite numbers", b)
        if self.lora is not None and not isinstance(self.lora, dict):
            raise bad("lora", "a mapping or null", self.lora)
        if self.holder_probe is not None:
            from stancekit.modeling.holder_probe import check_probe

            check_probe(self.holder_probe, where)
        if self.stance_readout is not None:
            from stancekit.modeling.stance_readout import check_readout

            check_readout(self.stance_readout, where, len(self.stance_labels))

    def convention_index(self, name: str | None) -> int:
        """0 for the default convention (``None`` or its name), else 1 + the position in ``conventions``."""
        if name is None or name == DEFAULT_CONVENTION:
            return 0
        if name not in self.conventions:
            known = ", ".join([DEFAULT_CONVENTION, *self.conventions])
            raise ConfigError(
                f"model {self.name or self.base_model!r} has no stance convention {name!r}; it has: {known}"
            )
        return 1 + self.conventions.index(name)

    def validate_encoder(self, where: Path | str, prefix: str = "", own: Path | str | None = None) -> None:
        """The encoder's config (``where``: config.json; ``prefix``: its key in the older layout), for full weights.

        Raises ConfigError naming the file and the field; code references (``auto_map``) are refused in any folder.
        ``own`` is the file holding ``max_length`` (stancekit_config.json; ``where`` in the older layout).
        """
        enc = self.encoder_config
        if enc is not None and not isinstance(enc, dict):
            field_name = prefix.rstrip(".") or "config"
            raise ConfigError(f"{where}: field {field_name!r} must be a mapping or null, got {enc!r}")
        enc = enc or {}
        for key in _CODE_KEYS:
            if key in enc:
                raise ConfigError(f"{where}: field '{prefix}{key}' names code to run; stancekit never runs it")
        if self.weights != "full":
            return
        if not isinstance(enc.get("model_type"), str):
            raise ConfigError(
                f"{where}: field '{prefix}model_type' must be a string (the encoder's architecture), "
                f"got {enc.get('model_type')!r}"
            )
        positions = enc.get("max_position_embeddings")
        if _is_int(positions) and self.max_length > positions:
            raise ConfigError(
                f"{own or where}: field 'max_length' ({self.max_length}) exceeds the encoder's "
                f"max_position_embeddings ({positions}, field '{prefix}max_position_embeddings' of {where})"
            )


#: Bounds of config.json's max_length (tokens per encoder input, markers and specials included).
MIN_MAX_LENGTH, MAX_MAX_LENGTH = 8, 65536
#: Keys by which transformers finds Python code inside a folder: a stancekit model never has them.
_CODE_KEYS = ("auto_map", "custom_pipelines")
#: The only files a model folder may hold; anything else (a .py file above all) is refused unread.
ALLOWED_FILES = frozenset(
    {
        CONFIG_FILE,
        ENCODER_CONFIG_FILE,
        WEIGHTS_FILE,
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "vocab.txt",
        "vocab.json",
        "merges.txt",
        "README.md",
        "train.yaml",
        "training_metrics.json",
        ".gitattributes",
        ".gitignore",
    }
)
#: Model names that always mean the shipped models, whatever folders the current directory holds.
PRESET_MODELS = ("news-small", "news-base")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_folder(folder: Path) -> None:
    """Refuse a model folder holding files a stancekit model does not have, or code references.

    Why: transformers can import Python from a folder (``auto_map``); a model folder is data only.
    """
    extra = sorted(p.name for p in folder.iterdir() if p.name not in ALLOWED_FILES)
    if extra:
        raise ModelLoadError(
            f"model folder {folder} holds {', '.join(extra[:5])}, which a stancekit model folder never has; "
            f"refusing to load it (allowed files: {', '.join(sorted(ALLOWED_FILES))})"
        )
    tok_cfg = folder / "tokenizer_config.json"
    if tok_cfg.is_file():
        try:
            data = json.loads(tok_cfg.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ModelLoadError(f"{tok_cfg}: invalid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise ModelLoadError(f"{tok_cfg}: must hold a JSON object")
        for key in _CODE_KEYS:
            if key in data:
                raise ModelLoadError(f"{tok_cfg}: field {key!r} names code to run; stancekit never runs it")


def shipped_models() -> Path:
    """The folder of the models that come with stancekit (the checkout's ``models/``)."""
    return Path(__file__).resolve().parents[2] / "models"


def models_search_path() -> list[Path]:
    """Folders searched for model names: $STANCEKIT_MODELS, the checkout's models/, the cache."""
    paths = []
    env = os.environ.get("STANCEKIT_MODELS")
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    paths.append(shipped_models())
    paths.append(Path.home() / ".cache" / "stancekit" / "models")
    return paths


def _looks_like_path(name: str) -> bool:
    seps = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    return any(s in name for s in seps) or name.startswith(("~", ".")) or Path(name).is_absolute()


def find_model(name_or_path: str | os.PathLike | None) -> Path:
    """Resolve a model name (``news-small``) or folder to a model folder (stancekit_config.json, or older config.json).

    The order: a path (anything with a separator, or starting with ``.`` or ``~``, or an
    ``os.PathLike``) names that folder only. The preset names ``news-small`` and ``news-base``
    mean the shipped models first, then $STANCEKIT_MODELS and the cache; a folder of that name in
    the current directory is only used when given as a path (``./news-small``), so running
    stancekit inside an untrusted folder cannot swap the model. Other names are looked up in
    $STANCEKIT_MODELS, the shipped models, the cache, and last the current directory.
    """
    if not isinstance(name_or_path, str | os.PathLike | type(None)):
        raise ModelNotFoundError(f"model must be a name or a path, got {type(name_or_path).__name__}")
    name = os.fspath(name_or_path) if name_or_path is not None else DEFAULT_MODEL
    if not isinstance(name, str):
        raise ModelNotFoundError(f"model path must be text, got {type(name).__name__}")
    if isinstance(name_or_path, os.PathLike) or _looks_like_path(name):
        candidates = [Path(name).expanduser()]
    elif name in PRESET_MODELS:
        shipped = shipped_models()
        candidates = [shipped / name] + [root / name for root in models_search_path() if root != shipped]
    else:
        candidates = [root / name for root in models_search_path()] + [Path(name)]
    for folder in candidates:
        if (folder / CONFIG_FILE).is_file() or (folder / ENCODER_CONFIG_FILE).is_file():
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


def calibration_key(task: str, convention: str | None) -> str:
    """Where a task's calibration under a convention is kept: ``"stance"``, ``"stance@newsmtsc"``."""
    return task if convention is None or convention == DEFAULT_CONVENTION else f"{task}@{convention}"


def build_network(cfg: ModelConfig, encoder, where: str | Path = CONFIG_FILE) -> StanceNetwork:
    """The network a config describes, its article read-out set (``where`` names the config in errors)."""
    network = StanceNetwork(
        encoder, len(cfg.stance_labels), len(cfg.editorial_labels), cfg.dropout, n_conventions=len(cfg.conventions)
    )
    network.set_readout(cfg.stance_readout, str(where))
    return network


def save_model(network: StanceNetwork, tokenizer, cfg: ModelConfig, folder: str | Path) -> Path:
    """Write stancekit_config.json, the encoder's config.json (full weights), model.safetensors, the tokenizer.

    The weights are fp16 unless ``cfg.dtype`` says otherwise.
    """
    from safetensors.torch import save_file

    from stancekit import __version__

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dtype = getattr(torch, cfg.dtype)
    state = network.state_dict()
    if cfg.weights == "lora":
        state = {k: v for k, v in state.items() if not k.startswith("encoder.") or "lora_" in k}
        cfg.encoder_config = None  # the base's own config comes with the base encoder
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


def _dumps(data) -> str:
    """JSON as transformers' ``to_json_file(use_diff=False)`` writes a config: sorted keys, two-space indent."""
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def write_config(cfg: ModelConfig, folder: Path) -> None:
    """Write the folder's configs in the current layout (an older folder's config.json is replaced).

    stancekit_config.json takes stancekit's fields; config.json the encoder's config (full weights)
    or, for LoRA folders, nothing: an older layout's config.json is removed there.
    """
    folder = Path(folder)
    cfg.validate(folder / CONFIG_FILE)
    cfg.validate_encoder(folder / ENCODER_CONFIG_FILE, own=folder / CONFIG_FILE)
    hf = folder / ENCODER_CONFIG_FILE
    if cfg.weights == "full":
        hf.write_text(_dumps(cfg.encoder_config), "utf-8")
    elif hf.is_file() and _is_stancekit_config(_read_json(hf)):
        hf.unlink()
    (folder / CONFIG_FILE).write_text(_dumps(cfg.to_dict()), "utf-8")


def _read_json(path: Path):
    try:
        return json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: invalid JSON ({exc})") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _is_stancekit_config(data) -> bool:
    """An older folder's config.json: stancekit's own config, the encoder's nested in ``encoder_config``."""
    return isinstance(data, dict) and data.get("format") == FORMAT


def read_config(folder: Path) -> ModelConfig:
    """The folder's config: stancekit_config.json with the encoder's config.json, or an older folder's config.json.

    Where both stancekit_config.json and a config.json of the older layout lie, stancekit_config.json
    wins and the encoder's config is taken from the older file's ``encoder_config``.
    """
    folder = Path(folder)
    own, hf = folder / CONFIG_FILE, folder / ENCODER_CONFIG_FILE
    if not own.is_file():
        if not hf.is_file():
            raise ModelNotFoundError(f"{folder}: not a stancekit model folder (no {CONFIG_FILE})")
        return ModelConfig.from_dict(_read_json(hf), folder, legacy=True)
    cfg = ModelConfig.from_dict(_read_json(own), folder)
    data = _read_json(hf) if hf.is_file() else None
    prefix = ""
    if _is_stancekit_config(data):
        data, prefix = data.get("encoder_config"), "encoder_config."
    elif data is not None and not isinstance(data, dict):
        raise ConfigError(f"{hf}: must hold a JSON object, got {type(data).__name__}")
    if cfg.weights == "full" and data is None:
        raise ConfigError(f"{hf}: no encoder config; a full-weight model folder holds its encoder's config there")
    cfg.encoder_config = data
    cfg.validate_encoder(hf, prefix, own)  # code references are refused in any folder
    if cfg.weights == "lora":
        cfg.encoder_config = None  # the base encoder brings its own config
    return cfg


def _read_weights(path: Path) -> dict[str, torch.Tensor]:
    """The tensors of model.safetensors as float32; a truncated or corrupt file is a ModelLoadError."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelLoadError(f"{path}: unreadable safetensors file, truncated or corrupt ({exc})") from exc
    bad = [k for k, v in tensors.items() if not v.is_floating_point()]
    if bad:
        raise ModelLoadError(f"{path}: tensors {bad[:5]} are not floating point")
    return {k: v.float() for k, v in tensors.items()}


def _load_tokenizer(folder: Path):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), trust_remote_code=False, local_files_only=True)
    except Exception as exc:  # transformers raises many types for a bad folder: name the folder once
        raise ModelLoadError(f"{folder}: the tokenizer files cannot be loaded ({type(exc).__name__}: {exc})") from exc
    if not getattr(tokenizer, "is_fast", False):
        raise ModelLoadError(f"{folder}: tokenizer.json did not give a fast tokenizer")
    return tokenizer


def _load_state(network, state: dict, path: Path):
    try:
        return network.load_state_dict(state, strict=False)
    except RuntimeError as exc:  # shapes that do not match the config
        raise ModelLoadError(f"{path} does not match its config ({str(exc).splitlines()[0]})") from exc


def _required(missing: list[str], weights: str) -> list[str]:
    """The missing keys a weights file must have held: a LoRA file leaves the frozen base encoder to the base
    model (adapters and heads must be there); ``position_ids`` buffers are rebuilt by the encoder."""
    if weights == "lora":
        missing = [k for k in missing if "lora_" in k or not k.startswith("encoder.")]
    return [k for k in missing if not k.endswith("position_ids")]


def load_initial_weights(network: StanceNetwork, cfg: ModelConfig, name_or_path: str | os.PathLike) -> Path:
    """Copy a trained model folder's weights into ``network`` (built from ``cfg``, LoRA adapters unmerged).

    Why: continuing a shipped model on new data starts from its weights rather than the bare encoder.
    The folder must match ``cfg`` in base encoder, weights kind, LoRA shape and marking (ConfigError naming
    the field otherwise); the heads and (full weights) every encoder weight or (LoRA) every adapter must be
    in its file. Returns the folder read.
    """
    folder = find_model(name_or_path)
    check_folder(folder)
    saved = read_config(folder)
    for name in ("base_model", "weights", "marking"):
        if getattr(saved, name) != getattr(cfg, name):
            raise ConfigError(
                f"init_from {str(folder)!r}: field {name!r} is {getattr(saved, name)!r} there and "
                f"{getattr(cfg, name)!r} in the training config"
            )
    if cfg.weights == "lora" and (saved.lora or {}) != (cfg.lora or {}):
        raise ConfigError(f"init_from {str(folder)!r}: field 'lora' is {saved.lora!r} there and {cfg.lora!r} here")
    path = folder / WEIGHTS_FILE
    state = _read_weights(path)
    missing, unexpected = _load_state(network, state, path)
    missing = _required(missing, cfg.weights)
    if "conventions" in missing and not saved.conventions:
        missing.remove("conventions")  # a convention the folder never learnt starts where the default is (zero)
        with torch.no_grad():
            network.conventions.zero_()
    elif "conventions" in state and saved.conventions != cfg.conventions:
        raise ConfigError(
            f"init_from {str(folder)!r}: field 'conventions' is {saved.conventions!r} there and "
            f"{cfg.conventions!r} here"
        )
    if missing or unexpected:
        raise ModelLoadError(f"{path} does not fit the network: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return folder


def load_model(folder: Path) -> tuple[StanceNetwork, object, ModelConfig]:
    """Load a model folder into (network in eval mode, fp32; tokenizer; config).

    Building the network draws initial weights from torch's global generator before the saved ones
    replace them: the caller's random state is restored afterwards.
    """
    from stancekit.globalstate import preserved_random_state

    with preserved_random_state():
        return _load_model(folder)


def _load_model(folder: Path) -> tuple[StanceNetwork, object, ModelConfig]:
    from transformers import AutoConfig, AutoModel

    folder = Path(folder)
    check_folder(folder)
    cfg = read_config(folder)
    tokenizer = _load_tokenizer(folder)
    state = _read_weights(folder / WEIGHTS_FILE)
    if cfg.weights == "full":
        enc_cfg = dict(cfg.encoder_config or {})
        model_type = enc_cfg.pop("model_type", None)
        if model_type is None:
            raise ConfigError(f"{folder / ENCODER_CONFIG_FILE}: field 'model_type' is missing")
        from transformers.initialization import no_init_weights

        try:
            enc_config = AutoConfig.for_model(model_type, **enc_cfg)
            # every encoder weight comes from the file (checked below): skip the random init (~0.15 s of startup)
            with no_init_weights():
                encoder = AutoModel.from_config(enc_config, trust_remote_code=False)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            where = folder / ENCODER_CONFIG_FILE
            raise ConfigError(f"{where}: the encoder's config builds no encoder ({exc})") from exc
        network = build_network(cfg, encoder, folder / CONFIG_FILE)
        missing, unexpected = _load_state(network, state, folder / WEIGHTS_FILE)
        missing = _required(missing, cfg.weights)
        if missing or unexpected:
            raise ModelNotFoundError(
                f"{folder / WEIGHTS_FILE} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}"
            )
    else:
        from stancekit.modeling.encoder import load_base_encoder
        from stancekit.modeling.lora import attach_lora

        encoder, _ = load_base_encoder(cfg.base_model)
        encoder = attach_lora(encoder, cfg.lora or {})
        network = build_network(cfg, encoder, folder / CONFIG_FILE)
        missing, unexpected = _load_state(network, state, folder / WEIGHTS_FILE)
        missing = _required(missing, cfg.weights)
        if missing or unexpected:
            raise ModelNotFoundError(
                f"{folder / WEIGHTS_FILE} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}"
            )
        network.encoder = network.encoder.merge_and_unload()
    network.eval()
    return network, tokenizer, cfg
