"""Reading statements from files, with errors that name the file and line.

:func:`iter_statements` streams: it reads a file line by line, so memory does
not grow with the file's size (only with its longest record).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from inference.errors import InputFormatError
from inference.features import TEXT_COLUMN

#: How a file of statements is laid out: a CSV or JSON Lines file with a
#: ``text`` column, or plain text with one statement per non-blank line.
InputKind = Literal["csv", "jsonl", "lines"]
_BOM = b"\xef\xbb\xbf"


def _unreadable(err: OSError, path: Path) -> InputFormatError:
    if isinstance(err, FileNotFoundError):
        return InputFormatError("no such file", path=path)
    if isinstance(err, IsADirectoryError):
        return InputFormatError("is a directory, expected a file", path=path)
    return InputFormatError(f"cannot read ({err.strerror})", path=path)


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading bytes; a missing or unreadable file is an InputFormatError."""
    try:
        return path.open("rb")
    except OSError as err:
        raise _unreadable(err, path) from err


def read_text(path: Path) -> str:
    """A whole file as text: UTF-8 (a byte-order mark is dropped), CRLF to LF.

    Raises:
        InputFormatError: missing, unreadable, not UTF-8 (with the line).
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _unreadable(err, path) from err
    return decode_utf8(data, path)


def _bad_utf8(
    err: UnicodeDecodeError, data: bytes, path: Path | str, line: int
) -> InputFormatError:
    return InputFormatError(
        f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8",
        path=path,
        line=line,
    )


def _newlines_to_lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_at(data: bytes, offset: int) -> int:
    """The line (from 1) of byte ``offset``, counting LF, CRLF and a lone CR as line ends."""
    return data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def decode_utf8(data: bytes, path: Path | str = "<stdin>") -> str:
    """Decode UTF-8 strictly (a leading byte-order mark is dropped), CRLF and CR to LF.

    Raises:
        InputFormatError: not valid UTF-8, naming the line and the first bad byte.
    """
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _bad_utf8(err, data, path, _line_at(data, err.start)) from err
    return _newlines_to_lf(text)


def iter_lines(stream: Iterable[bytes], path: Path | str = "<stdin>") -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` from a binary file, reading it line by line.

    Lines end in ``"\\n"`` (CRLF and CR become LF) except perhaps the last; a
    leading byte-order mark is dropped; bytes must be UTF-8.

    Raises:
        InputFormatError: not valid UTF-8, with the line of the first bad byte
            (the lines before it are yielded first).
    """
    number = 0
    for index, raw in enumerate(stream):
        if index == 0:
            raw = raw.removeprefix(_BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            # Lines ended by a lone CR share one ``raw``: give those before the bad one.
            *complete, _ = _newlines_to_lf(raw[: err.start].decode("utf-8")).split("\n")
            for piece in complete:
                number += 1
                yield number, piece + "\n"
            raise _bad_utf8(err, raw, path, number + 1) from err
        *complete, rest = _newlines_to_lf(text).split("\n")
        for piece in complete:
            number += 1
            yield number, piece + "\n"
        if rest:
            number += 1
            yield number, rest


def iter_csv_records(
    text: str | Iterable[str],
    path: Path | str,
    required: tuple[str, ...],
    *,
    allow_extra: bool = True,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` for each CSV record, checking its shape.

    ``text`` is the whole file, or its lines (with their ``"\\n"``, as
    :func:`iter_lines` gives them) to read it as a stream. The line number is
    the physical line the record starts on (a quoted field may span lines).

    Args:
        allow_extra: whether columns other than ``required`` may be present
            (they are passed through in each row).

    Raises:
        InputFormatError: empty file, missing, repeated or (without
            ``allow_extra``) unknown columns, malformed quoting, or a row whose
            number of fields differs from the header.
    """
    lines = iter(io.StringIO(text, newline="") if isinstance(text, str) else text)
    blank = 0  # blank lines before the header, left out of the reader but counted
    for first in lines:
        if first.strip():
            break
        blank += 1
    else:
        raise InputFormatError("empty file, expected a header row", path=path)
    reader = csv.reader(itertools.chain([first], lines), strict=True)
    header_line = blank + 1
    try:
        header = next(reader)
    except csv.Error as err:
        raise InputFormatError(f"malformed CSV ({err})", path=path, line=header_line) from err
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputFormatError(
            f"expected the columns {list(required)}, but {missing} are missing (found {header})",
            path=path,
            line=header_line,
        )
    repeated = [name for name in required if header.count(name) > 1]
    if repeated:
        raise InputFormatError(
            f"column {repeated[0]!r} appears {header.count(repeated[0])} times (found {header})",
            path=path,
            line=header_line,
        )
    unknown = [name for name in header if name not in required]
    if unknown and not allow_extra:
        raise InputFormatError(
            f"unknown column(s) {unknown}, expected only {list(required)}",
            path=path,
            line=header_line,
        )
    line = blank + reader.line_num  # the last line read
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise InputFormatError(f"malformed CSV ({err})", path=path, line=start) from err
        line = blank + reader.line_num
        if not fields:
            continue
        if len(fields) != len(header):
            hint = " (quote a field that contains a comma)" if len(fields) > len(header) else ""
            raise InputFormatError(
                f"expected {len(header)} fields, got {len(fields)}{hint}", path=path, line=start
            )
        yield start, dict(zip(header, fields, strict=True))


def input_kind(path: Path | str) -> InputKind:
    """``csv`` for ``.csv``, ``jsonl`` for ``.jsonl``/``.ndjson``, else ``lines``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    return "jsonl" if suffix in {".jsonl", ".ndjson"} else "lines"


def iter_statements(
    source: Path | str | BinaryIO,
    *,
    name: Path | str | None = None,
    kind: InputKind | None = None,
) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, statement)`` from a file, reading it as a stream.

    Args:
        source: a file path, or a binary stream such as ``sys.stdin.buffer``.
        name: the name errors give (default: the path, or ``<stdin>``).
        kind: the layout (default: by the name's suffix, see :func:`input_kind`):
            ``.csv`` or ``.jsonl`` with a ``text`` column, else one statement
            per non-blank line.

    Raises:
        InputFormatError: when the bad line is reached, naming file, line and
            field; the statements before it have been yielded.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        with open_binary(path) as handle:
            yield from iter_statements(handle, name=path if name is None else name, kind=kind)
        return
    name = "<stdin>" if name is None else name
    lines = iter_lines(source, name)
    kind = kind or input_kind(name)
    if kind == "csv":
        yield from _csv_statements(lines, name)
    elif kind == "jsonl":
        yield from _jsonl_statements(lines, name)
    else:
        yield from ((number, line.strip()) for number, line in lines if line.strip())


def read_statements(path: Path) -> list[str]:
    """Statements from a file: ``.csv`` or ``.jsonl`` with a ``text`` column,
    anything else as plain text with one statement per non-blank line."""
    return [text for _, text in iter_statements(path)]


def statements_from_lines(text: str) -> list[str]:
    """One statement per non-blank line."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _csv_statements(
    lines: Iterable[tuple[int, str]], path: Path | str
) -> Iterator[tuple[int, str]]:
    texts = (line for _, line in lines)
    for line, row in iter_csv_records(texts, path, required=(TEXT_COLUMN,)):
        value = row[TEXT_COLUMN]
        if not value.strip():
            raise InputFormatError("empty text", path=path, line=line, field=TEXT_COLUMN)
        yield line, value


def _jsonl_statements(
    lines: Iterable[tuple[int, str]], path: Path | str
) -> Iterator[tuple[int, str]]:
    for line, raw in lines:
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
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise InputFormatError(
                f"not valid Unicode (unpaired surrogate \\u{ord(value[err.start]):04x})",
                path=path,
                line=line,
                field=TEXT_COLUMN,
            ) from err
        yield line, value
