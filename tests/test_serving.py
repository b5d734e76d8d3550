"""`mlflow models serve` answers /invocations with the label and all three probabilities."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from inference import load_model, predict
from inference.pyfunc import input_texts
from training.servers import free_port, http_json, running, server_environment


def test_served_champion_returns_label_and_probabilities(tiny_champion, tmp_path):
    config = tiny_champion
    port = free_port()
    command = [
        sys.executable, "-m", "mlflow", "models", "serve",
        "-m", "models:/stancewatch@champion", "--env-manager", "local",
        "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    environment = server_environment(MLFLOW_TRACKING_URI=config.tracking_uri)
    texts = ["The ministry called the accusations baseless.", "Talks resumed on Monday."]
    with running(command, f"http://127.0.0.1:{port}/ping", tmp_path / "serve.log", environment):
        answer = http_json(
            f"http://127.0.0.1:{port}/invocations",
            {"dataframe_records": [{"text": text} for text in texts]},
        )
    rows = answer["predictions"]
    expected = predict(texts, load_model(config.model_dir))
    assert len(rows) == len(texts)
    for row, prediction in zip(rows, expected, strict=True):
        assert set(row) == {"label", "p_accusation", "p_denial", "p_neutral"}
        assert row["label"] == prediction.label
        assert row["p_accusation"] + row["p_denial"] + row["p_neutral"] == pytest.approx(1.0)
        assert row[f"p_{prediction.label}"] == pytest.approx(
            prediction.probabilities[prediction.label]
        )
    assert "POST /invocations" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_pyfunc_input_shapes_and_errors():
    assert input_texts(pd.DataFrame({"text": ["a", "b"]})) == ["a", "b"]
    assert input_texts(pd.DataFrame({0: ["only column"]})) == ["only column"]
    assert input_texts(pd.Series(["s"])) == ["s"]
    assert input_texts(["x", "y"]) == ["x", "y"]
    with pytest.raises(ValueError, match="expected a 'text' column, got columns"):
        input_texts(pd.DataFrame({"a": ["1"], "b": ["2"]}))
    with pytest.raises(TypeError, match="DataFrame with a 'text' column"):
        input_texts(42)


def test_server_that_cannot_start_is_a_clear_error(tmp_path):
    from training.servers import ServerError

    port = free_port()
    command = [sys.executable, "-c", "import sys; sys.exit(3)"]
    with pytest.raises(ServerError, match="exited with code 3"):
        with running(command, f"http://127.0.0.1:{port}/", Path(tmp_path) / "x.log"):
            pass
