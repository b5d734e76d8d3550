"""Quality benchmark: stancewatch against the peers a user could pick instead.

Trains every model on the train split of the corpus and prints, side by side:
macro-F1, per-class F1 and accuracy per phenomenon on dev and test, and the
calibration of the probabilities (Brier score, expected calibration error);
then, on real human-labelled news that none of them was trained or tuned on
(``../shared/external``, read by path, evaluation only), denial
precision/recall/F1 on Emergent headlines and the false-denial rate on PLOVER.
Ends with the targets of the quality issue, and logs everything to MLflow.

    python -m benchmarks.quality [--data CSV] [--external DIR] [--no-track]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.pipeline import Pipeline

from inference.calibration import brier_score, expected_calibration_error
from inference.io import iter_csv_records, read_text
from inference.labels import LABELS
from inference.paths import project_root
from training import tracking
from training.corpus import Corpus, load_corpus
from training.pipeline import DEFAULT_PARAMS, build_pipeline

EXPERIMENT = "stancewatch-benchmarks"

# A cue-word lexicon as a user would write it in an afternoon.
_DENIAL_CUES = re.compile(
    r"\b(den(y|ied|ies|ying|ial)"
    r"|reject(s|ed)? (the |these |all )?(allegation|claim|accusation|charge)"
    r"|dismiss(es|ed)? (the |these )?(allegation|claim|report|accusation)|baseless|unfounded"
    r"|false|fabricat\w*|untrue|not guilty|fake news|hoax|no evidence|refut\w*|lies)\b",
    re.IGNORECASE,
)
_ACCUSATION_CUES = re.compile(
    r"\b(accus\w*|alleg\w*|blam\w*|charged|indict\w*|behind the|responsible for|fraud"
    r"|corrupt\w*|brib\w*|lied|lying|cover[- ]up|orchestrat\w*|plot\w*)\b",
    re.IGNORECASE,
)


def cue_words(texts: list[str]) -> list[str]:
    """Denial cue first (precedence), then accusation cue, else neutral."""
    return [
        "denial"
        if _DENIAL_CUES.search(text)
        else "accusation"
        if _ACCUSATION_CUES.search(text)
        else "neutral"
        for text in texts
    ]


@dataclass
class Contender:
    """A model in the benchmark: labels for texts, and probabilities if it has them."""

    name: str
    slug: str
    predict: Callable[[list[str]], list[str]]
    proba: Callable[[list[str]], np.ndarray] | None = None


def _probabilities(pipeline: Pipeline) -> Callable[[list[str]], np.ndarray]:
    classes = list(pipeline.classes_)
    order = [classes.index(label) for label in LABELS]
    return lambda texts: np.asarray(pipeline.predict_proba(texts))[:, order]


def fitted_models(corpus: Corpus, seed: int) -> list[Contender]:
    texts, labels = corpus.split("train")
    textbook = Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression())])
    textbook.fit(texts, labels)
    ours = build_pipeline(seed=seed, **DEFAULT_PARAMS).fit(texts, labels)
    return [
        Contender("cue words", "cue_words", cue_words),
        Contender(
            "tfidf+LR (textbook)",
            "textbook",
            lambda batch: list(textbook.predict(batch)),
            _probabilities(textbook),
        ),
        Contender(
            "stancewatch",
            "stancewatch",
            lambda batch: list(ours.predict(batch)),
            _probabilities(ours),
        ),
    ]


class Report:
    """Printed lines, metrics and tables of one benchmark run."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.metrics: dict[str, float] = {}
        self.tables: dict[str, list[dict[str, object]]] = {}

    def out(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)


def corpus_report(corpus: Corpus, models: list[Contender], report: Report) -> None:
    for split in ("dev", "test"):
        rows = [s for s in corpus.statements if s.split == split]
        gold = [s.label for s in rows]
        texts = [s.text for s in rows]
        report.out(f"\n{split} ({len(rows)} statements)")
        report.out(
            f"  {'model':<22}{'macro-F1':>9}"
            + "".join(f"{'F1 ' + lab[:3]:>9}" for lab in LABELS)
            + f"{'Brier':>8}{'ECE':>8}"
        )
        predictions = {m.slug: m.predict(texts) for m in models}
        gold_index = np.asarray([LABELS.index(label) for label in gold])
        for model in models:
            predicted = predictions[model.slug]
            per_class = f1_score(gold, predicted, labels=list(LABELS), average=None)
            macro = float(np.mean(per_class))
            report.metrics[f"{model.slug}.{split}_macro_f1"] = macro
            for label, value in zip(LABELS, per_class, strict=True):
                report.metrics[f"{model.slug}.{split}_f1_{label}"] = float(value)
            calibration = "" + f"{'-':>8}{'-':>8}"
            if model.proba is not None:
                proba = model.proba(texts)
                brier = brier_score(proba, gold_index)
                ece = expected_calibration_error(proba, gold_index)
                report.metrics[f"{model.slug}.{split}_brier"] = brier
                report.metrics[f"{model.slug}.{split}_ece"] = ece
                calibration = f"{brier:8.3f}{ece:8.3f}"
            report.out(
                f"  {model.name:<22}{macro:9.3f}"
                + "".join(f"{v:9.3f}" for v in per_class)
                + calibration
            )
        if split == "test":
            phenomenon_report(rows, gold, predictions, models, report)


def phenomenon_report(
    rows: list, gold: list[str], predictions: dict[str, list[str]], models, report: Report
) -> None:
    report.out("\n  test accuracy per phenomenon")
    by_tag: dict[str, list[int]] = defaultdict(list)
    for i, statement in enumerate(rows):
        by_tag[statement.phenomenon or "typical"].append(i)
    report.out(f"  {'phenomenon':<22}{'n':>5}" + "".join(f"{m.name[:11]:>12}" for m in models))
    table = []
    for tag in sorted(by_tag):
        indices = by_tag[tag]
        scores = {
            m.slug: sum(predictions[m.slug][i] == gold[i] for i in indices) / len(indices)
            for m in models
        }
        table.append({"phenomenon": tag, "n": len(indices), **scores})
        report.out(f"  {tag:<22}{len(indices):5d}" + "".join(f"{v:12.3f}" for v in scores.values()))
    report.tables["test_accuracy_per_phenomenon.json"] = table


def _read(path: Path) -> list[dict[str, str]]:
    return [row for _, row in iter_csv_records(read_text(path), path, required=("text",))]


def external_report(directory: Path, models: list[Contender], report: Report) -> None:
    emergent_path = directory / "emergent_headlines_denial.csv"
    plover_path = directory / "plover_gsr_denial_negatives.csv"
    if not emergent_path.is_file() or not plover_path.is_file():
        report.out(f"\nexternal: {directory} has no Emergent/PLOVER files; skipped")
        return
    emergent, plover = _read(emergent_path), _read(plover_path)
    subsets = {
        "emergent_all": emergent,
        "emergent_crowd": [r for r in emergent if r["crowd_agrees"] == "1"],
    }
    report.out(f"\nexternal, evaluation only ({directory})")
    report.out(f"  {'model':<22}{'subset':<26}{'n':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for model in models:
        for subset, rows in subsets.items():
            gold = [r["is_denial"] == "1" for r in rows]
            predicted = [label == "denial" for label in model.predict([r["text"] for r in rows])]
            p, r, f, _ = precision_recall_fscore_support(
                gold, predicted, average="binary", zero_division=0
            )
            for name, value in (("precision", p), ("recall", r), ("f1", f)):
                report.metrics[f"{model.slug}.{subset}_denial_{name}"] = float(value)
            shown = "Emergent all" if subset == "emergent_all" else "Emergent crowd_agrees=1"
            report.out(f"  {model.name:<22}{shown:<26}{len(rows):6d}{p:7.3f}{r:7.3f}{f:7.3f}")
    report.out(f"\n  {'model':<22}{'PLOVER false-denial rate':<28}{'all':>8}{'REJECT':>8}")
    reject = [r for r in plover if "REJECT" in r["source_label"]]
    for model in models:
        rates = []
        for subset, rows in (("plover_all", plover), ("plover_reject", reject)):
            predicted = model.predict([r["text"] for r in rows])
            rate = sum(label == "denial" for label in predicted) / len(rows)
            report.metrics[f"{model.slug}.{subset}_false_denial_rate"] = rate
            rates.append(rate)
        report.out(
            f"  {model.name:<22}{'':<28}{rates[0]:8.3f}{rates[1]:8.3f}"
            f"  (n={len(plover)}/{len(reject)})"
        )


def targets_report(report: Report) -> None:
    """The targets of the quality issue, each marked met or missed."""
    m = report.metrics
    best_peer = max(m.get("cue_words.test_macro_f1", 0.0), m.get("textbook.test_macro_f1", 0.0))
    checks = [
        ("test macro-F1 >= 0.92", m["stancewatch.test_macro_f1"], 0.92, True),
        (
            "margin over best peer >= 0.05",
            m["stancewatch.test_macro_f1"] - best_peer,
            0.05,
            True,
        ),
        ("test ECE <= 0.05", m["stancewatch.test_ece"], 0.05, False),
    ]
    if "stancewatch.emergent_crowd_denial_f1" in m:
        checks += [
            (
                "Emergent crowd denial F1 >= 0.70",
                m["stancewatch.emergent_crowd_denial_f1"],
                0.70,
                True,
            ),
            (
                "PLOVER false-denial rate <= 0.01",
                m["stancewatch.plover_all_false_denial_rate"],
                0.01,
                False,
            ),
        ]
    report.out("\ntargets")
    for name, value, bound, higher in checks:
        met = value >= bound if higher else value <= bound
        report.out(f"  {name:<36}{value:8.3f}  {'met' if met else 'MISSED'}")


def log_to_mlflow(report: Report, corpus: Corpus, tracking_uri: str, seed: int) -> str:
    experiment_id = tracking.configure(tracking_uri, EXPERIMENT)
    with tracking.tracked_run(experiment_id, "quality") as run_id:
        tracking.log_corpus(corpus)
        tracking.log_params({"seed": seed, **DEFAULT_PARAMS})
        tracking.log_metrics(report.metrics)
        for name, table in report.tables.items():
            tracking.log_records(table, f"benchmark/{name}")
        tracking.log_text("\n".join(report.lines) + "\n", "benchmark/quality_report.txt")
    return run_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="corpus CSV (default: ours)")
    parser.add_argument(
        "--external",
        type=Path,
        default=project_root().parent / "shared" / "external",
        help="folder with the evaluation-only external files (default: ../shared/external)",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument(
        "--tracking-uri",
        default=None,
        help="MLflow tracking URI (default: the project's mlruns/mlflow.db)",
    )
    parser.add_argument("--no-track", action="store_true", help="do not log to MLflow")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = load_corpus(args.data)
    print(
        f"training 3 models on {len(corpus.split('train')[0])} train statements ...",
        file=sys.stderr,
    )
    models = fitted_models(corpus, args.seed)
    report = Report()
    corpus_report(corpus, models, report)
    external_report(args.external, models, report)
    targets_report(report)
    report.out(f"\n({time.perf_counter() - started:.0f} s)")
    if not args.no_track:
        uri = args.tracking_uri or tracking.default_tracking_uri()
        run_id = log_to_mlflow(report, corpus, uri, args.seed)
        print(f"logged to MLflow: run {run_id} in experiment {EXPERIMENT!r} ({uri})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
