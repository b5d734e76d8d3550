"""``stance-predict``: tag statements from the command line."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from inference.article_cli import (
    PROGRESS_FROM,
    ProgressBar,
    analyze_sources,
    article_sources,
    write_article_jsonl,
    write_article_table,
)
from inference.errors import StancewatchError
from inference.io import decode_utf8, read_statements, statements_from_lines
from inference.labels import LABELS
from inference.model import load_model
from inference.paths import MODEL_ENV_VAR
from inference.predict import Prediction, default_model, predict

PROG = "stance-predict"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tag statements as accusation, denial or neutral.",
        epilog=(
            'examples:\n  stance-predict "The ministry called the accusations baseless."\n'
            "  stance-predict --input statements.csv --format table\n"
            "  cat statements.txt | stance-predict -\n"
            "  stance-predict --article story.txt --format table\n"
            "  stance-predict --article articles/          # every .txt/.md file in it"
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
        "otherwise one statement per line",
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


def _collect(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[str]:
    if args.input is not None and args.texts:
        parser.error("give statements or --input FILE, not both")
    if args.input is not None:
        return read_statements(args.input)
    if args.texts == ["-"]:
        return statements_from_lines(decode_utf8(sys.stdin.buffer.read()))
    if not args.texts:
        parser.error("give a statement, --input FILE, or '-' to read stdin")
    return list(args.texts)


def write_jsonl(predictions: list[Prediction], out: TextIO) -> None:
    for prediction in predictions:
        out.write(json.dumps(prediction.to_dict(), ensure_ascii=False) + "\n")


def write_table(predictions: list[Prediction], out: TextIO) -> None:
    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    header = f"{'label':<10} " + " ".join(f"{name[:3]:>5}" for name in LABELS)
    text_width = max(width - len(header) - 34, 20)
    out.write(f"{header}  {'evidence':<30}  text\n")
    for prediction in predictions:
        probabilities = " ".join(f"{prediction.probabilities[name]:5.2f}" for name in LABELS)
        evidence = ", ".join(item.phrase for item in prediction.evidence[:3])
        evidence = evidence if len(evidence) <= 30 else evidence[:29] + "…"
        text = " ".join(prediction.text.split())
        text = text if len(text) <= text_width else text[: text_width - 1] + "…"
        out.write(f"{prediction.label:<10} {probabilities}  {evidence:<30}  {text}\n")


def run_articles(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.input is not None:
        parser.error("--article reads files given as arguments, not --input")
    if not args.texts:
        parser.error("--article needs article files, a directory, or '-' for stdin")
    sources = article_sources(list(args.texts))
    model = load_model(args.model) if args.model is not None else default_model()
    progress = ProgressBar(
        len(sources), sys.stderr, len(sources) >= PROGRESS_FROM and sys.stderr.isatty()
    )
    writer = write_article_table if args.format == "table" else write_article_jsonl
    for name, analysis in analyze_sources(sources, model, progress):
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
        statements = _collect(args, parser)
        model = load_model(args.model) if args.model is not None else None
        predictions = predict(statements, model)
        writer = write_table if args.format == "table" else write_jsonl
        writer(predictions, sys.stdout)
        sys.stdout.flush()
    except (StancewatchError, ValueError, TypeError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
