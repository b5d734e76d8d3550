"""Reading statements from files, with errors that name the file and line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from inference.errors import InputFormatError
from inference.features import TEXT_COLUMN


def read_text(path: Path) -> str:
    """A whole file as text: UTF-8 (a byte-order mark is dropped), CRLF to LF.

    Raises:
        InputFormatError: missing, unreadable, not UTF-8 (with the line).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise InputFormatError("no such file", path=path) from err
    except IsADirectoryError as err:
        raise InputFormatError("is a directory, expected a file", path=path) from err
    except OSError as err:
        raise InputFormatError(f"cannot read ({err.strerror})", path=path) from err
    return decode_utf8(data, path)


def decode_utf8(data: bytes, path: Path | str = "<stdin>") -> str:
    """Decode UTF-8 strictly, locating the first bad byte by line number."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputFormatError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            path=path,
            line=line,
        ) from err
    return text.replace("\r\n", "\n").replace("\r", "\n")


def iter_csv_records(
    text: str, path: Path | str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` for each CSV record, checking its shape.

    Raises:
        InputFormatError: empty file, missing columns, or a row whose number
            of fields differs from the header.
    """
    if not text.strip():
        raise InputFormatError("empty file, expected a header row", path=path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFormatError("empty file, expected a header row", path=path) from None
    except csv.Error as err:
        raise InputFormatError(f"malformed CSV ({err})", path=path, line=1) from err
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputFormatError(
            f"expected the columns {list(required)}, but {missing} are missing (found {header})",
            path=path,
            line=1,
        )
    line = reader.line_num
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputFormatError(f"malformed CSV ({err})", path=path, line=start) from err
        line = reader.line_num
        if not fields:
            continue
        if len(fields) != len(header):
            raise InputFormatError(
                f"expected {len(header)} fields, got {len(fields)}", path=path, line=start
            )
        yield start, dict(zip(header, fields, strict=True))


def read_statements(path: Path) -> list[str]:
    """Statements from a file: ``.csv`` or ``.jsonl`` with a ``text`` column,
    anything else as plain text with one statement per non-blank line."""
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _statements_from_csv(text, path)
    if suffix in {".jsonl", ".ndjson"}:
        return _statements_from_jsonl(text, path)
    return statements_from_lines(text)


def statements_from_lines(text: str) -> list[str]:
    """One statement per non-blank line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _statements_from_csv(text: str, path: Path) -> list[str]:
    statements = []
    for line, row in iter_csv_records(text, path, required=(TEXT_COLUMN,)):
        value = row[TEXT_COLUMN]
        if not value.strip():
            raise InputFormatError("empty text", path=path, line=line, field=TEXT_COLUMN)
        statements.append(value)
    return statements


def _statements_from_jsonl(text: str, path: Path) -> list[str]:
    statements = []
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as err:
            raise InputFormatError(f"invalid JSON ({err.msg})", path=path, line=line) from err
        if not isinstance(record, dict) or TEXT_COLUMN not in record:
            raise InputFormatError(
                f"expected an object with a {TEXT_COLUMN!r} field", path=path, line=line
            )
        value = record[TEXT_COLUMN]
        if not isinstance(value, str) or not value.strip():
            raise InputFormatError(
                "expected a non-empty string", path=path, line=line, field=TEXT_COLUMN
            )
        statements.append(value)
    return statements
