"""The annotated articles in ``datasets/articles/``: loading and scoring ``analyze``.

Each article is one JSON file: ``id``, ``text`` and ``statements`` in order,
each with ``text`` (an exact substring), ``label``, ``speaker``, ``target``
(exact substrings or null) and ``clauses`` (same fields, for two-act
sentences). ``datasets/articles/README.md`` gives the annotation rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inference.article import ArticleAnalysis
from inference.errors import InputFormatError
from inference.labels import LABELS
from inference.paths import project_root


@dataclass
class GoldStatement:
    start: int
    end: int
    text: str
    label: str
    speaker: str | None
    target: str | None
    clauses: list[dict[str, Any]]


@dataclass
class GoldArticle:
    id: str
    path: Path
    text: str
    statements: list[GoldStatement]


def default_articles_dir() -> Path:
    return project_root() / "datasets" / "articles"


def load_article(path: Path) -> GoldArticle:
    """One annotated article; errors name the file, statement and field."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputFormatError(f"not valid UTF-8 JSON ({err})", path=path) from err
    text = document.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputFormatError("no article text", path=path, field="text")
    statements, position = [], 0
    for number, item in enumerate(document.get("statements", []), start=1):
        where = f"{path}: statement {number}"
        if item.get("label") not in LABELS:
            raise InputFormatError(
                f"label must be one of {list(LABELS)}", path=where, field="label"
            )
        start = text.find(item.get("text") or "\0", position)
        if start < 0:
            raise InputFormatError(
                "not found in the article after the previous statement", path=where, field="text"
            )
        end = start + len(item["text"])
        position = end
        for name in ("speaker", "target"):
            value = item.get(name)
            if value is not None and value not in text:
                raise InputFormatError(f"{value!r} is not in the article", path=where, field=name)
        statements.append(
            GoldStatement(
                start=start,
                end=end,
                text=item["text"],
                label=item["label"],
                speaker=item.get("speaker"),
                target=item.get("target"),
                clauses=list(item.get("clauses") or []),
            )
        )
    if not statements:
        raise InputFormatError("no statements", path=path, field="statements")
    return GoldArticle(
        id=str(document.get("id", path.stem)), path=path, text=text, statements=statements
    )


def load_articles(directory: Path | None = None) -> list[GoldArticle]:
    directory = directory or default_articles_dir()
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise InputFormatError("no annotated articles (*.json)", path=directory)
    return [load_article(path) for path in paths]


def normalize_name(name: str) -> str:
    """Lower case, no quotes or edge punctuation, no leading article or possessive 's."""
    name = name.lower().replace("’", "'")
    name = re.sub(r"[\"“”‘(),.:;!?]", " ", name)
    name = re.sub(r"'s\b", "", name)
    words = name.split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def names_match(predicted: str, gold: str, lenient: bool) -> bool:
    """Strict: equal after :func:`normalize_name`. Lenient: one contains the other's words."""
    a, b = normalize_name(predicted), normalize_name(gold)
    if a == b:
        return True
    if not lenient or not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


@dataclass
class Tally:
    """Counts for precision and recall."""

    correct: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleScores:
    articles: int = 0
    segmentation: Tally = field(default_factory=Tally)
    label_correct: int = 0
    label_total: int = 0
    two_acts: Tally = field(default_factory=Tally)
    names: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def label_accuracy(self) -> float:
        return self.label_correct / self.label_total if self.label_total else 0.0


def _name_tally(scores: ArticleScores, key: str) -> Tally:
    return scores.names.setdefault(key, Tally())


def score_articles(
    articles: list[GoldArticle], analyze_text: Callable[[str], ArticleAnalysis]
) -> ArticleScores:
    """Segmentation, labels, two-act detection, speaker and target against the gold.

    Speaker and target are scored on the statements whose gold label is an
    accusation or denial and whose span was found: a prediction counts when
    ``analyze`` gives a name there, a gold name when the annotation has one.
    """
    scores = ArticleScores(articles=len(articles))
    for article in articles:
        analysis = analyze_text(article.text)
        predicted = {(s.start, s.end): s for s in analysis.statements}
        scores.segmentation.predicted += len(analysis.statements)
        scores.segmentation.gold += len(article.statements)
        for gold in article.statements:
            found = predicted.get((gold.start, gold.end))
            if found is None:
                scores.misses.append(f"{article.id}: not segmented: {gold.text[:70]!r}")
                continue
            scores.segmentation.correct += 1
            scores.label_total += 1
            scores.label_correct += found.label == gold.label
            scores.two_acts.gold += bool(gold.clauses)
            scores.two_acts.predicted += bool(found.clauses)
            scores.two_acts.correct += bool(gold.clauses) and bool(found.clauses)
            if gold.label == "neutral":
                continue
            for role in ("speaker", "target"):
                gold_name = getattr(gold, role)
                mention = getattr(found, role)
                for mode in ("strict", "lenient"):
                    tally = _name_tally(scores, f"{role}_{mode}")
                    tally.gold += gold_name is not None
                    tally.predicted += mention is not None
                    if gold_name is not None and mention is not None:
                        tally.correct += names_match(mention.text, gold_name, mode == "lenient")
    return scores


def format_scores(scores: ArticleScores) -> str:
    seg = scores.segmentation
    lines = [
        f"{scores.articles} articles, {seg.gold} gold statements, {seg.predicted} predicted",
        f"segmentation (exact spans)   P {seg.precision:.3f}  R {seg.recall:.3f}  F1 {seg.f1:.3f}",
        f"label accuracy               {scores.label_accuracy:.3f}  "
        f"({scores.label_correct}/{scores.label_total} segmented statements)",
        f"two-act sentences            P {scores.two_acts.precision:.3f}  "
        f"R {scores.two_acts.recall:.3f}  (gold {scores.two_acts.gold})",
    ]
    for key in ("speaker_strict", "speaker_lenient", "target_strict", "target_lenient"):
        tally = scores.names.get(key, Tally())
        role, mode = key.split("_")
        lines.append(
            f"{role:<7} ({mode:<7})            P {tally.precision:.3f}  R {tally.recall:.3f}  "
            f"F1 {tally.f1:.3f}  (gold {tally.gold}, predicted {tally.predicted})"
        )
    return "\n".join(lines)
