"""Malformed corpus and input files: each problem is one line naming file, line (and field).

Both readers are driven through their real commands (``stance-train validate``
/ ``train --data`` and ``stance-predict --input`` / ``-``), in-process through
``main(argv)`` and, for a few cases, as installed programs in a subprocess. A
UTF-8 byte-order mark, CRLF or CR line ends and newlines inside quoted CSV
fields are valid and must read as the plain file does; everything else here is
an error with exit code 1 and no traceback. Line numbers are physical lines of
the file (a record with a quoted newline spans several).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inference.cli import main as predict_main
from tests.conftest import DATA_DIR
from training.cli import main as train_main
from training.corpus import COLUMNS, MAX_ERRORS_SHOWN, load_corpus

_TINY = {
    row.split(",", 1)[0]: row
    for row in (DATA_DIR / "tiny.csv").read_text(encoding="utf-8").splitlines()
}
HEADER = ",".join(COLUMNS)
assert _TINY["id"] == HEADER
# Real rows of tests/data/tiny.csv; in BASE they sit on lines 2 to 6.
ACCUSATION = _TINY["dip-0016"]  # line 2
DENIAL = _TINY["dip-0025"]  # line 3
NEUTRAL = _TINY["dip-0041"]  # line 4
QUOTED = _TINY["env-0075"]  # line 5: a quoted text with commas
DEV = _TINY["env-0062"]  # line 6
BASE = [HEADER, ACCUSATION, DENIAL, NEUTRAL, QUOTED, DEV]
#: DENIAL with its text quoted and spread over three physical lines.
DENIAL_3_LINES = DENIAL.replace(
    ",The Ministry of Foreign Affairs of the People’s",
    ',"The Ministry of Foreign Affairs\nof the People’s',
).replace(" of the Special Rapporteur.,", '\nof the Special Rapporteur.",')
assert DENIAL_3_LINES.count("\n") == 2
# DENIAL's text, other case, spacing and punctuation: "the same text".
DENIAL_TEXT = DENIAL.split(",")[1]
SAME_AS_DENIAL = '"  ' + DENIAL_TEXT.upper().replace(" of ", "  of ").replace(".", "!") + '"'
OTHER_TEXT = "The talks ended without a deal on Friday."


def csv_bytes(lines: list[str], newline: str = "\n", bom: bool = False) -> bytes:
    data = newline.join(line.replace("\n", newline) for line in lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")


def with_rows(*rows: str) -> list[str]:
    return [*BASE, *rows]


def _latin1_row(newline: str = "\n") -> bytes:
    """A row whose "é" is Latin-1 (byte 0xe9), not UTF-8."""
    row = "b1,Caf\u00e9 owners protest the new rules.,neutral,train,business,wire,"
    return (row + newline).encode("latin-1")


# -- the corpus -----------------------------------------------------------------------------

# (case, file content, fragments of stderr: "{path}" is the file). Each fragment names the line.
CORPUS_ERRORS = [
    (
        "missing column",
        csv_bytes([line.rsplit(",", 1)[0] for line in BASE]),
        [
            "{path}, line 1: expected the columns ['id', 'text', 'label', 'split', 'domain', "
            "'register', 'phenomenon'], but ['phenomenon'] are missing"
        ],
    ),
    (
        "extra column",
        csv_bytes([BASE[0] + ",notes", *(line + ",checked" for line in BASE[1:])]),
        ["{path}, line 1: unknown column(s) ['notes'], expected only ['id', 'text', "],
    ),
    (
        "repeated column",
        csv_bytes([BASE[0] + ",text", *(line + ",again" for line in BASE[1:])]),
        ["{path}, line 1: column 'text' appears 2 times"],
    ),
    (
        "header after blank lines, missing column",
        b"\n\n" + csv_bytes([HEADER.replace(",label", ",labels"), ACCUSATION]),
        ["{path}, line 3: expected the columns ", "but ['label'] are missing"],
    ),
    (
        "too many fields",
        csv_bytes(with_rows("b1,Unquoted, commas, split this text,neutral,train,politics,wire,")),
        ["{path}, line 7: expected 7 fields, got 9 (quote a field that contains a comma)"],
    ),
    (
        "too few fields",
        csv_bytes(with_rows(f"b1,{OTHER_TEXT},neutral,train")),
        ["{path}, line 7: expected 7 fields, got 4"],
    ),
    (
        "too many fields after a quoted newline",
        csv_bytes(
            [
                HEADER,
                ACCUSATION,
                DENIAL_3_LINES,
                NEUTRAL,
                "b1,Unquoted, comma,neutral,train,x,wire,",
            ]
        ),
        ["{path}, line 7: expected 7 fields, got 8"],
    ),
    (
        "unclosed quote",
        csv_bytes(with_rows(f'b1,"{OTHER_TEXT},neutral,train,politics,wire,', NEUTRAL)),
        ["{path}, line 7: malformed CSV (unexpected end of data)"],
    ),
    (
        "invalid UTF-8",
        csv_bytes(BASE) + _latin1_row(),
        ["{path}, line 7: not valid UTF-8 (byte 0xe9); save the file as UTF-8"],
    ),
    (
        "invalid UTF-8, BOM and CRLF",
        csv_bytes(BASE, "\r\n", bom=True) + _latin1_row("\r\n"),
        ["{path}, line 7: not valid UTF-8 (byte 0xe9)"],
    ),
    (
        "invalid UTF-8, lone CR line ends",
        csv_bytes(BASE, "\r") + _latin1_row("\r"),
        ["{path}, line 7: not valid UTF-8 (byte 0xe9)"],
    ),
    (
        "invalid UTF-8 in the header after a BOM",
        b"\xef\xbb\xbfid,te\xffxt" + csv_bytes(BASE)[7:],
        ["{path}, line 1: not valid UTF-8 (byte 0xff)"],
    ),
    (
        "invalid UTF-8 after a quoted newline",
        csv_bytes([HEADER, ACCUSATION, DENIAL_3_LINES, NEUTRAL]) + _latin1_row(),
        ["{path}, line 7: not valid UTF-8 (byte 0xe9)"],
    ),
    ("empty file", b"", ["{path}: empty file, expected a header row"]),
    ("blank lines only", b"\n \r\n\n", ["{path}: empty file, expected a header row"]),
    ("header only", csv_bytes([HEADER]), ["{path}: no statements after the header"]),
    ("header and blank lines", csv_bytes([HEADER, "", ""]), ["{path}: no statements after"]),
    (
        "conflicting labels for the same text",
        csv_bytes(with_rows(f"b1,{SAME_AS_DENIAL},neutral,train,human_rights,quote,typical")),
        [
            "{path}: 1 problem(s):",
            "  {path}, line 7, field 'label': conflicting labels for the same text: duplicate of "
            "line 3 with a different label ('denial' on line 3, 'neutral' here)",
        ],
    ),
    (
        "same text, same label",
        csv_bytes(with_rows(f"b1,{SAME_AS_DENIAL},denial,train,human_rights,quote,typical")),
        [
            "  {path}, line 7, field 'text': duplicate of line 3 "
            "(same words, ignoring case and punctuation)"
        ],
    ),
    (
        "conflicting labels after a quoted newline",
        csv_bytes(
            [
                HEADER,
                ACCUSATION,
                DENIAL_3_LINES,
                NEUTRAL,
                f"b1,{SAME_AS_DENIAL},accusation,train,human_rights,quote,typical",
            ]
        ),
        [
            "  {path}, line 7, field 'label': conflicting labels for the same text: duplicate of "
            "line 3 with a different label ('denial' on line 3, 'accusation' here)"
        ],
    ),
    (
        "duplicate id",
        csv_bytes(with_rows(f"dip-0016,{OTHER_TEXT},neutral,train,politics,wire,")),
        ["  {path}, line 7, field 'id': duplicate id 'dip-0016' (first on line 2)"],
    ),
    (
        "blank text",
        csv_bytes(with_rows('b1," \t ",neutral,train,politics,wire,')),
        ["  {path}, line 7, field 'text': empty"],
    ),
    (
        "label not allowed",
        csv_bytes(with_rows(f"b1,{OTHER_TEXT},Neutral,train,politics,wire,")),
        [
            "  {path}, line 7, field 'label': unknown label 'Neutral', "
            "expected one of ['accusation', 'denial', 'neutral']"
        ],
    ),
    (
        "split not allowed",
        csv_bytes(with_rows(f"b1,{OTHER_TEXT},neutral,training,politics,wire,")),
        [
            "  {path}, line 7, field 'split': unknown split 'training', "
            "expected one of ['train', 'dev', 'test']"
        ],
    ),
    (
        "problems after blank lines and a quoted newline",
        csv_bytes(
            [
                "",
                HEADER,
                ACCUSATION,
                "",
                DENIAL_3_LINES,
                NEUTRAL,
                f"b1,{OTHER_TEXT},neutrall,test,politics,wire,",
                f"dip-0041,{OTHER_TEXT} Again.,neutral,tset,politics,wire,",
            ]
        ),
        [
            "{path}: 3 problem(s):",
            "  {path}, line 9, field 'label': unknown label 'neutrall'",
            "  {path}, line 10, field 'split': unknown split 'tset'",
            "  {path}, line 10, field 'id': duplicate id 'dip-0041' (first on line 8)",
        ],
    ),
]


def _write(tmp_path: Path, data: bytes, name: str = "corpus.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _expected(fragments: list[str], path: Path) -> list[str]:
    return [fragment.replace("{path}", str(path)) for fragment in fragments]


@pytest.mark.parametrize(
    ("case", "data", "fragments"), CORPUS_ERRORS, ids=[case[0] for case in CORPUS_ERRORS]
)
def test_corpus_error_is_one_line_per_problem(tmp_path, capsys, case, data, fragments):
    path = _write(tmp_path, data)
    assert train_main(["validate", "--data", str(path)]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == ""
    assert "Traceback" not in err
    assert err.startswith(f"stance-train: error: {path}")
    for fragment in _expected(fragments, path):
        assert fragment in err
    # One line for a file-level error; else a header line and one line per problem,
    # each naming the file and line.
    first, *problems = err.splitlines()
    assert all(line.startswith(f"  {path}, line ") for line in problems)
    if problems:
        assert first == f"stance-train: error: {path}: {len(problems)} problem(s):"


def test_train_command_reports_the_same_errors(tmp_path, tracking_uri, capsys):
    _, data, fragments = next(case for case in CORPUS_ERRORS if case[0] == "duplicate id")
    path = _write(tmp_path, data)
    model_dir = tmp_path / "model"
    argv = ["--data", str(path), "--tracking-uri", tracking_uri, "--model-dir", str(model_dir)]
    for command in (["train"], []):
        assert train_main([*command, *argv]) == 1
        err = capsys.readouterr().err
        assert f"stance-train: error: {path}: 1 problem(s):\n" in err
        assert _expected(fragments, path)[0] in err
        assert "Traceback" not in err
    assert not model_dir.exists()


def test_many_problems_are_capped(tmp_path, capsys):
    rows = [f"b{i},{OTHER_TEXT} Number {i}.,nope,train,politics,wire," for i in range(30)]
    path = _write(tmp_path, csv_bytes(with_rows(*rows)))
    assert train_main(["validate", "--data", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"stance-train: error: {path}: 30 problem(s):"
    assert lines[1].startswith(f"  {path}, line 7, field 'label': unknown label 'nope'")
    assert lines[MAX_ERRORS_SHOWN].startswith(f"  {path}, line 31, field 'label'")
    assert lines[-1] == f"  ... and {30 - MAX_ERRORS_SHOWN} more"
    assert len(lines) == MAX_ERRORS_SHOWN + 2


# Valid layouts of the same corpus: (case, content, the line each of the five rows starts on).
CORPUS_LAYOUTS = [
    ("plain", csv_bytes(BASE), [2, 3, 4, 5, 6]),
    ("no final newline", csv_bytes(BASE)[:-1], [2, 3, 4, 5, 6]),
    ("BOM", csv_bytes(BASE, bom=True), [2, 3, 4, 5, 6]),
    ("CRLF", csv_bytes(BASE, "\r\n"), [2, 3, 4, 5, 6]),
    ("lone CR", csv_bytes(BASE, "\r"), [2, 3, 4, 5, 6]),
    (
        "blank lines",
        b"\n" + csv_bytes([HEADER, "", *BASE[1:3], "", *BASE[3:], ""]),
        [4, 5, 7, 8, 9],
    ),
    (
        "BOM, CRLF and a quoted newline",
        csv_bytes([HEADER, ACCUSATION, DENIAL_3_LINES, *BASE[3:]], "\r\n", bom=True),
        [2, 3, 6, 7, 8],
    ),
    (
        "BOM, lone CR and a quoted newline",
        csv_bytes([HEADER, ACCUSATION, DENIAL_3_LINES, *BASE[3:]], "\r", bom=True),
        [2, 3, 6, 7, 8],
    ),
]


def _rows(path: Path) -> list[tuple[str, ...]]:
    return [
        (s.id, s.text, s.label, s.split, s.domain, s.register, s.phenomenon)
        for s in load_corpus(path).statements
    ]


@pytest.mark.parametrize(
    ("case", "data", "lines"), CORPUS_LAYOUTS, ids=[case[0] for case in CORPUS_LAYOUTS]
)
def test_corpus_layouts_load_the_same_statements(tmp_path, capsys, case, data, lines):
    plain = _rows(_write(tmp_path, csv_bytes(BASE), "plain.csv"))
    path = _write(tmp_path, data)
    corpus = load_corpus(path)
    assert _rows(path) == plain
    assert [s.line for s in corpus.statements] == lines
    assert plain[1][:2] == ("dip-0025", DENIAL_TEXT)
    assert not any(char in s.text for s in corpus.statements for char in "\r\n\ufeff")
    assert corpus.statements[0].id == "dip-0016"  # not "\ufeffdip-0016"
    assert train_main(["validate", "--data", str(path)]) == 0
    assert "5 statements" in capsys.readouterr().out


# -- prediction input -----------------------------------------------------------------------


# (case, file name or "-" for stdin, content, stderr after "stance-predict: error: ",
#  statements written before the error).
INPUT_ERRORS = [
    (
        "csv: missing text column",
        "in.csv",
        b"id,body\n1,Police arrested two men.\n",
        "{path}, line 1: expected the columns ['text'], but ['text'] are missing "
        "(found ['id', 'body'])",
        0,
    ),
    (
        "csv: repeated text column",
        "in.csv",
        b"text,id,text\nA,1,B\n",
        "{path}, line 1: column 'text' appears 2 times (found ['text', 'id', 'text'])",
        0,
    ),
    (
        "csv: too many fields",
        "in.csv",
        b"id,text\n1,Police arrested two men.\n2,He denied it, firmly.\n",
        "{path}, line 3: expected 2 fields, got 3 (quote a field that contains a comma)",
        1,
    ),
    (
        "csv: too few fields",
        "in.csv",
        b"id,text\n1,Police arrested two men.\n2\n",
        "{path}, line 3: expected 2 fields, got 1",
        1,
    ),
    (
        "csv: too many fields after a quoted newline",
        "in.csv",
        b'id,text\r\n1,"He denied it,\r\nfirmly,\r\nagain."\r\n2,x,y\r\n',
        "{path}, line 5: expected 2 fields, got 3 (quote a field that contains a comma)",
        1,
    ),
    (
        "csv: unclosed quote",
        "in.csv",
        b'id,text\n1,Police arrested two men.\n2,"He denied it.\n3,Talks resumed.\n',
        "{path}, line 3: malformed CSV (unexpected end of data)",
        1,
    ),
    (
        "csv: invalid UTF-8",
        "in.csv",
        b"id,text\n1,Police arrested two men.\n2,Caf\xe9 owners protest.\n",
        "{path}, line 3: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        1,
    ),
    (
        "csv: invalid UTF-8, BOM and lone CR",
        "in.csv",
        b"\xef\xbb\xbfid,text\r1,Police arrested two men.\r2,Caf\xe9 owners protest.\r",
        "{path}, line 3: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        1,
    ),
    (
        "csv: invalid UTF-8 after a quoted newline",
        "in.csv",
        b'id,text\n1,"He denied it,\nfirmly."\n2,Caf\xe9 owners protest.\n',
        "{path}, line 4: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        1,
    ),
    ("csv: empty file", "in.csv", b"", "{path}: empty file, expected a header row", 0),
    ("csv: header only", "in.csv", b"id,text\r\n", "{path}: no statements after the header", 0),
    (
        "csv: blank text",
        "in.csv",
        b'id,text\n1,Police arrested two men.\n2," "\n',
        "{path}, line 3, field 'text': empty text",
        1,
    ),
    (
        "jsonl: invalid JSON after a blank line",
        "in.jsonl",
        b'{"text": "Police arrested two men."}\r\n\r\n{oops\r\n',
        "{path}, line 3: invalid JSON (Expecting property name enclosed in double quotes)",
        1,
    ),
    (
        "jsonl: missing text field",
        "in.jsonl",
        b'{"text": "Police arrested two men."}\n{"body": "x"}\n',
        "{path}, line 2: expected an object with a 'text' field",
        1,
    ),
    (
        "jsonl: blank text",
        "in.jsonl",
        b'{"text": "Police arrested two men."}\n{"text": "  "}\n',
        "{path}, line 2, field 'text': expected a non-empty string",
        1,
    ),
    (
        "jsonl: unpaired surrogate",
        "in.jsonl",
        b'{"text": "Police arrested two men."}\n{"text": "bad \\ud800 text"}\n',
        "{path}, line 2, field 'text': not valid Unicode (unpaired surrogate \\ud800)",
        1,
    ),
    (
        "jsonl: invalid UTF-8",
        "in.jsonl",
        b'{"text": "Police arrested two men."}\n{"text": "Caf\xe9"}\n',
        "{path}, line 2: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        1,
    ),
    (
        "jsonl: empty file",
        "in.jsonl",
        b"",
        "{path}: no statements (the input is empty or blank)",
        0,
    ),
    (
        "txt: invalid UTF-8, lone CR",
        "in.txt",
        b"Police arrested two men.\rHe denied it.\rCaf\xe9 owners protest.\r",
        "{path}, line 3: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        2,
    ),
    (
        "txt: blank file",
        "in.txt",
        b" \r\n\n",
        "{path}: no statements (the input is empty or blank)",
        0,
    ),
    (
        "stdin: invalid UTF-8",
        "-",
        b"Police arrested two men.\r\n\r\nCaf\xe9 owners protest.\n",
        "<stdin>, line 3: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        1,
    ),
    ("stdin: empty", "-", b"", "<stdin>: no statements (the input is empty or blank)", 0),
]


def _predict(model_dir: Path, name: str, data: bytes, tmp_path, monkeypatch, capsys):
    argv = ["-m", str(model_dir), "--no-evidence", "--batch-size", "1"]
    if name == "-":
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        path: Path | str = "<stdin>"
        argv.append("-")
    else:
        path = _write(tmp_path, data, name)
        argv += ["--input", str(path)]
    code = predict_main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err, path


@pytest.mark.parametrize(
    ("case", "name", "data", "message", "written"),
    INPUT_ERRORS,
    ids=[case[0] for case in INPUT_ERRORS],
)
def test_input_error_is_one_line(
    model_dir, tmp_path, monkeypatch, capsys, case, name, data, message, written
):
    code, out, err, path = _predict(model_dir, name, data, tmp_path, monkeypatch, capsys)
    assert code == 1
    assert err.splitlines() == [f"stance-predict: error: {message.replace('{path}', str(path))}"]
    assert len(out.splitlines()) == written


# Valid layouts of the same input: (case, file name, content); each gives INPUT_TEXTS.
INPUT_TEXTS = ["Police arrested two men.", "He denied it,\nfirmly.", 'She said "no".']
INPUT_LAYOUTS = [
    (
        "csv: plain",
        "in.csv",
        b'id,text\n1,Police arrested two men.\n2,"He denied it,\nfirmly."\n3,"She said ""no""."\n',
    ),
    (
        "csv: BOM, CRLF, quoted CRLF",
        "in.csv",
        b'\xef\xbb\xbfid,text\r\n1,Police arrested two men.\r\n2,"He denied it,\r\nfirmly."\r\n'
        b'3,"She said ""no""."\r\n',
    ),
    (
        "csv: lone CR, blank lines, no final newline",
        "in.csv",
        b'\rid,text\r\r1,Police arrested two men.\r2,"He denied it,\rfirmly."\r\r'
        b'3,"She said ""no""."',
    ),
    (
        "csv: extra columns are passed over",
        "in.csv",
        b'id,text,source,notes\n1,Police arrested two men.,wire,\n2,"He denied it,\nfirmly.",x,y\n'
        b'3,"She said ""no"".",,\n',
    ),
    (
        "jsonl: BOM, CRLF, extra fields",
        "in.jsonl",
        b'\xef\xbb\xbf{"text": "Police arrested two men.", "id": 1}\r\n\r\n'
        b'{"text": "He denied it,\\nfirmly."}\r\n{"text": "She said \\"no\\".", "x": []}',
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "data"), INPUT_LAYOUTS, ids=[case[0] for case in INPUT_LAYOUTS]
)
def test_input_layouts_give_the_same_statements(
    model_dir, tmp_path, monkeypatch, capsys, case, name, data
):
    code, out, err, _ = _predict(model_dir, name, data, tmp_path, monkeypatch, capsys)
    assert (code, err) == (0, "")
    assert [json.loads(line)["text"] for line in out.splitlines()] == INPUT_TEXTS


@pytest.mark.parametrize("name", ["in.txt", "-"])
def test_plain_text_layouts(model_dir, tmp_path, monkeypatch, capsys, name):
    data = b"\xef\xbb\xbfPolice arrested two men.\r\n\r\n  He denied it.  \rShe said no."
    code, out, err, _ = _predict(model_dir, name, data, tmp_path, monkeypatch, capsys)
    assert (code, err) == (0, "")
    texts = [json.loads(line)["text"] for line in out.splitlines()]
    assert texts == ["Police arrested two men.", "He denied it.", "She said no."]


# -- as installed programs ------------------------------------------------------------------


def _program(name: str) -> str:
    executable = shutil.which(name, path=str(Path(sys.executable).parent))
    assert executable, f"{name} is not installed next to {sys.executable}"
    return executable


def test_stance_train_validate_in_a_subprocess(tmp_path):
    rows = [f"b1,{SAME_AS_DENIAL},neutral,train,human_rights,quote,typical", ACCUSATION]
    path = _write(tmp_path, csv_bytes(with_rows(*rows), "\r\n", bom=True))
    result = subprocess.run(
        [_program("stance-train"), "validate", "--data", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"stance-train: error: {path}: 3 problem(s):",
        f"  {path}, line 7, field 'label': conflicting labels for the same text: duplicate of "
        "line 3 with a different label ('denial' on line 3, 'neutral' here)",
        f"  {path}, line 8, field 'id': duplicate id 'dip-0016' (first on line 2)",
        f"  {path}, line 8, field 'text': duplicate of line 2 "
        "(same words, ignoring case and punctuation)",
    ]


def test_stance_predict_in_a_subprocess(model_dir, tmp_path):
    path = _write(
        tmp_path, b'id,text\n1,"Police arrested,\ntwo men."\n2,Caf\xe9 owners.\n', "in.csv"
    )
    result = subprocess.run(
        [_program("stance-predict"), "-m", str(model_dir), "--no-evidence", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "Police arrested,\ntwo men."
    ]
    assert result.stderr.splitlines() == [
        f"stance-predict: error: {path}, line 4: not valid UTF-8 (byte 0xe9); "
        "save the file as UTF-8"
    ]
