"""Literal prefixes of regular expressions, to find where they can match fast.

Python's ``re`` tries every alternative of a pattern at every position, which
makes a dozen lexicon patterns the slowest part of featurising a statement.
:func:`literal_prefixes` reads, from a pattern's parse tree, the literal text
one of which begins every match; :func:`trie_pattern` joins many literals
into one pattern whose alternatives share their prefixes, so a single scan
finds every position where any lexicon pattern could start.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile; private, so its absence turns gating off
    import re._constants as _sre
    import re._parser as _parser
except ImportError:  # pragma: no cover - other Python implementations
    _parser = None


def _leading_literals(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Literals one of which starts every match of ``items`` (None: unknown)."""
    if not items:
        return None
    op, value = items[0]
    if op is _sre.LITERAL:
        run = ""
        for op, value in items:
            if op is not _sre.LITERAL:
                break
            run += chr(value)
        return {run}
    if op is _sre.SUBPATTERN:
        return _leading_literals(list(value[3]))
    if op is _sre.BRANCH:
        result: set[str] = set()
        for alternative in value[1]:
            literals = _leading_literals(list(alternative))
            if not literals:
                return None
            result |= literals
        return result
    return None


def _boundary_literals(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Like :func:`_leading_literals` for a pattern that starts with ``\\b``,
    or is an alternation of such patterns."""
    if not items:
        return None
    op, value = items[0]
    if op is _sre.AT and value is _sre.AT_BOUNDARY:
        literals = _leading_literals(items[1:])
        return literals if literals and all(literals) else None
    if op is _sre.BRANCH and len(items) == 1:
        result: set[str] = set()
        for alternative in value[1]:
            literals = _boundary_literals(list(alternative))
            if literals is None:
                return None
            result |= literals
        return result
    if op is _sre.SUBPATTERN and len(items) == 1:
        return _boundary_literals(list(value[3]))
    return None


def literal_prefixes(pattern: str, flags: int = 0) -> set[str] | None:
    """The literals one of which every match of ``pattern`` starts with, just
    after a word boundary; None if the pattern does not have that shape.

    >>> sorted(literal_prefixes(r"\\b(?:deny|denied|reject\\w*) claims"))
    ['denied', 'deny', 'reject']
    """
    if _parser is None:
        return None
    return _boundary_literals(list(_parser.parse(pattern, flags)))


def trie_pattern(literals: list[str]) -> str:
    """One regular expression matching any of ``literals``, built as a trie.

    >>> trie_pattern(["deny", "denied", "dismiss"])
    'd(?:en(?:ied|y)|ismiss)'
    """
    trie: dict[str, Any] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
