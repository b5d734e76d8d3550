"""Loading and validating the labeled corpus (``datasets/statements.csv``)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from inference.errors import InputFormatError, StancewatchError, locate
from inference.io import iter_csv_records, read_text
from inference.labels import LABELS
from inference.model import file_sha256
from inference.paths import project_root

COLUMNS = ("id", "text", "label", "split", "domain", "register", "phenomenon")
SPLITS = ("train", "dev", "test")
REGISTERS = (
    "wire",
    "headline",
    "quote",
    "press_release",
    "court_report",
    "official_statement",
    "social_post",
)
#: Hard-case tags, by the label they belong to (see datasets/GUIDELINES.md).
PHENOMENA: dict[str, tuple[str, ...]] = {
    "accusation": (
        "hedged",
        "implicit_accusation",
        "formal_charge",
        "lying_accusation",
        "rhetorical_question",
        "sarcasm_idiom",
    ),
    "denial": (
        "implicit_denial",
        "plea",
        "third_party_rebuttal",
        "two_acts",
        "counter_accusation",
        "rumour_denial",
        "sarcasm_idiom",
    ),
    "neutral": (
        "lexical_trap",
        "rejected_proposal",
        "negated",
        "hypothetical",
        "action",
        "no_comment",
        "genuine_question",
        "criticism",
        "denied_request",
    ),
}
TYPICAL = "typical"
MIN_WORDS, MAX_WORDS = 4, 70
MAX_ERRORS_SHOWN = 25


def default_corpus_path() -> Path:
    return project_root() / "datasets" / "statements.csv"


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    label: str
    split: str
    domain: str
    register: str
    phenomenon: str
    line: int


@dataclass
class Corpus:
    """The validated corpus and facts about the file it came from."""

    path: Path
    statements: list[Statement]
    sha256: str

    def split(self, name: str) -> tuple[list[str], list[str]]:
        """Texts and labels of one split."""
        rows = [s for s in self.statements if s.split == name]
        return [s.text for s in rows], [s.label for s in rows]

    def phenomena(self, name: str) -> list[str]:
        """Phenomenon tags of one split, in the order of :meth:`split`."""
        return [s.phenomenon for s in self.statements if s.split == name]

    def counts(self, column: str) -> dict[str, int]:
        return dict(sorted(Counter(getattr(s, column) for s in self.statements).items()))

    def split_label_counts(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {name: dict.fromkeys(LABELS, 0) for name in SPLITS}
        for statement in self.statements:
            table[statement.split][statement.label] += 1
        return table


class CorpusError(StancewatchError, ValueError):
    """The corpus failed validation; ``problems`` lists every problem found.

    Each problem is one line that names the file, and the line and field it
    is on where it has one (``statements.csv, line 7, field 'label': ...``).
    """

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = problems[:MAX_ERRORS_SHOWN]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  {problem}" for problem in shown)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{lines}{tail}")
        self.problems = problems


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def load_corpus(path: Path | None = None) -> Corpus:
    """Read and validate the corpus; raise :class:`CorpusError` listing all problems.

    Checks the columns (exactly :data:`COLUMNS`, in any order), non-empty
    fields, the label, split, register and phenomenon vocabularies, unique ids,
    length bounds, and duplicate texts (same words, ignoring case and
    punctuation): with a different label, a conflict naming both lines.

    Raises:
        InputFormatError: the file cannot be read as the corpus at all (missing,
            not UTF-8, bad columns or CSV structure, no statements), at the first
            such problem.
        CorpusError: the rows break the rules above, listing every problem.
    """
    path = Path(path) if path is not None else default_corpus_path()
    raw = read_text(path)
    records = list(iter_csv_records(raw, path, required=COLUMNS, allow_extra=False))
    if not records:
        raise InputFormatError("no statements after the header", path=path)
    problems: list[str] = []

    def problem(line: int, field: str, message: str) -> None:
        problems.append(locate(message, path=path, line=line, field=field))

    statements: list[Statement] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_text: dict[str, tuple[int, str]] = {}
    for line, row in records:
        values = {name: row[name].strip() for name in COLUMNS}
        values["text"] = " ".join(row["text"].split())
        for name in COLUMNS[:-1]:
            if not values[name]:
                problem(line, name, "empty")
        if values["label"] and values["label"] not in LABELS:
            problem(
                line,
                "label",
                f"unknown label {values['label']!r}, expected one of {list(LABELS)}",
            )
        if values["split"] and values["split"] not in SPLITS:
            problem(
                line,
                "split",
                f"unknown split {values['split']!r}, expected one of {list(SPLITS)}",
            )
        if values["register"] and values["register"] not in REGISTERS:
            problem(
                line,
                "register",
                f"unknown register {values['register']!r}, expected one of {list(REGISTERS)}",
            )
        phenomenon = values["phenomenon"]
        allowed = PHENOMENA.get(values["label"], ())
        if phenomenon not in ("", TYPICAL, *allowed):
            problem(
                line,
                "phenomenon",
                f"{phenomenon!r} is not a tag for label {values['label']!r}, "
                f"expected {TYPICAL!r} or one of {list(allowed)}",
            )
        words = len(values["text"].split())
        if values["text"] and not MIN_WORDS <= words <= MAX_WORDS:
            problem(line, "text", f"{words} words, expected {MIN_WORDS} to {MAX_WORDS}")
        if values["id"]:
            if values["id"] in first_line_of_id:
                problem(
                    line,
                    "id",
                    f"duplicate id {values['id']!r} "
                    f"(first on line {first_line_of_id[values['id']]})",
                )
            else:
                first_line_of_id[values["id"]] = line
        key = _squash(values["text"])
        if key in first_line_of_text:
            other_line, other_label = first_line_of_text[key]
            if other_label != values["label"] and {other_label, values["label"]} <= set(LABELS):
                problem(
                    line,
                    "label",
                    f"conflicting labels for the same text: duplicate of line {other_line} "
                    f"with a different label ({other_label!r} on line {other_line}, "
                    f"{values['label']!r} here)",
                )
            else:
                problem(
                    line,
                    "text",
                    f"duplicate of line {other_line} (same words, ignoring case and punctuation)",
                )
        elif key:
            first_line_of_text[key] = (line, values["label"])
        statements.append(Statement(line=line, **values))
    if problems:
        raise CorpusError(path, problems)
    train_labels = {s.label for s in statements if s.split == "train"}
    if train_labels != set(LABELS):
        raise CorpusError(
            path,
            [
                locate(
                    f"the train split has labels {sorted(train_labels)}, "
                    f"needs all of {list(LABELS)}",
                    path=path,
                )
            ],
        )
    return Corpus(path=path, statements=statements, sha256=file_sha256(path))


def word_trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < 3:
        return {tuple(words)}
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def near_duplicates(
    statements: list[Statement], threshold: float = 0.7
) -> list[tuple[Statement, Statement, float]]:
    """Pairs whose word-trigram Jaccard similarity is at least ``threshold``."""
    shingles = [word_trigrams(s.text) for s in statements]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for position, grams in enumerate(shingles):
        for gram in grams:
            index[gram].append(position)
    pairs = []
    for i, grams in enumerate(shingles):
        shared: Counter[int] = Counter()
        for gram in grams:
            for j in index[gram]:
                if j > i:
                    shared[j] += 1
        for j, overlap in shared.items():
            jaccard = overlap / len(grams | shingles[j])
            if jaccard >= threshold:
                pairs.append((statements[i], statements[j], jaccard))
    return pairs
