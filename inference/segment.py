"""Split an article into statements (sentences, headlines, bylines, list items) with offsets.

No downloaded data: NLTK's Punkt sentence tokenizer is used with our own
abbreviation list instead of a trained model. Lines are grouped into blocks
first, so a headline or byline without a final period, and each list item,
is a statement of its own, while a paragraph wrapped over several lines stays
one block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Abbreviations whose period does not end a sentence (lower case, no final period).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep
    pres supt insp det rev hon messrs
    jan feb mar apr jun jul aug sep sept oct nov dec
    no nos vol pp fig art sec ch para approx est dept univ assn bros
    corp inc ltd co plc llc cie
    u.s u.k u.n e.u u.s.a a.m p.m e.g i.e etc vs cf al
    ave blvd rd
    """.split()
)

#: A dateline opening a story: "NAIROBI, March 4 (Reuters) –", "GENEVA —", "LONDON (AP) -".
DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*,?[^–—()\n]{0,30}?(?:\([^)]*\))?\s*[–—-]+\s+"
)
_LIST_MARKER = re.compile(r"[ \t]*(?:[-•*▪–]|\d{1,3}[.)])[ \t]+")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Segment:
    """A statement's span in the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str
    #: "headline" (first block without final punctuation), "line" (another such
    #: line: byline, dateline, crosshead), "item" (list item) or "sentence".
    kind: str


@lru_cache(maxsize=1)
def _sentence_tokenizer():  # noqa: ANN202 - nltk has no type stubs
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    parameters = PunktParameters()
    parameters.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(parameters)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without the newline."""
    spans, start = [], 0
    for match in re.finditer(r"\r?\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _blocks(text: str) -> list[tuple[int, int, str]]:
    """Group lines into blocks: (start, end, kind) with kind "line", "item" or "para".

    A line continues the previous block only when that block has no final
    punctuation and the line starts in lower case (a wrapped paragraph).
    A list marker followed by nothing but spaces is not an item.
    """
    # [start, end, kind, start of the block's last line]: whether a block has
    # final punctuation is read from its last line alone (every line of a
    # block has text, so the block's final characters are on it), which keeps
    # a paragraph wrapped over thousands of lines linear, not quadratic.
    blocks: list[list] = []
    previous_blank = True
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            previous_blank = True
            continue
        marker = _LIST_MARKER.match(line)
        if marker and line[marker.end() :].strip():
            blocks.append([start + marker.end(), end, "item", start])
        else:
            stripped = line.strip()
            last = blocks[-1] if blocks else None
            continues = (
                last is not None
                and not previous_blank
                and last[2] != "item"
                and stripped[:1].islower()
                and not _TERMINAL.search(text[last[3] : last[1]].rstrip())
            )
            if continues:
                last[1], last[3] = end, start
            else:
                blocks.append([start, end, "para", start])
        previous_blank = False
    result = []
    for start, end, kind, _ in blocks:
        body = text[start:end]
        if (
            kind == "para"
            and not _TERMINAL.search(body.rstrip())
            and "\n" not in body.strip()
            and len(list(_sentence_tokenizer().span_tokenize(body))) == 1
        ):
            kind = "line"  # a headline, byline, dateline or crosshead
        result.append((start, end, kind))
    return result


def segment(text: str) -> list[Segment]:
    """Statements of ``text`` in order, each with its character offsets."""
    segments: list[Segment] = []
    for number, (start, end, kind) in enumerate(_blocks(text)):
        block = text[start:end]
        if kind in ("line", "item"):
            spans = [(0, len(block))]
        else:
            spans = list(_sentence_tokenizer().span_tokenize(block))
        for s, e in spans:
            piece = block[s:e]
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            if right <= left:
                continue
            a, b = start + s + left, start + s + right
            label = (
                "headline"
                if kind == "line" and number == 0
                else {"line": "line", "item": "item"}.get(kind, "sentence")
            )
            segments.append(Segment(start=a, end=b, text=text[a:b], kind=label))
    return segments
