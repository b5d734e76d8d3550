"""The registry: every run registers a version; the champion alias moves only for a better one."""

import csv
import subprocess
import sys
from pathlib import Path

import mlflow
import pytest

from inference import load_model, predict
from inference.errors import ModelNotFoundError
from tests.conftest import tiny_train_config
from training.cli import main
from training.registry import CHAMPION_ALIAS
from training.runs import best_runs, format_runs
from training.train import TrainConfig, train


def shuffled_label_corpus(source: Path, target: Path) -> Path:
    """The tiny corpus with train labels rotated: a model trained on it is poor."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rotate = {"accusation": "denial", "denial": "neutral", "neutral": "accusation"}
    for row in rows:
        if row["split"] == "train":
            row["label"] = rotate[row["label"]]
            row["phenomenon"] = "typical"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


def config_for(root: Path, data: Path, **overrides) -> TrainConfig:
    return tiny_train_config(root, data, "registry", seed=3, **overrides)


@pytest.fixture(scope="module")
def history(tmp_path_factory, tiny_corpus_path):
    """Three runs into one store: a poor model, a good one, then the same good one again."""
    root = tmp_path_factory.mktemp("registry")
    poor = shuffled_label_corpus(tiny_corpus_path, root / "poor.csv")
    quiet = {"progress": lambda _: None}
    first = train(config_for(root, poor), **quiet)
    second = train(config_for(root, tiny_corpus_path), **quiet)
    third = train(config_for(root, tiny_corpus_path), **quiet)
    return root, [first, second, third]


def champion_version(root: Path) -> str:
    client = mlflow.MlflowClient(f"sqlite:///{root / 'mlflow.db'}")
    return str(client.get_model_version_by_alias("stancewatch", CHAMPION_ALIAS).version)


def test_every_run_registers_a_new_version(history):
    _, runs = history
    assert [r.registration.version for r in runs] == ["1", "2", "3"]


def test_champion_moves_only_to_a_better_model(history):
    root, (first, second, third) = history
    assert first.registration.promoted and first.registration.reason.startswith("first")
    assert second.test.macro_f1 > first.test.macro_f1
    assert second.registration.promoted
    assert second.registration.previous_test_macro_f1 == pytest.approx(first.test.macro_f1)
    # An equal model does not take over.
    assert not third.registration.promoted
    assert champion_version(root) == "2"


def test_promote_forces_and_no_register_skips(history, tiny_corpus_path):
    root, _ = history
    forced = train(config_for(root, tiny_corpus_path, promote=True), progress=lambda _: None)
    assert forced.registration.promoted and "forced" in forced.registration.reason
    assert champion_version(root) == forced.registration.version
    skipped = train(config_for(root, tiny_corpus_path, register=False), progress=lambda _: None)
    assert skipped.registration is None
    client = mlflow.MlflowClient(f"sqlite:///{root / 'mlflow.db'}")
    assert len(client.search_model_versions("name='stancewatch'")) == 4
    assert "registered_version" not in client.get_run(skipped.run_id).data.tags


def test_load_model_resolves_the_champion_alias(history, monkeypatch):
    root, _ = history
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root / 'mlflow.db'}")
    model = load_model(f"models:/stancewatch@{CHAMPION_ALIAS}")
    client = mlflow.MlflowClient(f"sqlite:///{root / 'mlflow.db'}")
    champion = client.get_model_version("stancewatch", champion_version(root))
    assert model.metadata["mlflow"]["run_id"] == champion.run_id
    assert predict("The ministry called the accusations baseless.", model).label in {
        "accusation",
        "denial",
        "neutral",
    }
    with pytest.raises(ModelNotFoundError):
        load_model("models:/stancewatch@no-such-alias")


def test_stancewatch_model_env_var_may_name_a_registry_uri(history, monkeypatch):
    root, runs = history
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root / 'mlflow.db'}")
    monkeypatch.setenv("STANCEWATCH_MODEL", "models:/stancewatch/1")
    assert load_model().metadata["mlflow"]["run_id"] == runs[0].run_id


def test_plain_predict_does_not_import_mlflow(history):
    root, _ = history
    code = (
        "import sys, inference; "
        f"m = inference.load_model({str(root / 'models' / 'default')!r}); "
        "inference.predict('He denied it.', m); "
        "sys.exit(1 if 'mlflow' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_runs_lists_best_first_and_marks_the_champion(history, capsys):
    root, _ = history
    uri = f"sqlite:///{root / 'mlflow.db'}"
    rows = best_runs(uri, "registry", top=3)
    scores = [r["test_macro_f1"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert sum(r["champion"] for r in rows) <= 1
    assert main(["runs", "--tracking-uri", uri, "--experiment", "registry", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "test_macro_f1" in out.splitlines()[0]
    assert len(out.splitlines()) == 3
    assert "★" in format_runs(best_runs(uri, "registry", top=10), "test_macro_f1")


def test_runs_on_a_missing_experiment_is_one_clear_error(tmp_path, capsys):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    assert main(["runs", "--tracking-uri", uri, "--experiment", "nope"]) == 1
    assert "no experiment named 'nope'" in capsys.readouterr().err
