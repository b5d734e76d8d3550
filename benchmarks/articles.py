"""Article reader benchmark: segmentation, labels, two-act sentences, speaker and target.

Runs ``inference.analyze`` over the annotated articles in ``datasets/articles/``
with the saved default model and prints precision and recall.

    python -m benchmarks.articles [--articles DIR] [--model DIR|URI] [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from inference import analyze, load_model
from inference.errors import StancewatchError
from training.articles import default_articles_dir, format_scores, load_articles, score_articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.articles",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--articles",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"annotated articles (default: {default_articles_dir()})",
    )
    parser.add_argument(
        "--model", default=None, metavar="DIR|URI", help="model (default: the saved default model)"
    )
    parser.add_argument("--misses", action="store_true", help="list gold statements not segmented")
    args = parser.parse_args(argv)
    try:
        articles = load_articles(args.articles)
        model = load_model(args.model)
        started = time.perf_counter()
        scores = score_articles(articles, lambda text: analyze(text, model))
        elapsed = time.perf_counter() - started
    except StancewatchError as err:
        print(f"benchmarks.articles: error: {err}", file=sys.stderr)
        return 1
    print(format_scores(scores))
    chars = sum(len(a.text) for a in articles)
    print(f"speed: {len(articles)} articles ({chars:,} characters) in {elapsed:.2f} s")
    if args.misses:
        print("\n".join(scores.misses) or "(no misses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
