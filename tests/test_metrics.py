import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from stancekit.evaluation.metrics import bootstrap_ci, classification_report, macro_f1
from stancekit.modeling.calibration import expected_calibration_error, fit_temperature, softmax

Y_TRUE = np.array([0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0, 2, 2, 1])
Y_PRED = np.array([0, 2, 2, 1, 1, 0, 1, 2, 1, 0, 2, 0, 0, 2, 1])


def test_report_matches_scikit_learn():
    rep = classification_report(Y_TRUE, Y_PRED, ["negative", "neutral", "positive"], n_boot=0)
    assert rep["macro_f1"] == pytest.approx(f1_score(Y_TRUE, Y_PRED, average="macro"))
    assert rep["accuracy"] == pytest.approx(accuracy_score(Y_TRUE, Y_PRED))
    assert rep["confusion"] == confusion_matrix(Y_TRUE, Y_PRED).tolist()
    p, r, f, s = precision_recall_fscore_support(Y_TRUE, Y_PRED)
    for i, lab in enumerate(["negative", "neutral", "positive"]):
        assert rep["per_class"][lab]["precision"] == pytest.approx(p[i])
        assert rep["per_class"][lab]["recall"] == pytest.approx(r[i])
        assert rep["per_class"][lab]["f1"] == pytest.approx(f[i])
        assert rep["per_class"][lab]["support"] == s[i]


def test_macro_f1_counts_a_missing_class_as_zero_like_sklearn_with_labels():
    yt = np.array([0, 0, 1, 1])
    yp = np.array([0, 0, 1, 0])
    assert macro_f1(yt, yp, 3) == pytest.approx(f1_score(yt, yp, labels=[0, 1, 2], average="macro", zero_division=0))


def test_majority_class_macro_f1_is_about_a_fifth_on_three_balanced_classes():
    yt = np.array([0] * 40 + [1] * 35 + [2] * 25)
    assert macro_f1(yt, np.zeros_like(yt), 3) == pytest.approx(f1_score(yt, np.zeros_like(yt), average="macro"))
    assert 0.15 < macro_f1(yt, np.zeros_like(yt), 3) < 0.25


def test_bootstrap_interval_contains_the_point_estimate():
    lo, hi = bootstrap_ci(Y_TRUE, Y_PRED, 3, n_boot=300, seed=1)
    assert lo <= macro_f1(Y_TRUE, Y_PRED, 3) <= hi
    assert bootstrap_ci(Y_TRUE, Y_PRED, 3, n_boot=300, seed=1) == (lo, hi)


def test_ece_by_hand():
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]])
    labels = np.array([0, 1, 1, 1])
    # bins: 0.9 -> (0.8, 0.9]: correct 1, conf .9; 0.8 -> (0.7, 0.8]: wrong, conf .8;
    # 0.7 -> (0.6, 0.7]: correct, conf .7; 0.6 -> (0.5, 0.6]: correct, conf .6
    expected = 0.25 * (0.1 + 0.8 + 0.3 + 0.4)
    assert expected_calibration_error(probs, labels) == pytest.approx(expected)


def test_temperature_scaling_fixes_overconfidence():
    rng = np.random.default_rng(0)
    n = 4000
    labels = rng.integers(0, 3, n)
    true_logits = rng.normal(size=(n, 3))
    true_logits[np.arange(n), labels] += 1.0
    over = true_logits * 4.0  # an overconfident model: same argmax, sharper
    t = fit_temperature(over, labels)
    assert 2.5 < t < 6.0
    before = expected_calibration_error(softmax(over), labels)
    after = expected_calibration_error(softmax(over, t), labels)
    assert after < before / 2
    assert (softmax(over, t).argmax(1) == over.argmax(1)).all()


def test_softmax_rows_sum_to_one():
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(p.sum(1), 1) and np.isfinite(p).all()


def test_bias_scaling_corrects_a_shifted_prior():
    from stancekit.modeling.calibration import fit_scaling

    rng = np.random.default_rng(1)
    n = 4000
    labels = rng.integers(0, 2, n)
    logits = rng.normal(size=(n, 2))
    logits[np.arange(n), labels] += 1.5
    shifted = logits + np.array([0.0, 1.0])  # a model that learned too high a prior for class 1
    t, b = fit_scaling(shifted, labels)
    assert b[0] == 0.0 and -1.3 < b[1] * t < -0.7  # the shift, in raw-logit units
    fixed = softmax(shifted, t, b)
    assert expected_calibration_error(fixed, labels) < expected_calibration_error(softmax(shifted), labels)
    assert macro_f1(labels, fixed.argmax(1), 2) > macro_f1(labels, shifted.argmax(1), 2)
