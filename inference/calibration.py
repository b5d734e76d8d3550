"""Calibrated probabilities for a linear classifier, and the measures of calibration.

:class:`TemperatureScaledClassifier` fits one temperature ``T`` on out-of-fold
decision scores and divides the linear model's weights by it, so
``predict_proba`` is ``softmax(decision / T)``. One parameter keeps the
argmax (labels and accuracy are unchanged) and keeps the model linear, so
evidence still reads straight off ``coef_``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted


def _fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature that minimises the log loss of ``softmax(scores / T)``."""

    def log_loss(log_t: float) -> float:
        log_proba = log_softmax(scores / np.exp(log_t), axis=1)
        return float(-log_proba[np.arange(len(y_index)), y_index].mean())

    result = minimize_scalar(log_loss, bounds=(-4.0, 4.0), method="bounded")
    return float(np.exp(result.x))


class TemperatureScaledClassifier(ClassifierMixin, BaseEstimator):
    """A linear classifier whose probabilities are calibrated by temperature scaling.

    Parameters:
        estimator: an unfitted linear classifier with ``decision_function``
            giving one score per class (e.g. ``LogisticRegression``, ``LinearSVC``).
        cv: folds for the out-of-fold scores the temperature is fitted on;
            0 skips calibration (temperature 1).
        random_state: seed of the fold shuffling.
    """

    def __init__(self, estimator: Any, cv: int = 5, random_state: int | None = 0) -> None:
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> TemperatureScaledClassifier:
        y = np.asarray(y)
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        if len(self.classes_) < 3:
            raise ValueError("TemperatureScaledClassifier needs at least three classes")
        self.temperature_ = 1.0
        if self.cv:
            folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
            scores = cross_val_predict(
                clone(self.estimator), X, y, cv=folds, method="decision_function"
            )
            self.temperature_ = _fit_temperature(scores, np.searchsorted(self.classes_, y))
        self.coef_ = np.asarray(self.estimator_.coef_) / self.temperature_
        self.intercept_ = np.asarray(self.estimator_.intercept_) / self.temperature_
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        return softmax(self.decision_function(X), axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


def expected_calibration_error(proba: np.ndarray, gold_index: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: the bin-weighted gap between confidence and accuracy."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == gold_index
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            error += members.mean() * abs(confidence[members].mean() - correct[members].mean())
    return float(error)


def brier_score(proba: np.ndarray, gold_index: np.ndarray) -> float:
    """Multi-class Brier score: mean squared distance to the one-hot gold label."""
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(gold_index)), gold_index] = 1.0
    return float(((proba - onehot) ** 2).sum(axis=1).mean())
