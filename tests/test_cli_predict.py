import io
import json

import joblib
import pytest

from inference.article_cli import ProgressBar
from inference.cli import effective_jobs, main


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


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("lines", "evidence"), [(5000, False), (600, True)])
def test_jobs_2_writes_the_same_output_in_input_order(
    model_dir, corpus_texts, tmp_path, capsys, lines, evidence
):
    texts = corpus_texts[:lines]
    data = tmp_path / "in.txt"
    data.write_text("\n".join(texts) + "\n", encoding="utf-8")
    argv = ["-m", str(model_dir), "--input", str(data), "--batch-size", str(lines // 12)]
    argv += [] if evidence else ["--no-evidence"]
    code, serial, _ = _run([*argv, "--jobs", "1"], capsys)
    assert code == 0
    code, parallel, _ = _run([*argv, "--jobs", "2"], capsys)
    assert code == 0
    assert parallel == serial
    records = [json.loads(line) for line in parallel.splitlines()]
    assert [record["text"] for record in records] == texts
    assert ("evidence" in records[0]) is evidence


def _assert_same_predictions(out: str, expected: str) -> None:
    """Equal records, up to the last digits of floats (a batch's makeup may move them)."""
    got, want = ([json.loads(line) for line in text.splitlines()] for text in (out, expected))
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert (a["text"], a["label"]) == (b["text"], b["label"])
        assert a["probabilities"] == pytest.approx(b["probabilities"], abs=1e-9)
        assert [e["phrase"] for e in a["evidence"]] == [e["phrase"] for e in b["evidence"]]


def test_batch_smaller_than_the_file(model_dir, tmp_path, capsys):
    data = tmp_path / "in.csv"
    rows = "".join(f'{i},"Statement {i}: officials denied, the minister said."\n' for i in range(7))
    data.write_text("id,text\n" + rows, encoding="utf-8")
    code, whole, _ = _run(["-m", str(model_dir), "--input", str(data)], capsys)
    assert code == 0
    assert [json.loads(line)["text"][:12] for line in whole.splitlines()] == [
        f"Statement {i}:" for i in range(7)
    ]
    for size in ("1", "3", "7"):
        code, out, err = _run(["-m", str(model_dir), "-i", str(data), "--batch-size", size], capsys)
        assert (code, err) == (0, "")
        _assert_same_predictions(out, whole)


def test_no_evidence_leaves_the_field_out(model_dir, capsys):
    code, out, _ = _run(["-m", str(model_dir), "--no-evidence", "He denied the charges."], capsys)
    assert code == 0
    record = json.loads(out)
    assert list(record) == ["text", "label", "probabilities"]
    assert record["label"] == "denial"
    code, out, _ = _run(["-m", str(model_dir), "--no-evidence", "-f", "table", "Hi."], capsys)
    assert "evidence" not in out.splitlines()[0]


def test_bad_line_mid_file_keeps_what_was_written(model_dir, tmp_path, capsys):
    data = tmp_path / "in.jsonl"
    good = [f'{{"text": "Statement {i} was denied."}}\n' for i in range(5)]
    data.write_text("".join(good) + '{"text": ""}\n' + good[0], encoding="utf-8")
    for jobs in ("1", "2"):
        argv = ["-m", str(model_dir), "-i", str(data), "--batch-size", "2", "--jobs", jobs]
        code, out, err = _run(argv, capsys)
        assert code == 1
        assert len(out.splitlines()) == 5
        assert err.splitlines() == [
            f"stance-predict: error: {data}, line 6, field 'text': expected a non-empty string"
        ]


def test_progress_bar_on_a_terminal(model_dir, tmp_path, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    data = tmp_path / "in.txt"
    data.write_text("One was denied.\nTwo accused him.\nThree.\n", encoding="utf-8")
    assert main(["-m", str(model_dir), "-i", str(data), "--batch-size", "2"]) == 0
    drawn = terminal.getvalue()
    # By bytes read: the first chunk ends 33 bytes into the 40.
    assert "[########################......]  82% 2 statements, " in drawn
    assert "[##############################] 100% 3 statements, " in drawn
    assert "/s" in drawn and drawn.endswith("\n")
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_rows_and_the_bar_on_one_terminal_do_not_share_a_line(model_dir, tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()  # stdout and stderr are the same screen
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("sys.stdout", terminal)
    data = tmp_path / "in.txt"
    data.write_text("One was denied.\nTwo accused him.\nThree.\n", encoding="utf-8")
    assert main(["-m", str(model_dir), "-i", str(data), "--batch-size", "1"]) == 0
    screen = terminal.getvalue()
    starts = [i for i in range(len(screen)) if screen.startswith('{"text"', i)]
    assert len(starts) == 3
    # Each row starts on a fresh line, or where the bar's line was just erased.
    assert all(i == 0 or screen[:i].endswith(("\n", "\r\x1b[K")) for i in starts), screen


def test_progress_without_a_total_shows_count_and_rate():
    stream = io.StringIO()
    bar = ProgressBar(None, stream, enabled=True)
    bar.update(2000, "2,000 statements, 1,500/s")
    bar.close()
    bar.close()
    assert stream.getvalue() == f"\r{'2,000 statements, 1,500/s':<40}\n"  # no bar, one newline


def test_jobs_and_batch_size_usage_errors(capsys):
    for argv in (
        ["--jobs", "0", "x"],
        ["--batch-size", "0", "x"],
        ["--article", "--jobs", "2", "a"],
    ):
        with pytest.raises(SystemExit) as usage:
            main(argv)
        assert usage.value.code == 2
    assert "apply to statements, not --article" in capsys.readouterr().err


def test_effective_jobs_counts_cores_for_negative_numbers():
    assert effective_jobs(3) == 3
    assert effective_jobs(-1) == joblib.cpu_count()
    assert effective_jobs(-1000) == 1
