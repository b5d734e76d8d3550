import io
import json

import pytest

from inference.errors import InputFormatError
from inference.io import (
    iter_csv_records,
    iter_statements,
    read_statements,
    read_text,
    statements_from_lines,
)


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


# Streaming: iter_statements reads line by line and must agree with the
# whole-file readers (read_text + parse), including BOM, CRLF and quoted newlines.

STREAM_CASES = {
    "in.txt": b'\xef\xbb\xbfFirst, "quoted".\r\n\r\n  Second one.  \rThird\n\xc3\xa9t\xc3\xa9',
    "in.csv": b'\xef\xbb\xbfid,text\r\n1,"Line one,\r\nstill one"\r\n\r\n2,Two\r\n3,"x ""y"""',
    "in.jsonl": b'\xef\xbb\xbf{"text": "A"}\r\n\r\n{"text": "B\\nb", "id": 2}\r\n'
    b'{"text": "\xc3\xa9"}',
}


def _whole_file_statements(path):
    text = read_text(path)
    if path.suffix == ".csv":
        return [row["text"] for _, row in iter_csv_records(text, path, required=("text",))]
    if path.suffix == ".jsonl":
        return [json.loads(line)["text"] for line in text.split("\n") if line.strip()]
    return statements_from_lines(text)


@pytest.mark.parametrize("name", sorted(STREAM_CASES))
def test_streaming_reader_equals_whole_file_reader(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(STREAM_CASES[name])
    streamed = [text for _, text in iter_statements(path)]
    assert streamed == _whole_file_statements(path)
    assert not any("\r" in text or "\ufeff" in text for text in streamed)


def test_streaming_gives_the_line_each_statement_starts_on(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(STREAM_CASES["in.csv"])
    assert list(iter_statements(path)) == [(2, "Line one,\nstill one"), (5, "Two"), (6, 'x "y"')]
    path = tmp_path / "in.txt"
    path.write_bytes(STREAM_CASES["in.txt"])
    assert [line for line, _ in iter_statements(path)] == [1, 3, 4, 5]


def test_stream_of_bytes_is_plain_text_named_stdin():
    stream = io.BytesIO(b"One.\r\n\r\nTwo.\n")
    assert list(iter_statements(stream)) == [(1, "One."), (3, "Two.")]
    with pytest.raises(InputFormatError, match=r"^<stdin>, line 2: not valid UTF-8"):
        list(iter_statements(io.BytesIO(b"fine\r\nbad \xff\n")))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("in.txt", b"ok\r\nok\rbad \xff\n", r"in.txt, line 3: not valid UTF-8 \(byte 0xff\)"),
        ("in.csv", b"id,text\n1,a\n2,b,extra\n", r"in.csv, line 3: expected 2 fields, got 3"),
        ("in.csv", b'id,text\n1,"a\nb"\n2, \n', r"in.csv, line 4, field 'text': empty text"),
        ("in.csv", b"  \n\n", r"in.csv: empty file, expected a header row"),
        ("in.jsonl", b'{"text": "A"}\r\n\r\n{oops\n', r"in.jsonl, line 3: invalid JSON"),
        ("in.jsonl", b'{"text": "A"}\n{"text": 3}\n', r"in.jsonl, line 2, field 'text'"),
        ("missing.txt", None, r"missing.txt: no such file"),
    ],
)
def test_streaming_errors_name_file_and_line(tmp_path, name, data, message):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputFormatError, match=message):
        list(iter_statements(path))


def test_statements_before_a_bad_line_come_first(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "A"}\n{"text": "B"}\n{"body": "C"}\n{"text": "D"}\n')
    seen = []
    with pytest.raises(InputFormatError, match="line 3"):
        for _, text in iter_statements(path):
            seen.append(text)
    assert seen == ["A", "B"]


class _GeneratedFile(io.RawIOBase):
    """A read-only file made up as it is read (``head`` then ``lines`` lines),
    recording how many bytes were read from it."""

    LINE = b"Officials denied the report on Tuesday.\n"

    def __init__(self, head: bytes, lines: int) -> None:
        self.pending, self.remaining, self.bytes_read = head, lines, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self.pending) < len(buffer) and self.remaining:
            self.pending += self.LINE * 1000
            self.remaining -= 1000
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        self.bytes_read += size
        return size


@pytest.mark.parametrize(("kind", "head"), [("lines", b""), ("csv", b"text\n")])
def test_streaming_reader_is_lazy(kind, head):
    raw = _GeneratedFile(head, lines=400_000)  # 23 MB if read to the end
    statements = iter_statements(io.BufferedReader(raw), kind=kind)
    assert next(statements) == (1 + len(head.splitlines()), _GeneratedFile.LINE.decode().strip())
    assert raw.bytes_read < 1 << 20
