"""Inter-annotator agreement between the corpus and a blind second labelling pass."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix

from inference.errors import InputFormatError
from inference.io import iter_csv_records, read_text
from inference.labels import LABELS
from training.corpus import Corpus, Statement

SECOND_PASS_COLUMNS = ("id", "label")


@dataclass
class Agreement:
    """Agreement on the statements both passes labelled."""

    n: int
    observed: float
    kappa: float
    confusion: list[list[int]]
    disagreements: list[tuple[Statement, str]]


def load_second_pass(path: Path, corpus: Corpus) -> dict[str, str]:
    """``id -> label`` from a CSV with ``id,label``; every id must be in the corpus."""
    known = {statement.id for statement in corpus.statements}
    labels: dict[str, str] = {}
    for line, row in iter_csv_records(read_text(path), path, required=SECOND_PASS_COLUMNS):
        identifier, label = row["id"].strip(), row["label"].strip()
        if identifier not in known:
            raise InputFormatError(f"unknown id {identifier!r}", path=path, line=line, field="id")
        if identifier in labels:
            raise InputFormatError(f"duplicate id {identifier!r}", path=path, line=line, field="id")
        if label not in LABELS:
            raise InputFormatError(
                f"unknown label {label!r}, expected one of {list(LABELS)}",
                path=path,
                line=line,
                field="label",
            )
        labels[identifier] = label
    if not labels:
        raise InputFormatError("no labels after the header", path=path)
    return labels


def measure(corpus: Corpus, second: dict[str, str]) -> Agreement:
    """Observed agreement, Cohen's kappa and the disagreements."""
    shared = [statement for statement in corpus.statements if statement.id in second]
    first_labels = [statement.label for statement in shared]
    second_labels = [second[statement.id] for statement in shared]
    agreed = sum(a == b for a, b in zip(first_labels, second_labels, strict=True))
    with warnings.catch_warnings():
        # With a single label on both sides kappa is undefined: report NaN quietly.
        warnings.simplefilter("ignore")
        kappa = float(cohen_kappa_score(first_labels, second_labels, labels=list(LABELS)))
    return Agreement(
        n=len(shared),
        observed=agreed / len(shared),
        kappa=kappa,
        confusion=confusion_matrix(first_labels, second_labels, labels=list(LABELS)).tolist(),
        disagreements=[
            (statement, second[statement.id])
            for statement in shared
            if statement.label != second[statement.id]
        ],
    )


def format_agreement(result: Agreement) -> str:
    kappa = "undefined (one label only)" if math.isnan(result.kappa) else f"{result.kappa:.3f}"
    lines = [
        f"{result.n} statements labelled twice: observed agreement {result.observed:.3f}, "
        f"Cohen's kappa {kappa}",
        "  corpus label (rows) vs second pass (columns): "
        + " ".join(label[:3] for label in LABELS),
    ]
    for label, row in zip(LABELS, result.confusion, strict=True):
        lines.append(f"  {label:<11}" + "".join(f"{count:6d}" for count in row))
    for statement, other in result.disagreements:
        lines.append(
            f"  {statement.id}: corpus {statement.label}, second pass {other}: {statement.text}"
        )
    return "\n".join(lines)
