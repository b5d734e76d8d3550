import numpy as np
import pytest
from scipy.special import softmax
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, RidgeClassifier

from inference.calibration import (
    TemperatureScaledClassifier,
    brier_score,
    expected_calibration_error,
)


def _three_blobs(n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0.0, 0.0], [1.5, 0.0], [0.0, 1.5]])
    return centres[y] + rng.normal(scale=1.0, size=(n, 2)), np.array(["a", "b", "c"])[y]


def test_labels_are_those_of_the_wrapped_model():
    X, y = _three_blobs()
    base = RidgeClassifier().fit(X, y)
    calibrated = TemperatureScaledClassifier(RidgeClassifier(), cv=5).fit(X, y)
    assert (calibrated.predict(X) == base.predict(X)).all()
    assert calibrated.temperature_ != 1.0


def test_probabilities_are_a_softmax_that_sums_to_one():
    X, y = _three_blobs()
    model = TemperatureScaledClassifier(RidgeClassifier(), cv=3).fit(X, y)
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.allclose(proba, softmax(model.decision_function(X), axis=1))


def test_calibration_lowers_the_error_of_raw_margins():
    X, y = _three_blobs(seed=1)
    X_test, y_test = _three_blobs(seed=2)
    gold = np.searchsorted(["a", "b", "c"], y_test)
    # Ridge margins fed straight to a softmax are far from probabilities.
    raw = TemperatureScaledClassifier(RidgeClassifier(), cv=0).fit(X, y)
    scaled = TemperatureScaledClassifier(RidgeClassifier(), cv=5).fit(X, y)
    raw_ece = expected_calibration_error(raw.predict_proba(X_test), gold)
    scaled_ece = expected_calibration_error(scaled.predict_proba(X_test), gold)
    assert raw.temperature_ == 1.0
    assert scaled_ece < raw_ece
    assert scaled_ece < 0.06


def test_clone_keeps_parameters():
    model = TemperatureScaledClassifier(LogisticRegression(C=3.0), cv=4, random_state=7)
    copy = clone(model)
    assert copy.get_params()["cv"] == 4
    assert copy.get_params()["estimator__C"] == 3.0


def test_two_classes_are_refused():
    X, y = _three_blobs()
    with pytest.raises(ValueError, match="three classes"):
        TemperatureScaledClassifier(RidgeClassifier(), cv=0).fit(X, np.where(y == "a", "a", "b"))


def test_expected_calibration_error_by_hand():
    # Two statements at confidence 0.8 (one right), two at 0.6 (both right).
    proba = np.array([[0.8, 0.1, 0.1], [0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.2, 0.6, 0.2]])
    gold = np.array([0, 1, 1, 1])
    assert expected_calibration_error(proba, gold) == pytest.approx(0.5 * 0.3 + 0.5 * 0.4)


def test_brier_score_by_hand():
    proba = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    assert brier_score(proba, np.array([0, 1])) == pytest.approx((0.0 + 0.5) / 2)
