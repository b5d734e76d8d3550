"""The training job: corpus -> model selection -> evaluation -> MLflow -> saved model."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import ParameterGrid, StratifiedKFold, cross_val_score

from inference.model import save_model, write_model_files
from inference.paths import default_model_dir, project_root
from training import registry, tracking
from training.corpus import Corpus, default_corpus_path, load_corpus
from training.evaluate import Evaluation, evaluate
from training.model_card import render_model_card
from training.pipeline import PARAM_GRID, build_pipeline


@dataclass
class TrainConfig:
    """What one training run uses; every field has the CLI's default."""

    data: Path = field(default_factory=default_corpus_path)
    model_dir: Path = field(default_factory=default_model_dir)
    tracking_uri: str = field(default_factory=tracking.default_tracking_uri)
    experiment: str = tracking.DEFAULT_EXPERIMENT
    seed: int = 42
    folds: int = 5
    jobs: int = field(default_factory=lambda: min(4, os.cpu_count() or 1))
    param_grid: dict[str, list[Any]] = field(default_factory=lambda: dict(PARAM_GRID))
    run_name: str | None = None
    #: Register the model in the MLflow registry (and maybe move the champion alias).
    register: bool = True
    #: Move the champion alias to this run's version even if it is not better.
    promote: bool = False
    registered_model: str = registry.REGISTERED_NAME


@dataclass
class TrainResult:
    run_id: str
    experiment_id: str
    model_dir: Path
    model_uri: str
    params: dict[str, Any]
    cv_macro_f1: float
    dev: Evaluation
    test: Evaluation
    corpus: Corpus
    timings: dict[str, float]
    registration: registry.Registration | None


Progress = Callable[[str], None]
MODEL_CARD_FILE = "MODEL_CARD.md"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git_state(root: Path) -> tuple[str, bool]:
    """The commit of the checkout and whether it has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown", False
    return commit, bool(status.strip())


def select_model(
    texts: list[str], labels: list[str], config: TrainConfig, progress: Progress
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Cross-validate every candidate of the grid on the train split (macro-F1)."""
    folds = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    grid = list(ParameterGrid(config.param_grid))
    candidates = []
    for number, params in enumerate(grid, start=1):
        started = time.perf_counter()
        scores = cross_val_score(
            build_pipeline(seed=config.seed, calibrate=False, **params),
            texts,
            labels,
            cv=folds,
            scoring="f1_macro",
            n_jobs=config.jobs,
        )
        candidates.append(
            {"params": params, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
        )
        progress(
            f"  candidate {number}/{len(grid)}: CV macro-F1 {np.mean(scores):.3f} "
            f"± {np.std(scores):.3f}  ({time.perf_counter() - started:.1f} s)  {params}"
        )
    # Highest mean wins; ties go to the earlier (simpler) candidate.
    best = max(candidates, key=lambda c: c["mean"])
    return best["params"], candidates


def train(config: TrainConfig, progress: Progress = _stderr) -> TrainResult:
    """Run the whole job. The default model is replaced only if every step succeeds."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    progress(f"[1/5] Loading corpus {config.data}")
    corpus = load_corpus(config.data)
    train_texts, train_labels = corpus.split("train")
    dev_texts, dev_labels = corpus.split("dev")
    test_texts, test_labels = corpus.split("test")
    progress(
        f"  {len(corpus.statements)} statements: train {len(train_texts)}, "
        f"dev {len(dev_texts)}, test {len(test_texts)}"
    )
    if not dev_texts or not test_texts:
        raise ValueError(f"{corpus.path}: the dev and test splits must not be empty")

    experiment_id = tracking.configure(config.tracking_uri, config.experiment)
    with tracking.tracked_run(experiment_id, config.run_name) as run_id:
        commit, dirty = git_state(project_root())
        tracking.log_git(commit, dirty)
        tracking.log_corpus(corpus)

        n_candidates = len(ParameterGrid(config.param_grid))
        progress(
            f"[2/5] Choosing hyperparameters: {n_candidates} candidates x "
            f"{config.folds}-fold CV on train"
        )
        started = time.perf_counter()
        params, candidates = select_model(train_texts, train_labels, config, progress)
        best_cv = max(c["mean"] for c in candidates)
        pipeline = build_pipeline(seed=config.seed, **params)
        pipeline.fit(train_texts, train_labels)
        timings["fit_seconds"] = time.perf_counter() - started
        progress(f"  chosen {params} (CV macro-F1 {best_cv:.3f})")

        progress("[3/5] Evaluating on dev and test")
        dev = evaluate(pipeline, dev_texts, dev_labels, "dev", corpus.phenomena("dev"))
        test = evaluate(pipeline, test_texts, test_labels, "test", corpus.phenomena("test"))

        progress("[4/5] Logging the run and the model to MLflow")
        started = time.perf_counter()
        tracking.log_selection({"seed": config.seed, "folds": config.folds, **params}, candidates)
        tracking.log_evaluation(dev)
        tracking.log_evaluation(test)
        tracking.log_metrics({"cv_macro_f1": best_cv})
        card = render_model_card(corpus, params, dev, test, run_id, commit, dirty)
        tracking.log_text(card, "model_card.md")
        metadata: dict[str, Any] = {
            "params": {key: str(value) for key, value in params.items()},
            "seed": config.seed,
            "corpus": {
                "path": str(corpus.path),
                "sha256": corpus.sha256,
                "rows": corpus.split_label_counts(),
            },
            "metrics": {
                "cv_macro_f1": best_cv,
                "dev_macro_f1": dev.macro_f1,
                "test_macro_f1": test.macro_f1,
                "test_brier": test.brier,
                "test_ece": test.ece,
            },
            "mlflow": {"tracking_uri": config.tracking_uri, "run_id": run_id},
            "git": {"commit": commit, "dirty": dirty},
        }
        with tempfile.TemporaryDirectory(prefix="stancewatch-stage-") as scratch:
            staged = Path(scratch) / "stancewatch"
            staged.mkdir()
            (staged / MODEL_CARD_FILE).write_text(card, encoding="utf-8")
            write_model_files(pipeline, staged, metadata)
            model_uri = tracking.log_model(staged)
        metadata["mlflow"]["model_uri"] = model_uri
        timings["logging_seconds"] = time.perf_counter() - started

        registration = None
        if config.register:
            started = time.perf_counter()
            registration = registry.register(
                model_uri,
                run_id,
                test.macro_f1,
                test_texts,
                test_labels,
                name=config.registered_model,
                force_promote=config.promote,
                progress=progress,
            )
            tracking.record_registration(registration)
            metadata["mlflow"]["registered_model"] = registration.name
            metadata["mlflow"]["version"] = registration.version
            timings["registry_seconds"] = time.perf_counter() - started
            progress(
                f"  registered {registration.name} version {registration.version}; "
                + (
                    f"alias {registry.CHAMPION_ALIAS!r} moved to it ({registration.reason})"
                    if registration.promoted
                    else f"champion stays v{registration.previous_version} ({registration.reason})"
                )
            )

        progress(f"[5/5] Saving the model to {config.model_dir}")
        save_model(pipeline, config.model_dir, metadata, extra_files={MODEL_CARD_FILE: card})
        timings["total_seconds"] = time.perf_counter() - clock
        tracking.log_metrics({f"time_{name}": value for name, value in timings.items()})

    return TrainResult(
        run_id=run_id,
        experiment_id=experiment_id,
        model_dir=config.model_dir,
        model_uri=model_uri,
        params=params,
        cv_macro_f1=best_cv,
        dev=dev,
        test=test,
        corpus=corpus,
        timings=timings,
        registration=registration,
    )
