"""Ablation: feature sets and linear models compared by cross-validation on train.

Each variant is the default pipeline with one part changed. For each it
records the 5-fold CV macro-F1 on train, the dev macro-F1 of a fit on all of
train, the fit time and the prediction speed, so the default can be chosen by
accuracy and speed together. Test is never looked at.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_score

from inference.labels import LABELS
from training import tracking
from training.corpus import Corpus
from training.pipeline import DEFAULT_PARAMS, build_pipeline

ABLATION_EXPERIMENT = "stancewatch-ablation"


def _variant(**changes: Any) -> dict[str, Any]:
    """The default parameters with ``changes``; a new estimator drops the old one's options."""
    params = {**DEFAULT_PARAMS, **changes}
    if "classifier__estimator" in changes:
        params.pop("classifier__estimator__alpha")
    if changes.get("features__word") == "drop":
        params.pop("features__word__ngram_range")
    return {key: value for key, value in params.items() if value is not None}


#: name -> pipeline parameters; the first is the reference the others change one part of.
VARIANTS: dict[str, dict[str, Any]] = {
    "default: word1-2 + char2-5 + cues, ridge": _variant(),
    "without cue lexicons": _variant(features__cues="drop"),
    "without char n-grams": _variant(features__char="drop"),
    "without negation scope": _variant(features__word__tokenizer="no_negation"),
    "word 1-3": _variant(features__word__ngram_range=(1, 3)),
    "char n-grams + cues only (no word)": _variant(features__word="drop"),
    "word1-2 only (no char, no cues)": _variant(features__char="drop", features__cues="drop"),
    "no class weighting": _variant(classifier__estimator__class_weight=None),
    "ridge, alpha=0.5": _variant(classifier__estimator__alpha=0.5),
    "logistic regression, C=32": _variant(
        classifier__estimator="logistic_regression", classifier__estimator__C=32.0
    ),
    "linear SVM": _variant(classifier__estimator="linear_svc"),
    "SGD, modified Huber": _variant(classifier__estimator="sgd_modified_huber"),
}


@dataclass
class AblationRow:
    variant: str
    params: dict[str, Any]
    cv_macro_f1: float
    cv_std: float
    dev_macro_f1: float
    dev_f1: dict[str, float]
    fit_seconds: float
    statements_per_second: float

    def as_record(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "cv_macro_f1": round(self.cv_macro_f1, 4),
            "cv_std": round(self.cv_std, 4),
            "dev_macro_f1": round(self.dev_macro_f1, 4),
            **{f"dev_f1_{label}": round(v, 4) for label, v in self.dev_f1.items()},
            "fit_seconds": round(self.fit_seconds, 2),
            "statements_per_second": round(self.statements_per_second),
            "params": str(self.params),
        }


def run_ablation(
    corpus: Corpus,
    variants: dict[str, dict[str, Any]] | None = None,
    *,
    seed: int = 42,
    folds: int = 5,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> list[AblationRow]:
    variants = VARIANTS if variants is None else variants
    train_texts, train_labels = corpus.split("train")
    dev_texts, dev_labels = corpus.split("dev")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    rows = []
    for number, (name, params) in enumerate(variants.items(), start=1):
        scores = cross_val_score(
            build_pipeline(seed=seed, calibrate=False, **params),
            train_texts,
            train_labels,
            cv=splitter,
            scoring="f1_macro",
            n_jobs=jobs,
        )
        started = time.perf_counter()
        pipeline = build_pipeline(seed=seed, calibrate=False, **params).fit(
            train_texts, train_labels
        )
        fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        predicted = pipeline.predict(dev_texts)
        speed = len(dev_texts) / max(time.perf_counter() - started, 1e-9)
        per_class = f1_score(dev_labels, predicted, labels=list(LABELS), average=None)
        row = AblationRow(
            variant=name,
            params=params,
            cv_macro_f1=float(np.mean(scores)),
            cv_std=float(np.std(scores)),
            dev_macro_f1=float(np.mean(per_class)),
            dev_f1=dict(zip(LABELS, map(float, per_class), strict=True)),
            fit_seconds=fit_seconds,
            statements_per_second=speed,
        )
        rows.append(row)
        progress(
            f"  {number}/{len(variants)} {name}: CV {row.cv_macro_f1:.3f} ± {row.cv_std:.3f}, "
            f"dev {row.dev_macro_f1:.3f}, fit {fit_seconds:.1f} s, {speed:,.0f} statements/s"
        )
    return rows


def format_ablation(rows: list[AblationRow]) -> str:
    lines = [
        f"{'variant':<38}{'CV F1':>8}{'±':>7}{'dev F1':>8}{'fit s':>7}{'stmt/s':>9}",
    ]
    for row in rows:
        lines.append(
            f"{row.variant:<38}{row.cv_macro_f1:8.3f}{row.cv_std:7.3f}{row.dev_macro_f1:8.3f}"
            f"{row.fit_seconds:7.1f}{row.statements_per_second:9,.0f}"
        )
    return "\n".join(lines)


def log_ablation(
    rows: list[AblationRow], corpus: Corpus, tracking_uri: str, *, seed: int, folds: int
) -> str:
    """One MLflow run holding the ablation table; returns its run id."""
    experiment_id = tracking.configure(tracking_uri, ABLATION_EXPERIMENT)
    with tracking.tracked_run(experiment_id, "ablation") as run_id:
        tracking.log_corpus(corpus)
        tracking.log_params({"seed": seed, "folds": folds, "variants": len(rows)})
        tracking.log_records([row.as_record() for row in rows], "ablation/ablation.json")
        tracking.log_text(format_ablation(rows) + "\n", "ablation/ablation.txt")
        best = max(rows, key=lambda row: row.cv_macro_f1)
        tracking.log_metrics(
            {"default_cv_macro_f1": rows[0].cv_macro_f1, "best_cv_macro_f1": best.cv_macro_f1}
        )
    return run_id
