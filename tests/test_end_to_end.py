"""The whole loop: train on a small corpus into a temporary MLflow store, predict, reload."""

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from inference import load_model, predict
from inference.model import METADATA_FILE
from tests.conftest import FAST_GRID
from training import tracking
from training.train import TrainConfig, train


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_corpus_path):
    root = tmp_path_factory.mktemp("e2e")
    config = TrainConfig(
        data=tiny_corpus_path,
        model_dir=root / "models" / "default",
        tracking_uri=f"sqlite:///{root / 'mlruns' / 'mlflow.db'}",
        experiment="e2e",
        seed=7,
        folds=2,
        param_grid=FAST_GRID,
    )
    messages: list[str] = []
    result = train(config, progress=messages.append)
    return config, result, messages


def test_training_reports_progress_and_metrics(trained):
    _, result, messages = trained
    assert messages[0].startswith("[1/5] Loading corpus")
    assert any(m.startswith("[5/5] Saving the model") for m in messages)
    assert 0.0 <= result.dev.macro_f1 <= 1.0
    assert len(result.test.confusion) == 3


def test_saved_model_predicts_and_records_its_lineage(trained):
    config, result, _ = trained
    model = load_model(config.model_dir)
    prediction = predict("The spokesman denied the report.", model)
    assert prediction.label in {"accusation", "denial", "neutral"}
    metadata = json.loads((config.model_dir / METADATA_FILE).read_text())
    assert metadata["mlflow"]["run_id"] == result.run_id
    assert metadata["corpus"]["sha256"] == result.corpus.sha256
    assert metadata["metrics"]["dev_macro_f1"] == pytest.approx(result.dev.macro_f1)


def test_mlflow_run_has_params_metrics_and_artifacts(trained):
    config, result, _ = trained
    client = mlflow.MlflowClient(config.tracking_uri)
    run = client.get_run(result.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["corpus_sha256"] == result.corpus.sha256
    assert run.data.params["corpus_rows_train"] == "42"
    assert run.data.params["seed"] == "7"
    for name in ("dev_macro_f1", "test_macro_f1", "dev_f1_denial", "test_recall_neutral"):
        assert name in run.data.metrics
    assert run.data.tags["mlflow.source.git.commit"]
    artifacts = {f.path for f in client.list_artifacts(result.run_id, "evaluation")}
    assert {"evaluation/confusion_dev.png", "evaluation/dev_misclassified.json"} <= artifacts
    assert run.inputs.dataset_inputs[0].dataset.digest == result.corpus.sha256[:16]


def test_logged_model_loads_with_both_flavors(trained):
    config, result, _ = trained
    mlflow.set_tracking_uri(config.tracking_uri)
    uri = f"runs:/{result.run_id}/model"
    texts = ["He denied it.", "Police arrested two men."]
    expected = [p.label for p in predict(texts, load_model(config.model_dir))]
    assert list(mlflow.sklearn.load_model(uri).predict(texts)) == expected
    pyfunc = mlflow.pyfunc.load_model(uri)
    assert list(pyfunc.predict(texts)) == expected
    assert list(pyfunc.predict(pd.DataFrame({"text": texts}))) == expected


def test_training_is_deterministic(trained, tmp_path):
    config, result, _ = trained
    again = TrainConfig(
        data=config.data,
        model_dir=tmp_path / "model",
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        seed=config.seed,
        folds=config.folds,
        param_grid=config.param_grid,
    )
    repeat = train(again, progress=lambda _: None)
    assert repeat.dev.predicted == result.dev.predicted
    assert repeat.cv_macro_f1 == result.cv_macro_f1


def test_failed_run_keeps_previous_model_and_marks_run_failed(trained, monkeypatch):
    config, result, _ = trained
    before = (Path(config.model_dir) / METADATA_FILE).read_text()

    def broken(_pipeline):
        raise OSError("artifact store unavailable")

    monkeypatch.setattr(tracking, "log_model", broken)
    with pytest.raises(OSError, match="artifact store unavailable"):
        train(config, progress=lambda _: None)
    assert (Path(config.model_dir) / METADATA_FILE).read_text() == before
    client = mlflow.MlflowClient(config.tracking_uri)
    experiment = client.get_experiment_by_name(config.experiment)
    latest = client.search_runs([experiment.experiment_id], order_by=["start_time DESC"])[0]
    assert latest.info.status == "FAILED"
    assert latest.info.run_id != result.run_id
