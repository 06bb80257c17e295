"""The holder probe: its features, its decisions, its folded fit, its config checks and its place in analyze()."""

import json
import shutil

import numpy as np
import pytest

from stancekit.errors import ConfigError
from stancekit.modeling.holder_probe import (
    FORMAT,
    RULE_FEATURES,
    HolderProbe,
    _fit,
    check_probe,
    holder_of,
    rule_features,
)
from stancekit.results import Attribution
from stancekit.text.attribution import MentionRef

TEXT = 'Lee accused Park of lying, and "Kim is a fraud," a spokesman said.'


def _at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def _attrs():
    lee = Attribution("Lee", "Lee", *_at("Lee"), *_at("accused"), *_at("Park of lying"), "reported")
    quote = Attribution("a spokesman", None, *_at("a spokesman"), *_at("said"), *_at("Kim is a fraud,"), "direct")
    return [lee, quote]


def _mentions():
    return [
        MentionRef(*_at("Lee"), "Lee", "person"),
        MentionRef(*_at("Park"), "Park", "person"),
        MentionRef(*_at("Kim"), "Kim", "person"),
    ]


def test_rule_features_describe_the_rules_view():
    attrs, mentions = _attrs(), _mentions()
    holding = [None, attrs[0], attrs[1]]
    f = rule_features(TEXT, attrs, mentions, holding)
    col = {name: i for i, name in enumerate(RULE_FEATURES)}
    assert f.shape == (3, len(RULE_FEATURES))
    assert f[0, col["rules_say_source"]] == 0 and f[0, col["in_source_span"]] == 1
    assert f[1, col["rules_say_source"]] == 1 and f[1, col["held_reported"]] == 1 and f[1, col["held_by_actor"]] == 1
    assert f[2, col["held_direct"]] == 1 and f[2, col["held_by_actor"]] == 0
    assert (f[:, col["sentence_attributed"]] == 1).all() and (f[:, col["sentence_quoted"]] == 1).all()
    assert (f[:, col["person"]] == 1).all()


def _probe(bias: float, width: int = 4) -> HolderProbe:
    return HolderProbe(np.zeros(width, np.float32), np.zeros(len(RULE_FEATURES), np.float32), bias)


def test_decide_overrides_the_rules_on_polar_rows_only():
    attrs, (_, park, kim) = _attrs(), _mentions()
    outsider = MentionRef(len(TEXT) - 1, len(TEXT), "Ohio", "place")  # a mention no source span covers
    mentions, holding = [outsider, park, kim], [None, attrs[0], None]
    feats, rules = np.zeros((3, 4), np.float32), np.zeros((3, len(RULE_FEATURES)), np.float32)
    # the probe says "source" everywhere: an unheld polar row takes the sentence's first attribution
    said = _probe(5.0).decide(attrs, mentions, holding, feats, rules, [True, True, False])
    assert said == [attrs[0], attrs[0], None]
    # ... and a sentence with no attribution stays the author's: the probe invents no source
    assert _probe(5.0).decide([], [outsider], [None], feats[:1], rules[:1], [True]) == [None]
    # the probe says "author": a held polar row is the author's, a neutral row keeps the rules' holder
    assert _probe(-5.0).decide(attrs, mentions, holding, feats, rules, [True, True, False]) == [None, None, None]
    assert _probe(-5.0).decide(attrs, mentions, holding, feats, rules, [False, False, False]) == holding


def test_decide_keeps_a_speakers_own_mention_the_authors():
    attrs, (lee, _, _) = _attrs(), _mentions()
    feats, rules = np.zeros((1, 4), np.float32), np.zeros((1, len(RULE_FEATURES)), np.float32)
    # "Lee accused ...": Lee's own mention is the author's however sure the probe is
    assert _probe(5.0).decide(attrs, [lee], [None], feats, rules, [True]) == [None]
    # an actor in its own statement ("X promised ..., according to X's statement") is not its own source
    own = Attribution("Lee", "Lee", -1, -1, -1, -1, 0, len(TEXT), "according_to")
    assert _probe(5.0).decide([own], [lee], [None], feats, rules, [True]) == [None]


def test_holder_of_names_the_source_and_its_words():
    attrs = _attrs()
    assert holder_of(None) == (("author", "author"), "")
    assert holder_of(attrs[1], TEXT) == (("a spokesman", "source"), "a spokesman")


def test_probe_refuses_features_of_another_width():
    with pytest.raises(ConfigError, match="fitted on another model"):
        _probe(0.0, width=4).logits(np.zeros((2, 6), np.float32), np.zeros((2, len(RULE_FEATURES)), np.float32))


def test_fit_folds_scaling_pca_and_regression_into_one_linear_map():
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 20)).astype(np.float32) * rng.uniform(0.5, 3, size=20) + 4
    r = (rng.random((200, len(RULE_FEATURES))) > 0.5).astype(np.float32)
    y = ((x[:, 0] - 4) + 2 * r[:, 0] + rng.normal(size=200) > 1).astype(int)
    entry = _fit(x, r, y, components=8, c=0.3)
    check_probe(entry, "here")
    z = (x - x.mean(0)) / (x.std(0) + 1e-6)
    pca = PCA(8, random_state=0).fit(z)
    lr = LogisticRegression(C=0.3, max_iter=5000).fit(np.c_[pca.transform(z), r * 3.0], y)
    want = lr.decision_function(np.c_[pca.transform(z), r * 3.0])
    got = HolderProbe.from_config(entry).logits(x, r)
    np.testing.assert_allclose(got, want, atol=1e-3)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"format": "x"}, "holder_probe.format"),
        ({"rule_features": ["a"]}, "holder_probe.rule_features"),
        ({"weights": [1.0, float("nan")]}, "holder_probe.weights"),
        ({"rule_weights": [0.0]}, "holder_probe.rule_weights"),
        ({"bias": "1"}, "holder_probe.bias"),
        ({"bias": -1e300}, "holder_probe.bias"),  # -inf once in float32
    ],
)
def test_check_probe_names_the_bad_field(change, field):
    good = {
        "format": FORMAT,
        "rule_features": list(RULE_FEATURES),
        "weights": [0.1, 0.2],
        "rule_weights": [0.0] * len(RULE_FEATURES),
        "bias": 0.0,
    }
    check_probe(good, "cfg.json")
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        check_probe({**good, **change}, "cfg.json")


def test_features_are_the_stance_heads_input(tiny_analyzer):
    import torch

    texts = ["Smith praised Jones for the deal.", "Nobody came."]
    spans = [[(0, 5), (14, 19)], []]
    stance, _, feats = tiny_analyzer.logits(texts, spans, features=True)
    plain, _ = tiny_analyzer.logits(texts, spans)
    head = tiny_analyzer.new_predictor().network.stance_head.eval()
    with torch.inference_mode():
        again = head(torch.from_numpy(feats[0])).numpy()
    assert feats[0].shape[0] == 2 and feats[1].shape[0] == 0
    np.testing.assert_allclose(again, stance[0], atol=1e-4)
    np.testing.assert_allclose(plain[0], stance[0], atol=1e-6)


def test_analyze_uses_the_folders_probe(tiny_model_path, tmp_path):
    """A probe that says "author" for every polar row takes polar rows off their sources; neutral rows keep the
    rules' holder; the folder's config (and so a scoring job's fingerprint) carries the probe."""
    import stancekit

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_path, folder)
    # sentences the tiny model was trained on (conftest), so that it gives polar rows as well as neutral ones
    text = (
        "Critics accused Senator Smith of lying to voters. Protesters denounced Governor Jones as a corrupt fraud. "
        "Brown was hailed as a hero by the crowd. Smith will visit Ohio on Tuesday. Jones met the delegation on Monday."
    )
    plain = stancekit.load(str(folder), precision="float32").analyze(text)
    cfg_path = folder / "stancekit_config.json"
    cfg = json.loads(cfg_path.read_text("utf-8"))
    hidden = json.loads((folder / "config.json").read_text("utf-8"))["hidden_size"]
    cfg["holder_probe"] = {
        "format": FORMAT,
        "rule_features": list(RULE_FEATURES),
        "weights": [0.0] * (3 * hidden),
        "rule_weights": [0.0] * len(RULE_FEATURES),
        "bias": -9.0,
    }
    cfg_path.write_text(json.dumps(cfg), "utf-8")
    probed_an = stancekit.load(str(folder), precision="float32")
    probed = probed_an.analyze(text)
    rows = [
        (a, b)
        for s, t in zip(plain.sentences, probed.sentences, strict=True)
        for a, b in zip(s.stances, t.stances, strict=True)
    ]
    moved = [a for a, _ in rows if a.label != "neutral" and a.holder_kind == "source"]
    assert moved, "the tiny model gave no source-held polar row to check"
    for a, b in rows:
        assert a.label == b.label and a.scores == b.scores
        if a.label == "neutral":
            assert (b.holder, b.holder_kind) == (a.holder, a.holder_kind)
        else:
            assert (b.holder, b.holder_kind) == ("author", "author")
    fingerprint = probed_an.identity()["model"]["config_sha256"]
    assert fingerprint != stancekit.load(str(tiny_model_path)).identity()["model"]["config_sha256"]


def test_fit_holders_writes_the_probe_into_the_folder(tiny_model_path, tmp_path, shared_data):
    """`stancekit fit-holders` on a small labels file: the folder's config, metrics and train.yaml record the probe,
    and the folder loads and analyzes with it."""
    import stancekit
    from stancekit.data.articlestance import LABELS_FILE
    from stancekit.modeling.checkpoint import read_config
    from stancekit.training.config import TrainConfig
    from stancekit.training.holders import fit_holders

    def polar(rec):
        return any(p.get("stance") in ("negative", "positive") and p.get("holder") for p in rec["pairs"])

    records = [json.loads(line) for line in LABELS_FILE.read_text("utf-8").splitlines()]
    keep = [r for r in records if r["split"] == "train" and polar(r)][:40]
    keep += [r for r in records if r["split"] == "dev" and polar(r)][:15]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in keep), "utf-8")
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_path, folder)
    metrics = fit_holders(folder, str(shared_data), labels=labels)
    assert metrics["train_pairs"] >= 40 and metrics["dev_pairs"] >= 15
    assert 0 <= metrics["dev_holder_kind_probe"] <= 1 and len(metrics["sweep"]) == 9
    probe = read_config(folder).holder_probe
    assert probe["fitted_on"] == {"train": "articlestance-train", "chosen_on": "articlestance-dev"}
    assert json.loads((folder / "training_metrics.json").read_text("utf-8"))["holder_probe"] == metrics
    assert TrainConfig.from_yaml(folder / "train.yaml").holder_probe is True
    an = stancekit.load(str(folder))
    assert an.config.holder_probe == probe
    doc = an.analyze('"Smith has failed us," Jones said.')
    assert [len(s.stances) for s in doc.sentences] == [2]


_HOLDER_CASES = [
    ("Senator Alma Rizzo accused the Velonian government of rigging the vote.", "Velonian", "Alma Rizzo"),
    ("According to Harwick Bank, Portugal has wrecked its own economy.", "Portugal", "Harwick Bank"),
    (
        "Mayor Dana Whitlock spoke for an hour. “Brian Oduya has lied to this city for years,” Whitlock said. "
        "“Oduya should resign. Nobody trusts Oduya any more.”",
        "Brian Oduya",
        "Dana Whitlock",
    ),
    (
        "“The Norwegian plan is a fraud, and Norway knows it,” said Pavel Drummond. "
        "“Norway cannot be trusted with a single euro,” he said.",
        "Norway",
        "Pavel Drummond",
    ),
    ('Premier Lotte Vance calls her cuts a "reform", but Vance is fooling nobody.', "Lotte Vance", "author"),
    ("Norway is playing a reckless game with its neighbours.", "Norway", "author"),
]


@pytest.mark.parametrize("text, target, holder", _HOLDER_CASES)
def test_the_shipped_probe_keeps_the_attribution_behaviours(default_analyzer, text, target, holder):
    """Issue 19's behaviours end to end through the default model: "X accused Y", "according to X", a
    multi-sentence quote, a quote closed by "he said", scare quotes, the writer's own words. Every row of the
    target is checked: the probe decides the polar ones, the rules the neutral ones."""
    assert default_analyzer.config.holder_probe
    doc = default_analyzer.analyze(text)
    rows = [st for s in doc.sentences for st in s.stances if st.actor == target]
    assert rows, f"no row for {target}"
    assert all(st.holder == holder for st in rows), [(st.mention, st.label, st.holder) for st in rows]


#: Cases where the default model's article read-out calls every row of the target neutral (its head found the
#: criticism): the read-out's known cost on quoted and editorial criticism, benchmarks/results/stance-readout.md.
_READOUT_MISSES = {
    "“The Norwegian plan is a fraud, and Norway knows it,” said Pavel Drummond. "
    "“Norway cannot be trusted with a single euro,” he said.",
    "Norway is playing a reckless game with its neighbours.",
}


@pytest.mark.parametrize(
    "text, target, holder",
    [
        pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="the read-out calls the criticism neutral"))
        if case[0] in _READOUT_MISSES
        else case
        for case in _HOLDER_CASES
    ],
)
def test_the_shipped_probe_holds_the_polar_rows(default_analyzer, text, target, holder):
    """The same cases' polar rows, which the probe decides: each case has one, held as the guidelines say."""
    doc = default_analyzer.analyze(text)
    polar = [st for s in doc.sentences for st in s.stances if st.actor == target and st.label != "neutral"]
    assert polar, f"no polar row for {target}"
    assert all(st.holder == holder for st in polar), [(st.mention, st.holder) for st in polar]
