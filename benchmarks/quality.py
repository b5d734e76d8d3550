"""Quality benchmark: stancewatch against the peers a user could pick instead.

Trains every model on the train split of the corpus and prints, side by side:
macro-F1, per-class F1 and accuracy per phenomenon on dev and test; then, on
real human-labelled news that none of them was trained or tuned on
(``../shared/external``, read by path, evaluation only), denial
precision/recall/F1 on Emergent headlines and the false-denial rate on PLOVER.

    python benchmarks/quality.py [--data CSV] [--external DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.pipeline import Pipeline

from inference.io import iter_csv_records, read_text
from inference.labels import LABELS
from inference.paths import project_root
from training.corpus import Corpus, load_corpus
from training.pipeline import DEFAULT_PARAMS, build_pipeline

Predictor = Callable[[list[str]], list[str]]

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


def fitted_models(corpus: Corpus, seed: int) -> dict[str, Predictor]:
    texts, labels = corpus.split("train")
    textbook = Pipeline([("tfidf", TfidfVectorizer()), ("lr", LogisticRegression())])
    textbook.fit(texts, labels)
    ours = build_pipeline(seed=seed, **DEFAULT_PARAMS).fit(texts, labels)
    return {
        "cue words": cue_words,
        "tfidf+LR (textbook)": lambda batch: list(textbook.predict(batch)),
        "stancewatch": lambda batch: list(ours.predict(batch)),
    }


def corpus_report(corpus: Corpus, models: dict[str, Predictor]) -> None:
    for split in ("dev", "test"):
        rows = [s for s in corpus.statements if s.split == split]
        gold = [s.label for s in rows]
        print(f"\n{split} ({len(rows)} statements)")
        print(
            f"  {'model':<22}{'macro-F1':>9}" + "".join(f"{'F1 ' + lab[:3]:>9}" for lab in LABELS)
        )
        predictions = {name: predict([s.text for s in rows]) for name, predict in models.items()}
        for name, predicted in predictions.items():
            per_class = f1_score(gold, predicted, labels=list(LABELS), average=None)
            macro = f1_score(gold, predicted, labels=list(LABELS), average="macro")
            print(f"  {name:<22}{macro:9.3f}" + "".join(f"{v:9.3f}" for v in per_class))
        if split == "test":
            print("\n  test accuracy per phenomenon")
            by_tag: dict[str, list[int]] = defaultdict(list)
            for i, statement in enumerate(rows):
                by_tag[statement.phenomenon or "typical"].append(i)
            print(f"  {'phenomenon':<22}{'n':>5}" + "".join(f"{n[:11]:>12}" for n in models))
            for tag in sorted(by_tag):
                indices = by_tag[tag]
                scores = [
                    sum(predictions[n][i] == gold[i] for i in indices) / len(indices)
                    for n in models
                ]
                print(f"  {tag:<22}{len(indices):5d}" + "".join(f"{v:12.3f}" for v in scores))


def _read(path: Path) -> list[dict[str, str]]:
    return [row for _, row in iter_csv_records(read_text(path), path, required=("text",))]


def external_report(directory: Path, models: dict[str, Predictor]) -> None:
    emergent_path = directory / "emergent_headlines_denial.csv"
    plover_path = directory / "plover_gsr_denial_negatives.csv"
    if not emergent_path.is_file() or not plover_path.is_file():
        print(f"\nexternal: {directory} has no Emergent/PLOVER files; skipped")
        return
    emergent, plover = _read(emergent_path), _read(plover_path)
    subsets = {
        "Emergent all": emergent,
        "Emergent crowd_agrees=1": [r for r in emergent if r["crowd_agrees"] == "1"],
    }
    print(f"\nexternal, evaluation only ({directory})")
    print(f"  {'model':<22}{'subset':<26}{'n':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for name, predict in models.items():
        for subset, rows in subsets.items():
            gold = [r["is_denial"] == "1" for r in rows]
            predicted = [label == "denial" for label in predict([r["text"] for r in rows])]
            p, r, f, _ = precision_recall_fscore_support(
                gold, predicted, average="binary", zero_division=0
            )
            print(f"  {name:<22}{subset:<26}{len(rows):6d}{p:7.3f}{r:7.3f}{f:7.3f}")
    print(f"\n  {'model':<22}{'PLOVER false-denial rate':<28}{'all':>8}{'REJECT':>8}")
    reject = [r for r in plover if "REJECT" in r["source_label"]]
    for name, predict in models.items():
        rates = []
        for rows in (plover, reject):
            predicted = predict([r["text"] for r in rows])
            rates.append(sum(label == "denial" for label in predicted) / len(rows))
        print(
            f"  {name:<22}{'':<28}{rates[0]:8.3f}{rates[1]:8.3f}  (n={len(plover)}/{len(reject)})"
        )


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
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = load_corpus(args.data)
    print(
        f"training 3 models on {len(corpus.split('train')[0])} train statements ...",
        file=sys.stderr,
    )
    models = fitted_models(corpus, args.seed)
    corpus_report(corpus, models)
    external_report(args.external, models)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
