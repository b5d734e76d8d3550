"""Exceptions a user can meet, each with a message that names the problem."""

from __future__ import annotations

from pathlib import Path


class StancewatchError(Exception):
    """Base class for every error stancewatch raises on purpose."""


class ModelNotFoundError(StancewatchError, FileNotFoundError):
    """No trained model where one was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no trained model at {path}: run `stance-train` first "
            "(or set STANCEWATCH_MODEL to a model directory)"
        )
        self.path = path


class ModelIntegrityError(StancewatchError):
    """A model file does not match its recorded checksum or metadata."""


def locate(
    message: str,
    *,
    path: str | Path | None = None,
    line: int | None = None,
    field: str | None = None,
) -> str:
    """``message`` prefixed with where it applies: ``file, line 7, field 'text': message``."""
    where = []
    if path is not None:
        where.append(str(path))
    if line is not None:
        where.append(f"line {line}")
    if field is not None:
        where.append(f"field {field!r}")
    return f"{', '.join(where)}: {message}" if where else message


class InputFormatError(StancewatchError, ValueError):
    """Bad input data, located by file, line and field where known."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(locate(message, path=path, line=line, field=field))
        self.path = path
        self.line = line
        self.field = field
