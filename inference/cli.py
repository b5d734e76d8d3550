"""``stance-predict``: tag statements from the command line."""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from inference.article_cli import (
    PROGRESS_FROM,
    ProgressBar,
    analyze_sources,
    article_sources,
    write_article_jsonl,
    write_article_table,
)
from inference.batch import (
    ChunkReader,
    OutputStyle,
    score_chunks,
    table_header,
    table_text_width,
)
from inference.errors import InputFormatError, StancewatchError
from inference.io import input_kind, iter_statements, open_binary
from inference.model import load_model
from inference.paths import MODEL_ENV_VAR
from inference.predict import default_model

PROG = "stance-predict"
#: Statements scored together (and written) at a time.
DEFAULT_BATCH_SIZE = 2000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tag statements as accusation, denial or neutral.",
        epilog=(
            'examples:\n  stance-predict "The ministry called the accusations baseless."\n'
            "  stance-predict --input statements.csv --format table\n"
            "  cat statements.txt | stance-predict -\n"
            "  stance-predict --input big.csv --jobs -1 --no-evidence > tags.jsonl\n"
            "  stance-predict --article story.txt --format table\n"
            "  stance-predict --article articles/          # every .txt/.md file in it\n"
            "\n"
            "--input and '-' are read as a stream, scored --batch-size statements at a time\n"
            "and written in input order as they are scored, so memory stays flat for files\n"
            "of any size. A bad line (invalid JSON, empty text, wrong field count, bad\n"
            "UTF-8) stops the run there: every statement before it has been written, then\n"
            "one error line names the file and line and the exit code is 1.\n"
            "A progress bar (statements/s) is drawn on stderr when it is a terminal."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "texts",
        nargs="*",
        metavar="TEXT",
        help="statements to tag; a single '-' reads one statement per line from stdin "
        "(with --article: article files or directories, '-' for stdin)",
    )
    parser.add_argument(
        "-a",
        "--article",
        action="store_true",
        help="read whole articles: split them into statements and clauses, tag each, "
        "find speaker and target, and summarise",
    )
    parser.add_argument(
        "-i",
        "--input",
        type=Path,
        metavar="FILE",
        help="read statements from FILE: .csv or .jsonl with a 'text' column, "
        "otherwise one statement per line (streamed: see below)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="score in N worker processes, output still in input order; -1 for all cores "
        "(default: 1, in this process)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        metavar="N",
        help=f"statements scored and written at a time (default: {DEFAULT_BATCH_SIZE})",
    )
    parser.add_argument(
        "--no-evidence",
        dest="evidence",
        action="store_false",
        help="leave out the evidence (JSON field and table column), which is included by "
        "default and is most of the time taken: about 8 times faster without",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("jsonl", "table"),
        default="jsonl",
        help="output JSON Lines (default, for programs) or an aligned table (for people)",
    )
    parser.add_argument(
        "-m",
        "--model",
        metavar="DIR|URI",
        help=f"model directory, or an MLflow URI such as models:/stancewatch@champion "
        f"(needs the mlflow extra) (default: ${MODEL_ENV_VAR} or models/default of the project)",
    )
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def effective_jobs(jobs: int) -> int:
    """Worker processes for ``--jobs``: -1 is every core, -2 all but one, and so on."""
    import joblib

    return jobs if jobs > 0 else max(joblib.cpu_count() + 1 + jobs, 1)


@dataclass
class Source:
    """Statements to score, with the input's size and read position in bytes when known,
    and its name (a file or ``<stdin>``; ``None`` for statements given as arguments)."""

    statements: Iterable[tuple[int, str]]
    size: int | None = None
    position: Callable[[], int | None] = lambda: None
    name: Path | str | None = None


def _open_source(
    args: argparse.Namespace, parser: argparse.ArgumentParser, stack: ExitStack
) -> Source:
    if args.input is not None and args.texts:
        parser.error("give statements or --input FILE, not both")
    if args.input is not None:
        handle = stack.enter_context(open_binary(args.input))
        info = os.fstat(handle.fileno())
        regular = stat.S_ISREG(info.st_mode)
        return Source(
            iter_statements(handle, name=args.input),
            size=info.st_size if regular else None,
            position=handle.tell if regular else lambda: None,
            name=args.input,
        )
    if args.texts == ["-"]:
        return Source(iter_statements(sys.stdin.buffer), name="<stdin>")
    if not args.texts:
        parser.error("give a statement, --input FILE, or '-' to read stdin")
    return Source(enumerate(args.texts, start=1))


def no_statements_error(name: Path | str) -> InputFormatError:
    """The error for an input file (or stdin) that holds no statement at all."""
    if input_kind(name) == "csv":
        return InputFormatError("no statements after the header", path=name)
    return InputFormatError("no statements (the input is empty or blank)", path=name)


def _progress_note(done: int, started: float, size: int | None, position: int | None) -> str:
    rate = done / max(time.monotonic() - started, 1e-6)
    note = f"{done:,} statements, {rate:,.0f}/s"
    if size and position is not None:
        note = f"{100 * position // size:3d}% {note}"
    return note


def run_statements(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Score statements chunk by chunk, writing each chunk's output as it is ready."""
    if args.jobs == 0:
        parser.error("--jobs must be a positive number, or -1 for all cores")
    jobs = effective_jobs(args.jobs)
    table = args.format == "table"
    columns = shutil.get_terminal_size((120, 24)).columns
    style = OutputStyle(table, args.evidence, table_text_width(columns, args.evidence))
    with ExitStack() as stack:
        source = _open_source(args, parser, stack)
        model = load_model(args.model) if args.model is not None else default_model()
        reader = ChunkReader(
            source.statements, args.batch_size or DEFAULT_BATCH_SIZE, source.position
        )
        progress = ProgressBar(
            source.size, sys.stderr, source.name is not None and sys.stderr.isatty()
        )
        stack.callback(progress.close)
        started, done = time.monotonic(), 0
        for chunk, output in score_chunks(reader, model, style, jobs):
            progress.clear()
            if table and done == 0:
                sys.stdout.write(table_header(style))
            sys.stdout.write(output)
            sys.stdout.flush()
            done += len(chunk.texts)
            # A file's bar goes by bytes read, stdin's shows the count and rate only.
            progress.update(
                done if chunk.position is None else chunk.position,
                _progress_note(done, started, source.size, chunk.position),
            )
    if reader.error is not None:
        raise reader.error
    if done == 0 and source.name is not None:
        raise no_statements_error(source.name)
    return 0


def run_articles(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.input is not None:
        parser.error("--article reads files given as arguments, not --input")
    if args.jobs != 1 or args.batch_size is not None or not args.evidence:
        parser.error("--jobs, --batch-size and --no-evidence apply to statements, not --article")
    if not args.texts:
        parser.error("--article needs article files, a directory, or '-' for stdin")
    sources = article_sources(list(args.texts))
    model = load_model(args.model) if args.model is not None else default_model()
    progress = ProgressBar(
        len(sources), sys.stderr, len(sources) >= PROGRESS_FROM and sys.stderr.isatty()
    )
    writer = write_article_table if args.format == "table" else write_article_jsonl
    for name, analysis in analyze_sources(sources, model, progress):
        progress.clear()
        writer(name, analysis, sys.stdout)
    sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.article:
            return run_articles(args, parser)
        return run_statements(args, parser)
    except (StancewatchError, ValueError, TypeError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
