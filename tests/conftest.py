"""Shared fixtures: a tiny committed corpus, temporary MLflow stores, trained models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inference.model import StanceModel, save_model
from training.corpus import default_corpus_path, load_corpus
from training.pipeline import DEFAULT_PARAMS, build_pipeline
from training.train import TrainConfig, train

DATA_DIR = Path(__file__).parent / "data"
#: One candidate, so tests train in seconds; the real grid lives in training.pipeline.
FAST_GRID = {"features__char": ["drop"], "classifier__estimator__alpha": [1.0]}


def tiny_train_config(root: Path, data: Path, experiment: str, **overrides: Any) -> TrainConfig:
    """A fast training run (one candidate, 2 folds) into a store and model dir under ``root``."""
    settings: dict[str, Any] = {
        "data": data,
        "model_dir": root / "models" / "default",
        "tracking_uri": f"sqlite:///{root / 'mlflow.db'}",
        "experiment": experiment,
        "seed": 7,
        "folds": 2,
        "param_grid": FAST_GRID,
    }
    return TrainConfig(**{**settings, **overrides})


@pytest.fixture(scope="session")
def tiny_corpus_path() -> Path:
    return DATA_DIR / "tiny.csv"


@pytest.fixture
def tracking_uri(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mlruns' / 'mlflow.db'}"


@pytest.fixture(autouse=True)
def _no_default_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read or write the developer's models/default."""
    monkeypatch.setenv("STANCEWATCH_MODEL", str(tmp_path / "no-model-here"))


@pytest.fixture(scope="session")
def corpus_model() -> StanceModel:
    """The default model (``DEFAULT_PARAMS``, calibrated) fitted on the real train split."""
    corpus = load_corpus(default_corpus_path())
    texts, labels = corpus.split("train")
    pipeline = build_pipeline(seed=42, **DEFAULT_PARAMS)
    pipeline.fit(texts, labels)
    return StanceModel(pipeline=pipeline, metadata={}, path=None)


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    """The text of every statement of the shipped corpus, in file order."""
    return [s.text for s in load_corpus(default_corpus_path()).statements]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, corpus_model: StanceModel) -> Path:
    """``corpus_model`` saved as ``stance-train`` saves it (read-only for tests)."""
    path = tmp_path_factory.mktemp("saved") / "model"
    save_model(corpus_model.pipeline, path, {})
    return path


@pytest.fixture(scope="session")
def tiny_champion(tmp_path_factory: pytest.TempPathFactory, tiny_corpus_path: Path) -> TrainConfig:
    """A store whose ``stancewatch@champion`` is a model trained on the tiny corpus."""
    root = tmp_path_factory.mktemp("champion")
    config = tiny_train_config(root, tiny_corpus_path, "champion", seed=5)
    train(config, progress=lambda _: None)
    return config
