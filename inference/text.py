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
)
# The same folding as a regex substitution: str.translate looks every
# character of a non-ASCII string up in the table, five times slower.
_QUOTE_FOLDS = {chr(k): chr(v) for k, v in _QUOTES.items()}
_QUOTE_VARIANTS = re.compile("[" + re.escape("".join(_QUOTE_FOLDS)) + "]")
# Dashes used as punctuation become a spaced double hyphen: one token, "--".
_UNICODE_DASH = "\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
_UNICODE_DASHES = re.compile(rf"\s*[{_UNICODE_DASH}]+\s*")
_HAS_UNICODE_DASH = re.compile(f"[{_UNICODE_DASH}]")
# A word of one to three hyphens between two words is a dash too.
_SPACED_HYPHENS = frozenset({"-", "--", "---"})
# Characters that carry no text: the format characters (Unicode category Cf:
# zero-width spaces and joiners, bidirectional marks, embeddings and isolates,
# the Arabic letter mark, the soft hyphen, the byte-order mark, tags, ...) and
# the other default-ignorable code points (the combining grapheme joiner,
# Hangul fillers, variation selectors, ...), as of Unicode 15.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """Return ``text`` with Unicode variants folded and whitespace squashed.

    Invisible characters removed, NFKC normalisation, control characters to
    spaces, curly quotes to straight ones, dashes between words to `` -- ``,
    runs of whitespace to one space. Case is kept. Normalising twice gives
    the same text as normalising once.

    >>> normalize("Tehran\u2019s \u201cbaseless\u201d claims \u2013 officials")
    'Tehran\\'s "baseless" claims -- officials'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    # Each step runs only where it can change something (the dash pattern is
    # slow to scan); the result is the same as running them all.
    ascii_only = text.isascii()
    if not ascii_only:
        # Invisible characters go before NFKC: removed after it, they would
        # leave a letter and an accent that only a second NFKC composes
        # ("e\u200b\u0301"), and normalize would not be idempotent.
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = _CONTROL.sub(" ", text)
    if not ascii_only or "`" in text:  # the backtick is the one ASCII quote variant
        text = _QUOTE_VARIANTS.sub(_fold_quote, text)
    if not ascii_only and _HAS_UNICODE_DASH.search(text):
        text = _UNICODE_DASHES.sub(" -- ", text)
    # str.split() and the regex \s agree on what whitespace is.
    words = text.split()
    if _has_spaced_hyphen(text):
        # Word by word, not by a regex over the text: matches of " - " cannot
        # overlap, so "a - - b" or "a -\u2013 b" would keep a lone "-" that a
        # second pass turns into "--".
        last = len(words) - 1
        words = [
            "--" if 0 < i < last and word in _SPACED_HYPHENS else word
            for i, word in enumerate(words)
        ]
    return " ".join(words)


def _fold_quote(match: re.Match[str]) -> str:
    return _QUOTE_FOLDS[match.group()]


def _has_spaced_hyphen(text: str) -> bool:
    """Whether a hyphen follows whitespace (a word of hyphens after another word needs one)."""
    at = text.find("-", 1)
    while at != -1:
        if text[at - 1].isspace():
            return True
        at = text.find("-", at + 1)
    return False


# Tokens: @handles and #hashtags; numbers (2,500 or 3.5 or 10:30); the stem
# of a "n't" contraction and the "n't" itself; words with inner hyphens,
# apostrophes or dots (U.S., co-op, O'Neill); the dash token; any other single
# non-space symbol. No token spans whitespace, so the tokens of a normalised
# text (single spaces) are those of its words in turn.
_TOKEN_PATTERN = (
    r"""[@#]\w+|\d+(?:[.,:]\d+)*|\w+(?=n't\b)|n't\b|\w+(?:[-'.]\w+)*|--|\.\.\.|[^\w\s]"""
)
# NLTK runs the pattern with the `regex` engine, whose \w includes combining
# marks; it is slower than `re`, but words are cached, so it runs once per word.
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

# What a token does to negation scope.
_WORD, _NEGATION_CUE, _SCOPE_END = 0, 1, 2
_Entry = tuple[str, int]

#: Cached analyses (one dictionary per ``stem`` setting), emptied when they
#: outgrow this many keys so that memory stays bounded on endless input.
CACHE_LIMIT = 200_000
_token_entries: dict[bool, dict[str, _Entry]] = {True: {}, False: {}}
_word_entries: dict[bool, dict[str, tuple[_Entry, ...]]] = {True: {}, False: {}}


@lru_cache(maxsize=CACHE_LIMIT)
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


def _analyse_token(token: str, stem: bool) -> _Entry:
    """A raw token's model form, and its role in negation scope."""
    form = _canonical(token)
    if form in _SCOPE_END_PUNCTUATION or form in _SCOPE_END_WORDS:
        return form, _SCOPE_END
    if form in NEGATION_CUES:
        return form, _NEGATION_CUE
    if stem and form[0].isalpha() and "." not in form:
        form = _stem(form)
    return form, _WORD


def _token_entry(token: str, stem: bool) -> _Entry:
    cache = _token_entries[stem]
    entry = cache.get(token)
    if entry is None:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        entry = cache[token] = _analyse_token(token, stem)
    return entry


def _word_entry(word: str, stem: bool) -> tuple[_Entry, ...]:
    """Analyses of the tokens of one whitespace-separated word."""
    cache = _word_entries[stem]
    entries = cache.get(word)
    if entries is None:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        # A purely alphabetic word is one token: no alternative of the pattern
        # can split it (every letter is \w).
        tokens = [word] if word.isalpha() else _REGEXP_TOKENIZER.tokenize(word)
        entries = cache[word] = tuple(_token_entry(token, stem) for token in tokens)
    return entries


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
    that holds one can be saved and loaded by reference. Token analyses are
    cached per word, which makes repeated words nearly free.
    """

    negation_scope: int = 6
    stem: bool = True

    def __call__(self, text: str) -> list[str]:
        return self.from_words(text.split())

    def from_words(self, words: list[str]) -> list[str]:
        """Model tokens of a text given as its whitespace-separated words."""
        stem = self.stem
        cache = _word_entries[stem]
        entries: list[_Entry] = []
        for word in words:
            analysed = cache.get(word)
            entries.extend(analysed if analysed is not None else _word_entry(word, stem))
        return self._mark_negation(entries)

    def tokens(self, text: str) -> list[Token]:
        """Model tokens with their character spans in ``text``."""
        spans = list(_REGEXP_TOKENIZER.span_tokenize(text))
        entries = [_token_entry(text[start:end], self.stem) for start, end in spans]
        forms = self._mark_negation(entries)
        return [Token(form, start, end) for form, (start, end) in zip(forms, spans, strict=True)]

    def _mark_negation(self, entries: list[_Entry]) -> list[str]:
        """Forms of the tokens, with ``NEG_`` on those in a negation's scope."""
        forms = []
        append = forms.append
        scope = self.negation_scope
        remaining = 0
        for form, role in entries:
            if role == _WORD:
                if remaining > 0:
                    form = NEGATION_PREFIX + form
                    remaining -= 1
            elif role == _NEGATION_CUE:
                remaining = scope
            else:
                remaining = 0
            append(form)
        return forms


def tokenize(text: str, *, negation_scope: int = 6, stem: bool = True) -> list[str]:
    """Normalise ``text`` and return its model tokens.

    >>> tokenize("No government has blamed Tehran, officials said.", stem=False)
    ['no', 'NEG_government', 'NEG_has', 'NEG_blamed', 'NEG_tehran', ',', 'officials', 'said', '.']
    """
    return Tokenizer(negation_scope=negation_scope, stem=stem)(normalize(text))
