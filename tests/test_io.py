import pytest

from inference.errors import InputFormatError
from inference.io import read_statements


def test_plain_text_one_statement_per_line(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("First statement.\n\n  Second one.  \r\n", encoding="utf-8")
    assert read_statements(path) == ["First statement.", "Second one."]


def test_csv_with_text_column_and_quoted_newline(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,"Line one,\nstill one"\n2,Two\n', encoding="utf-8")
    assert read_statements(path) == ["Line one,\nstill one", "Two"]


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"in.csv, line 1: .*\['text'\] are missing"):
        read_statements(path)


def test_csv_empty_text_names_line_and_field(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n1,ok\n2,\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="line 3, field 'text': empty text"):
        read_statements(path)


def test_jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "A"}\n\n{"text": "B", "id": 2}\n', encoding="utf-8")
    assert read_statements(path) == ["A", "B"]


def test_jsonl_errors_name_the_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "A"}\n{"body": "B"}\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match="line 2: expected an object with a 'text' field"):
        read_statements(path)
    path.write_text('{"text": "A"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match="line 2: invalid JSON"):
        read_statements(path)


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(b"fine\nbad \xff byte\n")
    with pytest.raises(InputFormatError, match="line 2: not valid UTF-8"):
        read_statements(path)
