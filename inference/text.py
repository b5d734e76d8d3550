"""Text processing shared by training and prediction.

Everything the model sees passes through here, at training time and at
predict time alike: :func:`normalize` folds Unicode variants of quotes, dashes
and spaces; :class:`Tokenizer` splits with NLTK's data-free
``RegexpTokenizer``, lowercases, optionally stems (Snowball, no data needed)
and marks negation scope.

Negation marking avoids the traps of ``nltk.sentiment.util.mark_negation``:
cues are matched case-insensitively ("No government ..."), and the scope ends
at any clause punctuation (comma included), at contrastive conjunctions
("but", "while") and after a fixed number of tokens, so "denied the claims,
calling them baseless" does not negate "baseless".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer

NEGATION_PREFIX = "NEG_"

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_HYPHENS = "\u2010\u2011"
_QUOTES = str.maketrans(
    _SINGLE_QUOTES + _DOUBLE_QUOTES + _HYPHENS,
    "'" * len(_SINGLE_QUOTES) + '"' * len(_DOUBLE_QUOTES) + "-" * len(_HYPHENS),
    "\u00ad",  # soft hyphen: invisible
)
# Dashes used as punctuation become a spaced double hyphen: one token, "--".
_DASHES = re.compile(r"\s*[\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b]+\s*|\s+-{1,3}\s+")
# Zero-width characters, bidirectional marks and the byte-order mark carry no text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return ``text`` with Unicode variants folded and whitespace squashed.

    NFKC normalisation, curly quotes to straight ones, dashes between words
    to `` -- ``, invisible and control characters removed, runs of whitespace
    to one space. Case is kept.

    >>> normalize("Tehran\u2019s \u201cbaseless\u201d claims \u2013 officials")
    'Tehran\\'s "baseless" claims -- officials'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = text.translate(_QUOTES)
    text = _DASHES.sub(" -- ", text)
    return _WHITESPACE.sub(" ", text).strip()


# Tokens: @handles and #hashtags; numbers (2,500 or 3.5 or 10:30); the stem
# of a "n't" contraction and the "n't" itself; words with inner hyphens,
# apostrophes or dots (U.S., co-op, O'Neill); the dash token; any other single
# non-space symbol.
_TOKEN_PATTERN = (
    r"""[@#]\w+|\d+(?:[.,:]\d+)*|\w+(?=n't\b)|n't\b|\w+(?:[-'.]\w+)*|--|\.\.\.|[^\w\s]"""
)
_REGEXP_TOKENIZER = RegexpTokenizer(_TOKEN_PATTERN, flags=re.UNICODE | re.IGNORECASE)

NEGATION_CUES = frozenset(
    {
        "not",
        "no",
        "never",
        "nor",
        "neither",
        "nobody",
        "none",
        "nothing",
        "nowhere",
        "without",
        "cannot",
        "n't",
    }
)
_CONTRACTION_STEMS = {"wo": "will", "ca": "can", "sha": "shall", "n't": "not"}
_SCOPE_END_PUNCTUATION = frozenset({".", ",", ";", ":", "!", "?", "(", ")", '"', "--", "-", "..."})
_SCOPE_END_WORDS = frozenset(
    {"but", "while", "although", "though", "however", "whereas", "yet", "because"}
)
_NUMBER = re.compile(r"\d[\d.,:]*")
_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def _canonical(token: str) -> str:
    """Lowercase form of one token; numbers and @handles collapse to one symbol."""
    lowered = token.lower()
    if lowered in _CONTRACTION_STEMS:
        return _CONTRACTION_STEMS[lowered]
    if lowered[0] == "@":
        return "@user"
    if _NUMBER.fullmatch(lowered):
        return "<num>"
    return lowered


@dataclass(frozen=True)
class Token:
    """One model token and where it came from in the normalised text."""

    form: str
    start: int
    end: int


@dataclass(frozen=True)
class Tokenizer:
    """Callable that turns normalised text into model tokens.

    Args:
        negation_scope: how many tokens after a negation cue get the
            ``NEG_`` prefix (fewer when a clause ends first); 0 turns
            negation marking off.
        stem: reduce words to their Snowball stem ("denied" -> "deni").

    Instances are plain, importable and picklable, so a fitted vectorizer
    that holds one can be saved and loaded by reference.
    """

    negation_scope: int = 6
    stem: bool = True

    def __call__(self, text: str) -> list[str]:
        return [token.form for token in self.tokens(text)]

    def tokens(self, text: str) -> list[Token]:
        """Model tokens with their character spans in ``text``."""
        result: list[Token] = []
        remaining = 0
        for start, end in _REGEXP_TOKENIZER.span_tokenize(text):
            form = _canonical(text[start:end])
            if form in _SCOPE_END_PUNCTUATION or form in _SCOPE_END_WORDS:
                remaining = 0
            elif form in NEGATION_CUES:
                remaining = self.negation_scope
            else:
                if self.stem and form[0].isalpha() and "." not in form:
                    form = _stem(form)
                if remaining > 0:
                    form = NEGATION_PREFIX + form
                    remaining -= 1
            result.append(Token(form, start, end))
        return result


def tokenize(text: str, *, negation_scope: int = 6, stem: bool = True) -> list[str]:
    """Normalise ``text`` and return its model tokens.

    >>> tokenize("No government has blamed Tehran, officials said.", stem=False)
    ['no', 'NEG_government', 'NEG_has', 'NEG_blamed', 'NEG_tehran', ',', 'officials', 'said', '.']
    """
    return Tokenizer(negation_scope=negation_scope, stem=stem)(normalize(text))
