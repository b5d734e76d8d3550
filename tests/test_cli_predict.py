import io
import json
from pathlib import Path

import pytest

from inference.cli import main
from inference.model import save_model


@pytest.fixture
def model_dir(tmp_path: Path, corpus_model) -> Path:
    path = tmp_path / "model"
    save_model(corpus_model.pipeline, path, {})
    return path


def test_text_argument_prints_json_lines(model_dir, capsys):
    assert main(["--model", str(model_dir), "He denied the charges.", "Talks resume today."]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["text"] for r in records] == ["He denied the charges.", "Talks resume today."]
    assert records[0]["label"] == "denial"
    assert set(records[0]["probabilities"]) == {"accusation", "denial", "neutral"}
    assert {"phrase", "weight"} <= set(records[0]["evidence"][0])


def test_table_format_for_people(model_dir, capsys):
    assert main(["-m", str(model_dir), "--format", "table", "He pleaded not guilty."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["label", "acc", "den", "neu"]
    assert out[1].startswith("denial")
    assert "He pleaded not guilty." in out[1]


def test_input_file_csv(model_dir, tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text('id,text\n1,"Police arrested two men, officials said."\n', encoding="utf-8")
    assert main(["-m", str(model_dir), "--input", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "Police arrested two men, officials said."


def test_stdin(model_dir, monkeypatch, capsys):
    stdin = io.TextIOWrapper(io.BytesIO(b"One.\n\nTwo denied it.\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["-m", str(model_dir), "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_env_var_selects_default_model(model_dir, monkeypatch, capsys):
    monkeypatch.setenv("STANCEWATCH_MODEL", str(model_dir))
    assert main(["Officials blamed the rebels for the attack."]) == 0
    assert json.loads(capsys.readouterr().out)["label"] == "accusation"


def test_no_model_is_one_clear_line(tmp_path, capsys):
    assert main(["-m", str(tmp_path / "none"), "Some text."]) == 1
    err = capsys.readouterr().err
    assert err.startswith("stance-predict: error: no trained model at")
    assert "Traceback" not in err


def test_bad_input_file_is_one_clear_line(model_dir, tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text("id,body\n1,x\n", encoding="utf-8")
    assert main(["-m", str(model_dir), "--input", str(data)]) == 1
    assert "in.csv, line 1" in capsys.readouterr().err


def test_blank_statement_is_an_error(model_dir, capsys):
    assert main(["-m", str(model_dir), "  "]) == 1
    assert "empty or whitespace-only" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as no_input:
        main([])
    assert no_input.value.code == 2
    with pytest.raises(SystemExit) as both:
        main(["text", "--input", "x.txt"])
    assert both.value.code == 2
    assert "not both" in capsys.readouterr().err
