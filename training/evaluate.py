"""Metrics of a fitted pipeline on one split."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from inference.calibration import brier_score, expected_calibration_error
from inference.labels import LABELS


@dataclass
class Evaluation:
    """Scores on one split.

    ``confusion[i][j]`` counts statements of gold ``LABELS[i]`` predicted as ``LABELS[j]``.
    """

    split: str
    macro_f1: float
    accuracy: float
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]
    texts: list[str]
    gold: list[str]
    predicted: list[str]
    #: One row per statement, one column per label in ``LABELS`` order.
    probabilities: np.ndarray
    #: The corpus phenomenon tag of each statement ("" when unknown).
    phenomena: list[str]
    brier: float
    ece: float

    def metrics(self) -> dict[str, float]:
        """Flat metric names for tracking, e.g. ``dev_macro_f1``, ``dev_f1_denial``."""
        flat = {
            f"{self.split}_macro_f1": self.macro_f1,
            f"{self.split}_accuracy": self.accuracy,
            f"{self.split}_brier": self.brier,
            f"{self.split}_ece": self.ece,
        }
        for label, scores in self.per_class.items():
            for name, value in scores.items():
                flat[f"{self.split}_{name}_{label}"] = value
        return flat

    def misclassified(self) -> list[dict[str, Any]]:
        """Wrong predictions, most confident first."""
        rows = [
            {
                "text": text,
                "gold": gold,
                "predicted": predicted,
                "confidence": round(float(proba.max()), 3),
                "phenomenon": phenomenon,
            }
            for text, gold, predicted, proba, phenomenon in zip(
                self.texts,
                self.gold,
                self.predicted,
                self.probabilities,
                self.phenomena,
                strict=True,
            )
            if gold != predicted
        ]
        return sorted(rows, key=lambda row: -row["confidence"])

    def per_phenomenon(self) -> list[dict[str, Any]]:
        """Accuracy per phenomenon family, sorted by tag."""
        groups: dict[str, list[bool]] = {}
        for phenomenon, gold, predicted in zip(
            self.phenomena, self.gold, self.predicted, strict=True
        ):
            groups.setdefault(phenomenon or "(none)", []).append(gold == predicted)
        return [
            {"phenomenon": name, "n": len(hits), "accuracy": round(sum(hits) / len(hits), 4)}
            for name, hits in sorted(groups.items())
        ]


def evaluate(
    pipeline: Any,
    texts: list[str],
    gold: list[str],
    split: str,
    phenomena: list[str] | None = None,
) -> Evaluation:
    proba = np.asarray(pipeline.predict_proba(texts))
    classes = [str(c) for c in pipeline.classes_]
    ordered = proba[:, [classes.index(label) for label in LABELS]]
    predicted = [LABELS[i] for i in ordered.argmax(axis=1)]
    gold_index = np.asarray([LABELS.index(label) for label in gold])
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(LABELS), zero_division=0
    )
    per_class = {
        label: {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "support": float(support[i]),
        }
        for i, label in enumerate(LABELS)
    }
    matrix = confusion_matrix(gold, predicted, labels=list(LABELS))
    return Evaluation(
        split=split,
        macro_f1=float(
            f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)
        ),
        accuracy=float(accuracy_score(gold, predicted)),
        per_class=per_class,
        confusion=np.asarray(matrix).tolist(),
        texts=list(texts),
        gold=list(gold),
        predicted=predicted,
        probabilities=ordered,
        phenomena=list(phenomena) if phenomena is not None else [""] * len(texts),
        brier=brier_score(ordered, gold_index),
        ece=expected_calibration_error(ordered, gold_index),
    )


def format_report(evaluation: Evaluation) -> str:
    """A small text table: per-class precision/recall/F1 and the confusion matrix."""
    lines = [
        f"{evaluation.split}: macro-F1 {evaluation.macro_f1:.3f}, "
        f"accuracy {evaluation.accuracy:.3f}",
        f"  {'label':<11}{'prec':>6}{'rec':>6}{'f1':>6}{'n':>6}",
    ]
    for label, scores in evaluation.per_class.items():
        lines.append(
            f"  {label:<11}{scores['precision']:6.3f}{scores['recall']:6.3f}"
            f"{scores['f1']:6.3f}{int(scores['support']):6d}"
        )
    lines.append(
        "  confusion (rows gold, columns predicted: "
        + " ".join(label[:3] for label in LABELS)
        + ")"
    )
    for label, row in zip(LABELS, evaluation.confusion, strict=True):
        lines.append(f"  {label:<11}" + "".join(f"{count:6d}" for count in row))
    return "\n".join(lines)
