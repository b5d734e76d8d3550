"""Speed and memory of stancewatch, against the issue-7 targets.

Prints, for the saved (or given) model:

* batch throughput of the public ``predict`` (statements/s over ``--statements``
  statements, evidence computed lazily), and with every evidence list read;
* the textbook ``TfidfVectorizer()`` + ``LogisticRegression()`` trained on the
  same train split, timed on the same batch (``predict_proba``), and the ratio;
* single-call latency p50/p99 of ``predict(text)``;
* cold start of a new process (import, load, first predict) and its peak RSS;
* peak RSS of a new process that scores the whole batch;
* the model's size on disk;
* wall time of ``stance-train`` with model selection (into a temporary
  directory and MLflow store; needs the ``mlflow`` extra; ``--skip-training``).

Peak RSS is the kernel's high-water mark of the process (``VmHWM``), read in
the process itself: ``ru_maxrss`` would report the benchmark's own memory,
which a child inherits across ``fork``.

    python -m benchmarks.perf [--statements 100000] [--calls 1000] [--model DIR]
                              [--python PATH] [--skip-training]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from inference import load_model, predict
from training.corpus import load_corpus

#: Targets of issue 7: (figure, comparison, bound).
TARGETS = {
    "batch_per_s": (">=", 10_000),
    "ratio_to_textbook": (">=", 0.5),
    "p50_ms": ("<=", 1.0),
    "cold_start_s": ("<=", 3.0),
    "peak_rss_mb": ("<=", 300),
    "training_s": ("<=", 180),
}

_PEAK_RSS = """
def peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

COLD_START = (
    _PEAK_RSS
    + """
import sys, time, json
started = time.perf_counter()
from inference import load_model, predict
model = load_model(sys.argv[1])
predict("The ministry called the accusations baseless.", model)
elapsed = time.perf_counter() - started
print(json.dumps({"cold_start_s": elapsed, "peak_rss_mb": peak_rss_mb()}))
"""
)

BATCH_PROCESS = (
    _PEAK_RSS
    + """
import sys, json
from inference import load_model, predict
model = load_model(sys.argv[1])
texts = [line.rstrip("\\n") for line in open(sys.argv[2], encoding="utf-8")]
predictions = predict(texts, model)
print(json.dumps({"statements": len(predictions), "peak_rss_mb": peak_rss_mb()}))
"""
)


def throughput(score: Callable[[list[str]], object], texts: list[str]) -> float:
    started = time.perf_counter()
    score(texts)
    return len(texts) / (time.perf_counter() - started)


def run_json(code: str, *args: str, python: str = sys.executable) -> dict[str, float]:
    """Run ``code`` in a new interpreter; its last output line is JSON."""
    done = subprocess.run(
        [python, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def training_seconds() -> float | None:
    """Wall time of ``stance-train`` (model selection included), or None without mlflow."""
    try:
        import mlflow  # noqa: F401
    except ImportError:
        return None
    with tempfile.TemporaryDirectory(prefix="stancewatch-perf-") as tmp:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "training",
                "train",
                "--model-dir",
                str(Path(tmp) / "model"),
                "--tracking-uri",
                f"sqlite:///{tmp}/mlflow.db",
                "--no-register",
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )
        return time.perf_counter() - started


def verdict(name: str, value: float | None) -> str:
    if value is None or name not in TARGETS:
        return ""
    comparison, bound = TARGETS[name]
    met = value >= bound if comparison == ">=" else value <= bound
    return f"  target {comparison} {bound:g}: {'met' if met else 'MISSED'}"


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
    parser.add_argument(
        "--skip-training", action="store_true", help="do not time a stance-train run"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        metavar="PATH",
        help="interpreter of the new processes (cold start, peak RSS); e.g. a venv with "
        "only `pip install stancewatch`, the runtime install (default: this one)",
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

    # Cold first: the per-word caches start empty, as in a fresh process.
    ours = throughput(lambda b: predict(b, model), batch)
    evidence_batch = batch[: min(len(batch), 10_000)]
    explained = throughput(lambda b: [p.evidence for p in predict(b, model)], evidence_batch)
    train_texts, train_labels = corpus.split("train")
    textbook = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(train_texts, train_labels)
    theirs = throughput(textbook.predict_proba, batch)
    ratio = ours / theirs

    latencies = []
    for text in texts[: args.calls]:
        started = time.perf_counter()
        predict(text, model)
        latencies.append(time.perf_counter() - started)
    p50, p99 = np.percentile(np.asarray(latencies) * 1000, [50, 99])

    cold = run_json(COLD_START, str(model_dir), python=args.python)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as handle:
        handle.writelines(" ".join(text.split()) + "\n" for text in batch)
        handle.flush()
        batch_process = run_json(BATCH_PROCESS, str(model_dir), handle.name, python=args.python)
    size_mb = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file()) / 1e6
    training = None if args.skip_training else training_seconds()

    print(
        f"batch predict, evidence lazy       {ours:10,.0f} statements/s  ({len(batch):,})"
        + verdict("batch_per_s", ours)
    )
    print(
        f"batch predict, evidence read       {explained:10,.0f} statements/s  "
        f"({len(evidence_batch):,})"
    )
    print(
        f"textbook TF-IDF + LR predict_proba {theirs:10,.0f} statements/s  "
        f"(ratio {ratio:.2f})" + verdict("ratio_to_textbook", ratio)
    )
    print(
        f"single call latency                p50 {p50:.2f} ms, p99 {p99:.2f} ms "
        f"({len(latencies)} calls)" + verdict("p50_ms", p50)
    )
    print(
        f"cold start (import, load, predict) {cold['cold_start_s']:.2f} s"
        + verdict("cold_start_s", cold["cold_start_s"])
    )
    print(
        f"peak RSS, cold-start process       {cold['peak_rss_mb']:.0f} MB"
        + verdict("peak_rss_mb", cold["peak_rss_mb"])
    )
    print(
        f"peak RSS, process scoring the batch {batch_process['peak_rss_mb']:.0f} MB "
        f"({batch_process['statements']:,.0f} statements)"
        + verdict("peak_rss_mb", batch_process["peak_rss_mb"])
    )
    print(f"model size on disk                 {size_mb:.1f} MB ({model_dir})")
    print(f"new processes ran                  {args.python}")
    if training is None:
        reason = "skipped" if args.skip_training else "skipped: needs the mlflow extra"
        print(f"training with model selection      {reason}")
    else:
        print(
            f"training with model selection      {training:.0f} s (stance-train)"
            + verdict("training_s", training)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
