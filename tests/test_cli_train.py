import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from training.cli import build_parser, main


def test_validate_prints_counts(tiny_corpus_path, capsys):
    assert main(["validate", "--data", str(tiny_corpus_path)]) == 0
    out = capsys.readouterr().out
    assert "66 statements" in out and "corpus OK" in out


def test_validate_reports_the_bad_line(tmp_path, tiny_corpus_path, capsys):
    bad = tmp_path / "bad.csv"
    lines = tiny_corpus_path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",accusation,", ",accusaton,").replace(",denial,", ",denail,")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--data", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 6, field 'label': unknown label" in err
    assert "Traceback" not in err


def test_train_on_missing_corpus_is_one_clear_line(tmp_path, tracking_uri, capsys):
    code = main(
        [
            "--data",
            str(tmp_path / "absent.csv"),
            "--tracking-uri",
            tracking_uri,
            "--model-dir",
            str(tmp_path / "model"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "stance-train: error: " in err and "absent.csv: no such file" in err
    assert "Traceback" not in err
    assert not (tmp_path / "model").exists()


def test_bad_option_values_exit_2(capsys):
    with pytest.raises(SystemExit) as folds:
        main(["--folds", "1"])
    assert folds.value.code == 2
    assert "--folds must be at least 2" in capsys.readouterr().err


def test_every_option_has_help():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for command in subparsers.values():
        for action in command._actions:
            assert action.help, f"{command.prog} {action.option_strings} has no help"


@pytest.mark.parametrize("command", ["stance-train", "stance-predict"])
def test_installed_entry_points_answer_help(command):
    executable = shutil.which(command, path=str(Path(sys.executable).parent))
    assert executable, f"{command} is not installed next to {sys.executable}"
    result = subprocess.run([executable, "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_module_entry_point_answers_help():
    result = subprocess.run(
        [sys.executable, "-m", "training", "train", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "--tracking-uri" in result.stdout


def test_ablation_prints_every_variant_and_logs_the_table(tiny_corpus_path, tracking_uri, capsys):
    import mlflow

    from training.ablation import ABLATION_EXPERIMENT, VARIANTS

    args = ["ablation", "--data", str(tiny_corpus_path), "--tracking-uri", tracking_uri]
    assert main([*args, "--folds", "2", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    for variant in VARIANTS:
        assert variant in out
    mlflow.set_tracking_uri(tracking_uri)
    experiment = mlflow.get_experiment_by_name(ABLATION_EXPERIMENT)
    (run,) = mlflow.search_runs([experiment.experiment_id], output_format="list")
    table = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/ablation/ablation.json")
    rows = [dict(zip(table["columns"], row, strict=True)) for row in table["data"]]
    assert [row["variant"] for row in rows] == list(VARIANTS)
    assert all(0 <= row["cv_macro_f1"] <= 1 for row in rows)
    assert run.info.status == "FINISHED"


def test_training_without_mlflow_says_which_extra_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "mlflow" else real(name, *a)
    )
    assert main(["train"]) == 1
    assert "pip install 'stancewatch[mlflow]'" in capsys.readouterr().err


def test_registry_uri_without_mlflow_is_a_clear_error(monkeypatch):
    from inference import load_model
    from inference.registry import MlflowMissingError

    monkeypatch.setitem(sys.modules, "mlflow", None)
    with pytest.raises(MlflowMissingError, match=r"stancewatch\[mlflow\]"):
        load_model("models:/stancewatch@champion")
