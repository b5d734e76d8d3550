"""Speed and memory of the public ``predict`` (issue 7 baseline).

Prints: batch throughput (statements/s) through ``inference.predict`` (evidence
computed lazily, and with every evidence list read), the
same for the textbook ``TfidfVectorizer()`` + ``LogisticRegression()`` trained
in the same run (the reference ratio), single-call latency p50/p99, cold start
of a new process (import, load, first predict), peak RSS of that process and
the model's size on disk. Training wall time is what ``stance-train`` prints.

    python -m benchmarks.perf [--statements 100000] [--model DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from inference import load_model, predict
from training.corpus import load_corpus

COLD_START = """
import resource, sys, time, json
started = time.perf_counter()
from inference import load_model, predict
model = load_model(sys.argv[1])
predict("The ministry called the accusations baseless.", model)
elapsed = time.perf_counter() - started
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cold_start_s": elapsed, "peak_rss_mb": rss_mb}))
"""


def throughput(score, texts: list[str]) -> float:
    started = time.perf_counter()
    score(texts)
    return len(texts) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.perf",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=100_000,
        help="statements in the batch run (default: 100000)",
    )
    parser.add_argument(
        "--calls", type=int, default=1000, help="single calls timed (default: 1000)"
    )
    parser.add_argument(
        "--model", default=None, metavar="DIR", help="model (default: the saved one)"
    )
    args = parser.parse_args(argv)

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    corpus = load_corpus()
    texts = [s.text for s in corpus.statements]
    batch = (texts * (args.statements // len(texts) + 1))[: args.statements]
    model = load_model(args.model)
    model_dir = Path(model.path)

    ours = throughput(lambda b: predict(b, model), batch)
    explained = throughput(lambda b: [p.evidence for p in predict(b, model)], batch[:20_000])
    train_texts, train_labels = corpus.split("train")
    textbook = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(train_texts, train_labels)
    theirs = throughput(textbook.predict_proba, batch)

    latencies = []
    for text in texts[: args.calls]:
        started = time.perf_counter()
        predict(text, model)
        latencies.append(time.perf_counter() - started)
    p50, p99 = np.percentile(np.asarray(latencies) * 1000, [50, 99])

    cold = json.loads(
        subprocess.run(
            [sys.executable, "-c", COLD_START, str(model_dir)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    size_mb = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file()) / 1e6

    print(f"batch predict (evidence lazy)      {ours:10,.0f} statements/s  ({len(batch):,})")
    print(
        f"batch predict, evidence read       {explained:10,.0f} statements/s  "
        f"({min(len(batch), 20_000):,})"
    )
    print(
        f"textbook TF-IDF + LR predict_proba {theirs:10,.0f} statements/s  "
        f"(ratio {ours / theirs:.2f})"
    )
    print(
        f"single call latency                p50 {p50:.2f} ms, p99 {p99:.2f} ms "
        f"({len(latencies)} calls)"
    )
    print(f"cold start (import, load, predict) {cold['cold_start_s']:.2f} s")
    print(f"peak RSS of that process           {cold['peak_rss_mb']:.0f} MB")
    print(f"model size on disk                 {size_mb:.1f} MB ({model_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
