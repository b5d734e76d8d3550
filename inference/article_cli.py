"""``stance-predict --article``: read articles from files, a directory or stdin."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from inference.article import ArticleAnalysis, Clause, analyze
from inference.errors import InputFormatError
from inference.io import decode_utf8
from inference.model import StanceModel

#: Article files found in a directory (searched recursively).
ARTICLE_SUFFIXES = (".txt", ".md")
#: Show a progress bar from this many articles on.
PROGRESS_FROM = 5


def article_sources(names: list[str]) -> list[Path | None]:
    """Files to read, in order; None stands for stdin ('-')."""
    sources: list[Path | None] = []
    for name in names:
        if name == "-":
            sources.append(None)
            continue
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in ARTICLE_SUFFIXES)
            if not found:
                raise InputFormatError(f"no {'/'.join(ARTICLE_SUFFIXES)} files in it", path=path)
            sources.extend(found)
        elif path.is_file():
            sources.append(path)
        else:
            raise InputFormatError("no such file or directory", path=path)
    return sources


def read_article(source: Path | None) -> str:
    if source is None:
        return decode_utf8(sys.stdin.buffer.read())
    return decode_utf8(source.read_bytes(), source)


class ProgressBar:
    """A one-line progress bar on a terminal stream; silent when disabled.

    With a ``total`` it draws a bar of ``done / total`` (articles, bytes...);
    without one (e.g. reading stdin) only the note, such as a count and rate.
    """

    def __init__(self, total: int | None, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0
        self._line_open = False

    def advance(self, label: str) -> None:
        """One more item done; ``label`` names it."""
        name = label if len(label) <= 40 else "…" + label[-39:]
        self.update(self.done + 1, f"{self.done + 1}/{self.total} {name}")

    def update(self, done: int, note: str) -> None:
        """Redraw at ``done`` (of ``total``) with ``note`` after the bar."""
        self.done = done
        if not self.enabled:
            return
        bar = ""
        if self.total:
            width = 30
            filled = width * min(self.done, self.total) // self.total
            bar = f"[{'#' * filled}{'.' * (width - filled)}] "
        self.stream.write(f"\r{bar}{note:<40}")
        self._line_open = True
        if self.total is not None and self.done >= self.total:
            self.close()
        self.stream.flush()

    def clear(self) -> None:
        """Erase the bar's line before other output to the terminal (stdout's rows
        would otherwise start after it); the next :meth:`update` draws it again."""
        if self._line_open:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._line_open = False

    def close(self) -> None:
        """End the bar's line (once), so later output starts on a fresh line."""
        if self._line_open:
            self.stream.write("\n")
            self.stream.flush()
            self._line_open = False


def analyze_sources(
    sources: list[Path | None], model: StanceModel | None, progress: ProgressBar
) -> Iterator[tuple[str, ArticleAnalysis]]:
    for source in sources:
        name = "<stdin>" if source is None else str(source)
        text = read_article(source)
        if not text.strip():
            raise InputFormatError("the article is empty", path=name)
        yield name, analyze(text, model)
        progress.advance(name)


def write_article_jsonl(name: str, analysis: ArticleAnalysis, out: TextIO) -> None:
    out.write(json.dumps({"source": name, **analysis.to_dict()}, ensure_ascii=False) + "\n")


def _who(act: Clause) -> str:
    speaker = act.speaker.text if act.speaker else "–"
    target = act.target.text if act.target else "–"
    return f"{speaker} → {target}" if act.label != "neutral" else ""


def cut(text: str, width: int) -> str:
    """``text`` on one line, shortened to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_article_table(name: str, analysis: ArticleAnalysis, out: TextIO) -> None:
    width = max(shutil.get_terminal_size((140, 24)).columns, 100)
    text_width = max(width - 4 - 9 - 11 - 6 - 38, 30)
    out.write(f"== {name}\n")
    out.write(f"{'#':>3}  {'kind':<8} {'label':<10} {'p':>5}  {'speaker → target':<36}  text\n")
    for number, statement in enumerate(analysis.statements, start=1):
        p = statement.probabilities[statement.label]
        out.write(
            f"{number:>3}  {statement.kind:<8} {statement.label:<10} {p:5.2f}  "
            f"{cut(_who(statement), 36):<36}  {cut(statement.text, text_width)}\n"
        )
        for clause in statement.clauses:
            p = clause.probabilities[clause.label]
            out.write(
                f"{'':>3}  {'↳ clause':<8} {clause.label:<10} {p:5.2f}  "
                f"{cut(_who(clause), 36):<36}  {cut(clause.text, text_width)}\n"
            )
    counts = ", ".join(f"{label} {count}" for label, count in analysis.counts.items())
    out.write(f"summary: {counts}\n")
    for pair in analysis.pairs:
        out.write(
            f"  {pair.label:<10} {pair.speaker or '(unnamed)'} → {pair.target or '(unnamed)'}"
            f"  (statement {pair.statement + 1})\n"
        )
    out.write("\n")
