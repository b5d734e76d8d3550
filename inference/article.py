"""Read a whole article: statements and clauses, labels, speaker and target, a summary.

>>> from inference import analyze
>>> analysis = analyze(article_text)                      # doctest: +SKIP
>>> [(s.label, s.speaker and s.speaker.text) for s in analysis.statements]  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from inference.attribution import Span, attribute
from inference.clauses import split_clauses
from inference.explain import Evidence
from inference.labels import LABELS
from inference.model import StanceModel
from inference.predict import Prediction, predict
from inference.segment import segment

#: LABELS.md precedence when one statement carries several acts.
PRECEDENCE = ("denial", "accusation", "neutral")


@dataclass(frozen=True)
class Mention:
    """A speaker or target: its words and their offsets in the article."""

    text: str
    start: int
    end: int


@dataclass
class Clause:
    """One act of a two-act sentence, located in the article."""

    text: str
    start: int
    end: int
    label: str
    probabilities: dict[str, float]
    evidence: list[Evidence]
    speaker: Mention | None
    target: Mention | None


@dataclass
class Statement(Clause):
    """A sentence, headline, byline or list item of the article.

    ``clauses`` is filled only for a sentence that carries two acts; then
    ``label`` follows the LABELS.md precedence over its clauses (denial,
    accusation, neutral), and ``probabilities``, ``evidence``, ``speaker`` and
    ``target`` are those of the clause that sets the label.
    """

    kind: str = "sentence"
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Pair:
    """One accusation or denial as speaker → target."""

    label: str
    speaker: str | None
    target: str | None
    statement: int  # index into ``ArticleAnalysis.statements``


@dataclass
class ArticleAnalysis:
    text: str
    statements: list[Statement]

    @property
    def counts(self) -> dict[str, int]:
        """Statements per label."""
        found = Counter(statement.label for statement in self.statements)
        return {label: found.get(label, 0) for label in LABELS}

    @property
    def pairs(self) -> list[Pair]:
        """Every accusation and denial (clause by clause) as speaker → target."""
        pairs = []
        for index, statement in enumerate(self.statements):
            for act in statement.clauses or [statement]:
                if act.label != "neutral":
                    pairs.append(
                        Pair(
                            label=act.label,
                            speaker=act.speaker.text if act.speaker else None,
                            target=act.target.text if act.target else None,
                            statement=index,
                        )
                    )
        return pairs

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: statements, counts and pairs."""
        return {
            "statements": [asdict(statement) for statement in self.statements],
            "summary": {"counts": self.counts, "pairs": [asdict(p) for p in self.pairs]},
        }


def _by_precedence(labels: list[str]) -> str:
    return min(labels, key=PRECEDENCE.index)


def _mention(text: str, offset: int, span: Span | None) -> Mention | None:
    if span is None:
        return None
    return Mention(text=text[span[0] : span[1]], start=offset + span[0], end=offset + span[1])


def _act(article: str, start: int, end: int, prediction: Prediction, label: str) -> Clause:
    text = article[start:end]
    found = attribute(text, label)
    return Clause(
        text=text,
        start=start,
        end=end,
        label=label,
        probabilities=prediction.probabilities,
        evidence=prediction.evidence,
        speaker=_mention(text, start, found.speaker),
        target=_mention(text, start, found.target),
    )


def _quote_depth_after(text: str, depth: int) -> int:
    """Open quotation marks after ``text``, starting from ``depth``."""
    for char in text:
        if char == "“":
            depth += 1
        elif char == "”" and depth:
            depth -= 1
    if text.count('"') % 2:
        depth = 0 if depth else 1
    return depth


def _share_quote_speakers(statements: list[Statement]) -> None:
    """Sentences of one multi-sentence quotation share its attributed speaker."""
    group: list[Statement] = []
    depth = 0
    for statement in statements:
        starts_inside = depth > 0
        depth = _quote_depth_after(statement.text, depth)
        if starts_inside or depth > 0:
            group.append(statement)
        if depth == 0 and group:
            speakers = [s.speaker for s in group if s.speaker is not None]
            if speakers:
                for member in group:
                    if member.label != "neutral" and member.speaker is None:
                        member.speaker = speakers[-1]
            group = []


def analyze(text: str, model: StanceModel | None = None) -> ArticleAnalysis:
    """Segment ``text``, split two-act sentences, label every statement and clause,
    and find speakers and targets. All statements are scored in one batch.

    Any string with something besides whitespace gives at least one statement.

    Raises:
        TypeError: ``text`` is not a string.
        ValueError: ``text`` is empty or only whitespace ("the article is empty").
    """
    if not isinstance(text, str):
        raise TypeError(f"expected the article as a string, got {type(text).__name__}")
    segments = segment(text)
    if not segments:
        raise ValueError("the article is empty")
    splits = [split_clauses(s.text) if s.kind != "line" else [] for s in segments]
    batch = [s.text for s in segments]
    clause_index: list[list[int]] = []
    for seg, spans in zip(segments, splits, strict=True):
        indices = []
        if len(spans) > 1:
            for a, b in spans:
                indices.append(len(batch))
                batch.append(seg.text[a:b])
        clause_index.append(indices)
    predictions = predict(batch, model)

    statements: list[Statement] = []
    for number, (seg, spans) in enumerate(zip(segments, splits, strict=True)):
        whole = predictions[number]
        acts = [
            _act(text, seg.start + a, seg.start + b, predictions[i], predictions[i].label)
            for (a, b), i in zip(spans, clause_index[number], strict=False)
        ]
        two_acts = sum(act.label != "neutral" for act in acts) >= 2
        label = _by_precedence([whole.label, *(a.label for a in acts)]) if two_acts else whole.label
        base = _act(text, seg.start, seg.end, whole, label)
        statement = Statement(**vars(base), kind=seg.kind, clauses=acts if two_acts else [])
        if two_acts:
            _link_acts(statement)
        statements.append(statement)
    _share_quote_speakers(statements)
    return ArticleAnalysis(text=text, statements=statements)


def _link_acts(statement: Statement) -> None:
    """Fill gaps between the acts of a two-act sentence.

    A denial clause with no named target rejects the accusation made in the
    sentence: its target is that accusation's speaker. The sentence takes
    the speaker and target of the act that sets its label.
    """
    accusers = [a.speaker for a in statement.clauses if a.label == "accusation" and a.speaker]
    for act in statement.clauses:
        if act.label == "denial" and act.target is None and accusers:
            act.target = accusers[-1]
    leading = [a for a in statement.clauses if a.label == statement.label]
    if leading:
        act = leading[-1]
        statement.probabilities, statement.evidence = act.probabilities, act.evidence
        statement.speaker = act.speaker or statement.speaker
        statement.target = act.target or statement.target
