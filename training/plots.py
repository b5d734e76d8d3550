"""Figures logged with each run (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from inference.labels import LABELS


def save_confusion_matrix(confusion: list[list[int]], title: str, path: Path) -> Path:
    plt = _pyplot()

    figure, axes = plt.subplots(figsize=(4.8, 4.2), dpi=120)
    image = axes.imshow(confusion, cmap="Blues")
    axes.set_xticks(range(len(LABELS)), LABELS)
    axes.set_yticks(range(len(LABELS)), LABELS)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title(title)
    peak = max(max(row) for row in confusion) or 1
    for i, row in enumerate(confusion):
        for j, count in enumerate(row):
            axes.text(
                j,
                i,
                str(count),
                ha="center",
                va="center",
                color="white" if count > peak / 2 else "black",
            )
    figure.colorbar(image, ax=axes, fraction=0.046)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _pyplot():  # noqa: ANN202 - matplotlib.pyplot, imported without a display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _finish_line_plot(
    figure: Any, axes: Any, path: Path, title: str, labels: tuple[str, str], legend: str
) -> Path:
    """Unit axes, labels, title and legend; save and close the figure."""
    axes.set_xlabel(labels[0])
    axes.set_ylabel(labels[1])
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.05)
    axes.set_title(title)
    axes.legend(loc=legend)
    figure.tight_layout()
    figure.savefig(path)
    _pyplot().close(figure)
    return path


def save_precision_recall_curves(
    gold: list[str], probabilities: np.ndarray, title: str, path: Path
) -> Path:
    """One precision-recall curve per label (one-vs-rest), with average precision."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(5.2, 4.4), dpi=120)
    for column, label in enumerate(LABELS):
        truth = np.asarray([g == label for g in gold])
        if not truth.any():
            continue
        precision, recall, _ = precision_recall_curve(truth, probabilities[:, column])
        ap = average_precision_score(truth, probabilities[:, column])
        axes.plot(recall, precision, label=f"{label} (AP {ap:.3f})")
    return _finish_line_plot(figure, axes, path, title, ("recall", "precision"), "lower left")


def save_calibration_plot(
    gold: list[str], probabilities: np.ndarray, title: str, path: Path, bins: int = 10
) -> Path:
    """Reliability diagram of the top label: accuracy against confidence per bin."""
    plt = _pyplot()
    confidence = probabilities.max(axis=1)
    correct = np.asarray(
        [LABELS[i] == g for i, g in zip(probabilities.argmax(axis=1), gold, strict=True)]
    )
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    centres, accuracy, counts = [], [], []
    for b in range(bins):
        members = which == b
        if members.any():
            centres.append(float(confidence[members].mean()))
            accuracy.append(float(correct[members].mean()))
            counts.append(int(members.sum()))
    figure, axes = plt.subplots(figsize=(5.2, 4.4), dpi=120)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    axes.plot(centres, accuracy, marker="o", label="model")
    for x, y, n in zip(centres, accuracy, counts, strict=True):
        axes.annotate(str(n), (x, y), textcoords="offset points", xytext=(0, 6), fontsize=7)
    return _finish_line_plot(
        figure, axes, path, title, ("confidence (top-label probability)", "accuracy"), "upper left"
    )


def save_phenomenon_accuracy(rows: list[dict[str, Any]], title: str, path: Path) -> Path:
    """Horizontal bars: accuracy per phenomenon family, with counts."""
    plt = _pyplot()
    names = [row["phenomenon"] for row in rows]
    figure, axes = plt.subplots(figsize=(6.0, 0.28 * len(rows) + 1.2), dpi=120)
    axes.barh(names, [row["accuracy"] for row in rows], color="#4c72b0")
    for y, row in enumerate(rows):
        axes.text(
            row["accuracy"] + 0.01,
            y,
            f"{row['accuracy']:.2f} (n={row['n']})",
            va="center",
            fontsize=7,
        )
    axes.set_xlim(0, 1.2)
    axes.invert_yaxis()
    axes.set_xlabel("accuracy")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
