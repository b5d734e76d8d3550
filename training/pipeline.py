"""The model: a scikit-learn pipeline and the grid its hyperparameters come from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from inference.calibration import TemperatureScaledClassifier
from inference.cues import CueFeatures
from inference.features import TextNormalizer
from inference.text import Tokenizer

#: The default, chosen by dev macro-F1 and speed in the ablation
#: (``stance-train ablation``); benchmarks and tests use it to skip the grid.
#: Ridge alpha 0.5 scores 0.002 higher in CV on corpus v3 but 0.002 lower on
#: dev, so alpha stays at 1.0 and is not searched.
DEFAULT_PARAMS: dict[str, Any] = {
    "features__word__ngram_range": (1, 2),
    "features__char": "char_wb_2_5",
    "features__cues": "lexicon",
    "classifier__estimator": "ridge",
    "classifier__estimator__alpha": 1.0,
}

#: Candidates compared by cross-validation on the train split.
PARAM_GRID: dict[str, list[Any]] = {
    "features__word__ngram_range": [(1, 2)],
    "features__char": ["drop", "char_wb_2_5"],
    "features__cues": ["drop", "lexicon"],
    "classifier__estimator": ["ridge"],
    "classifier__estimator__alpha": [1.0],
}


def word_vectorizer(
    ngram_range: tuple[int, int] = (1, 2), negation_scope: int = 6
) -> TfidfVectorizer:
    """Word n-grams over stemmed, negation-marked tokens.

    Stop words are kept on purpose: "not", "no" and "never" carry denials.
    """
    return TfidfVectorizer(
        tokenizer=Tokenizer(negation_scope=negation_scope),
        preprocessor=None,
        lowercase=False,
        token_pattern=None,
        ngram_range=ngram_range,
        sublinear_tf=True,
        min_df=1,
        dtype=np.float64,
    )


def char_vectorizer(ngram_range: tuple[int, int] = (2, 5)) -> TfidfVectorizer:
    """Character n-grams inside word boundaries: robust to inflection and typos."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        lowercase=True,
        sublinear_tf=True,
        min_df=2,
        dtype=np.float64,
    )


def ridge_classifier(seed: int = 0) -> RidgeClassifier:
    """One-vs-rest least squares; the ablation found it the most accurate linear model here."""
    return RidgeClassifier(alpha=1.0, class_weight="balanced")


def logistic_regression(seed: int = 0) -> LogisticRegression:
    return LogisticRegression(C=8.0, class_weight="balanced", max_iter=5000, random_state=seed)


#: Named choices a parameter may take, so grids and ablation tables stay printable.
NAMED_CHOICES: dict[str, dict[str, Callable[[int], Any]]] = {
    "features__char": {"char_wb_2_5": lambda seed: char_vectorizer((2, 5))},
    "features__cues": {"lexicon": lambda seed: CueFeatures()},
    "features__word__tokenizer": {
        "negation": lambda seed: Tokenizer(),
        "no_negation": lambda seed: Tokenizer(negation_scope=0),
    },
    "classifier__estimator": {
        "logistic_regression": logistic_regression,
        "linear_svc": lambda seed: LinearSVC(C=0.5, class_weight="balanced", random_state=seed),
        "ridge": ridge_classifier,
        "sgd_modified_huber": lambda seed: SGDClassifier(
            loss="modified_huber", alpha=1e-5, class_weight="balanced", random_state=seed
        ),
    },
}


def _resolve(params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Turn named choices into estimators (grid values stay printable)."""
    resolved = dict(params)
    for key, value in params.items():
        factories = NAMED_CHOICES.get(key, {})
        if isinstance(value, str) and value in factories:
            resolved[key] = factories[value](seed)
    # A named estimator is set before its own parameters (e.g. its C).
    order = sorted(resolved, key=lambda key: (key.count("__"), key))
    return {key: resolved[key] for key in order}


def build_pipeline(seed: int = 0, calibrate: bool = True, **params: Any) -> Pipeline:
    """A fresh, unfitted pipeline; ``params`` use the names of :data:`PARAM_GRID`.

    ``calibrate`` fits a temperature on 5-fold out-of-fold scores (five more
    fits); model selection turns it off, as it does not change the labels.
    """
    pipeline = Pipeline(
        [
            ("normalize", TextNormalizer()),
            (
                "features",
                FeatureUnion([("word", word_vectorizer()), ("char", "drop"), ("cues", "drop")]),
            ),
            (
                "classifier",
                TemperatureScaledClassifier(
                    ridge_classifier(seed), cv=5 if calibrate else 0, random_state=seed
                ),
            ),
        ]
    )
    return pipeline.set_params(**_resolve(params, seed))
