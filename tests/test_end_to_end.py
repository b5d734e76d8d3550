"""The whole loop: train on a small corpus into a temporary MLflow store, predict, reload."""

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from inference import load_model, predict
from inference.model import METADATA_FILE
from tests.conftest import tiny_train_config
from training import tracking
from training.train import TrainConfig, train


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_corpus_path):
    root = tmp_path_factory.mktemp("e2e")
    config = tiny_train_config(root, tiny_corpus_path, "e2e")
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


def test_mlflow_run_has_params_metrics_artifacts_and_lineage(trained):
    config, result, _ = trained
    client = mlflow.MlflowClient(config.tracking_uri)
    run = client.get_run(result.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["corpus_sha256"] == result.corpus.sha256
    assert run.data.params["corpus_rows_train"] == "42"
    assert run.data.params["seed"] == "7"
    for name in (
        "dev_macro_f1",
        "test_macro_f1",
        "dev_f1_denial",
        "test_recall_neutral",
        "test_brier",
        "test_ece",
        "time_fit_seconds",
        "time_logging_seconds",
    ):
        assert name in run.data.metrics, name
    assert run.data.tags["mlflow.source.git.commit"]
    assert run.data.tags["git_dirty"] in {"true", "false"}
    artifacts = {f.path for f in client.list_artifacts(result.run_id, "evaluation")}
    for split in ("dev", "test"):
        assert {
            f"evaluation/confusion_{split}.png",
            f"evaluation/precision_recall_{split}.png",
            f"evaluation/calibration_{split}.png",
            f"evaluation/phenomena_{split}.png",
            f"evaluation/{split}_phenomena.json",
            f"evaluation/{split}_misclassified.json",
        } <= artifacts
    inputs = {i.dataset.name: i for i in run.inputs.dataset_inputs}
    assert set(inputs) == {"tiny-train", "tiny-dev", "tiny-test"}
    tags = {t.key: t.value for t in inputs["tiny-dev"].tags}
    assert tags["mlflow.data.context"] == "dev"
    assert tags["rows"] == "12"
    assert tags["corpus_sha256"] == result.corpus.sha256
    assert "tiny.csv" in inputs["tiny-train"].dataset.source
    assert len({i.dataset.digest for i in inputs.values()}) == 3


def test_model_card_is_logged_and_saved_with_the_model(trained, tmp_path):
    config, result, _ = trained
    card = mlflow.artifacts.download_artifacts(
        run_id=result.run_id,
        artifact_path="model_card.md",
        dst_path=str(tmp_path),
        tracking_uri=config.tracking_uri,
    )
    text = Path(card).read_text(encoding="utf-8")
    for heading in ("## Intended use", "## Labels", "## Data", "## Metrics", "## Known limits"):
        assert heading in text
    assert result.corpus.sha256 in text
    assert f"{result.test.macro_f1:.3f}" in text
    assert (Path(config.model_dir) / "MODEL_CARD.md").read_text(encoding="utf-8") == text


def test_logged_pyfunc_returns_label_and_all_probabilities(trained):
    config, result, _ = trained
    mlflow.set_tracking_uri(config.tracking_uri)
    texts = ["He denied it.", "Police arrested two men."]
    expected = predict(texts, load_model(config.model_dir))
    pyfunc = mlflow.pyfunc.load_model(result.model_uri)
    frame = pyfunc.predict(pd.DataFrame({"text": texts}))
    assert list(frame.columns) == ["label", "p_accusation", "p_denial", "p_neutral"]
    assert list(frame["label"]) == [p.label for p in expected]
    for row, prediction in zip(frame.itertuples(), expected, strict=True):
        assert row.p_denial == pytest.approx(prediction.probabilities["denial"])
        assert row.p_accusation + row.p_denial + row.p_neutral == pytest.approx(1.0)


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
