"""Split a sentence that may carry two acts into clauses, with offsets.

LABELS.md: "Tools that analyse whole articles should split such sentences
into clauses (at dashes, semicolons, "while", "but") and label each clause".
Splits happen at a spaced dash, a semicolon, ", while", ", but", and before
an appositive or relative denial (", a charge Iran denied", ", which the
company rejected"). Splits inside quotation marks or parentheses are ignored.
"""

from __future__ import annotations

import re

from inference.segment import DATELINE

_DENIAL_VERBS = (
    r"(?:denied|denies|deny|rejected|rejects|reject|dismissed|dismisses|disputed|disputes|"
    r"refuted|refutes|called|calls|branded|brands|described|describes|denounced|denounces|"
    r"contested|contests|has\s+denied|have\s+denied|has\s+rejected|have\s+rejected)"
)
_CLAIM_NOUNS = r"(?:charges?|claims?|accusations?|allegations?|assertions?|suggestions?|reports?)"

#: (pattern, where the second clause starts: "after" the separator or at "group 1").
_SEPARATORS = [
    re.compile(r"\s+[–—]\s+|\s+-\s+|\s*;\s+"),
    re.compile(r",\s+(?=(?:while|but|whereas)\s)", re.IGNORECASE),
    re.compile(
        rf",\s+(?=(?:(?:a|an|the)\s+)?{_CLAIM_NOUNS}\b[^,;]{{0,80}}?\b{_DENIAL_VERBS}\b)",
        re.IGNORECASE,
    ),
    re.compile(rf",\s+(?=which\s+[^,;]{{0,60}}?\b{_DENIAL_VERBS}\b)", re.IGNORECASE),
]
_OPENERS, _CLOSERS = '“‘("', '”’)"'


def _protected(sentence: str) -> list[bool]:
    """True for characters inside quotation marks or parentheses."""
    inside, depth_paren, in_straight = [], 0, False
    depth_curly = 0
    for char in sentence:
        if char == "(":
            depth_paren += 1
        elif char == ")" and depth_paren:
            depth_paren -= 1
        elif char == "“":
            depth_curly += 1
        elif char == "”" and depth_curly:
            depth_curly -= 1
        elif char == '"':
            in_straight = not in_straight
        inside.append(bool(depth_paren or depth_curly or in_straight))
    return inside


def split_clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the clauses of ``sentence``; one span if it does not split.

    Each clause is stripped of the separator and surrounding whitespace; a
    piece shorter than three words is not split off.
    """
    protected = _protected(sentence)
    dateline = DATELINE.match(sentence)
    opening = dateline.end() if dateline else 0
    cuts: list[tuple[int, int]] = []
    for pattern in _SEPARATORS:
        for match in pattern.finditer(sentence):
            if match.start() < opening:
                continue
            if protected[match.start()] or protected[max(match.end() - 1, match.start())]:
                continue
            cuts.append((match.start(), match.end()))
    cuts.sort()
    spans, start = [], 0
    for cut_start, cut_end in cuts:
        if cut_start < start:
            continue
        spans.append((start, cut_start))
        start = cut_end
    spans.append((start, len(sentence)))
    clauses = []
    for a, b in spans:
        piece = sentence[a:b]
        a2 = a + len(piece) - len(piece.lstrip())
        b2 = a + len(piece.rstrip())
        if b2 > a2:
            clauses.append((a2, b2))
    if any(len(sentence[a:b].split()) < 3 for a, b in clauses):
        return [(0, len(sentence))] if len(clauses) > 1 else clauses
    return clauses
