"""Who makes an accusation or denial (speaker) and whom it concerns (target).

Rule-based and fast: patterns over reporting verbs, quotation attribution and
accusation/denial frames. Spans are returned as (start, end) offsets into the
text given, so callers can map them back into an article.

For an accusation the target is the party accused; for a denial it is the
party whose accusation or claim is rejected, when the statement names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inference.segment import DATELINE

Span = tuple[int, int]

#: Longest run of characters (200) a pattern lets a name or subject phrase span
#: before the word that ends it. A name is at most 12 words (see ``_trim``);
#: an unbounded ``.+?`` made every accusation verb or reporting verb rescan
#: the rest of the text, quadratic in a long sentence (100,000 characters:
#: minutes). Bounded, each occurrence costs at most this many characters.
_PHRASE = 200

_REPORTING = (
    r"said|says|say|told|tells|added|adds|insisted|insists|claimed|claims|claim|alleged|alleges|"
    r"allege|stated|states|wrote|writes|argued|argues|maintained|maintains|warned|warns|"
    r"announced|announces|declared|declares|noted|notes|suggested|suggests|asserted|asserts|"
    r"contended|contends|charged|charges|accused|accuses|accuse|denied|denies|deny|rejected|"
    r"rejects|reject|dismissed|dismisses|dismiss|disputed|disputes|refuted|refutes|blamed|"
    r"blames|blame|called|calls|branded|brands|denounced|denounces|condemned|condemns|"
    r"described|describes|pleaded|pleads|sued|sues|filed|files|indicted|indicts|"
    r"testified|testifies|tweeted|posted|responded|responds|countered|counters|"
    r"hit\s+back|slammed|slams|labelled|labeled|labels|repeated|reiterated|"
    r"acknowledged|conceded|confirmed|believes|believe|thinks|think|suspects|suspect"
)
#: Common irregular past forms that end a subject ("Harlan took ...").
_IRREGULAR = (
    r"took|made|sold|stole|hid|lied|knew|paid|gave|sent|ran|put|let|kept|broke|"
    r"spent|left|got|told|bought|lost|hit|fled|sought"
)
#: Verbs of speech that may follow the quote or comma in inverted attribution.
_SPEECH = (
    r"said|says|added|adds|insisted|insists|claimed|claims|alleged|alleges|stated|states|"
    r"wrote|writes|argued|argues|maintained|maintains|warned|warns|told|tells|continued|"
    r"noted|notes|explained|explains|asked|replied|countered|tweeted|posted|concluded"
)
_AUX = (
    r"(?:has|have|had|will|would|could|may|might|also|again|repeatedly|strongly|flatly|"
    r"firmly|categorically|on\s+\w+day|\w+ly)"
)
_NAME_STOP = re.compile(
    r"\s*(?:,|\bwho\b|\bwhich\b|\bthat\b|\bon\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)\b|\bin\s+a\b|\bin\s+an\b|\bat\s+a\b|\bthis\s+week\b|\blast\s+\w+\b|"
    r"\byesterday\b|\btoday\b|\bearlier\b|\blater\b|\bon\s+\w+\b|\bafter\b|\bduring\b|\bbefore\b|"
    r"\b(?:seen|filed|obtained|published|released|issued|cited|quoted|reviewed|sent)\s+"
    r"(?:by|with|to|in|on)\b)",
)
_LEADING = re.compile(
    rf"(?:{DATELINE.pattern[1:]})?"
    r"(?:(?:In|On|At|Last|Earlier|Later|Meanwhile|However|But|And|Yet|Separately|Still|"
    r"Since|After|Before|During|For\s+its\s+part|In\s+response|"
    rf"Asked\s+about\s+[^,]{{1,{_PHRASE}}})"
    r"\b[^,]{0,60},\s+)?"
)
_QUOTE_CLOSE = '”"’'

_INVERTED = re.compile(
    rf"(?:,|[,.!?…][{_QUOTE_CLOSE}])\s*(?:{_SPEECH})\s+(?P<who>[^,.;:!?“”\"]+?)"
    r"\s*(?:[.,;:!?]|$|\bin\b|\bon\b|\bat\b|\bwho\b|\bafter\b)"
)
_CLAUSE_WORDS = re.compile(
    r"\b(?:had|has|have|was|were|is|are|would|will|did|does|never|not|could|should)\b",
    re.IGNORECASE,
)
_AFTER_QUOTE = re.compile(
    rf"[,.!?…][{_QUOTE_CLOSE}]\s*(?P<who>[^,.;:!?“”\"]{{1,80}}?)\s+(?:{_AUX}\s+)*(?:{_REPORTING})\b"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,.;:!?“”\"]+)", re.IGNORECASE)
_SUBJECT_VERB = re.compile(
    rf"^(?P<who>[^“”\"]{{1,90}}?)\s+(?:{_AUX}\s+)*(?:{_REPORTING})\b", re.IGNORECASE
)
_BY_AGENT = re.compile(
    r"\b(?:accused|charged|blamed|criticised|criticized|sued|denounced|named)\s+by\s+"
    r"(?P<who>[^,.;:!?“”\"]+)"
)

_ACCUSE_OBJECT = re.compile(
    r"\b(?:accus(?:e|ed|es|ing)|blam(?:e|ed|es|ing)|charg(?:e|ed|es|ing)|"
    r"indict(?:s|ed|ing)?|su(?:e|ed|es|ing)|fined|convicted|condemn(?:s|ed|ing)?|"
    r"denounc(?:e|ed|es|ing)|hold|held|holds|implicat(?:e|ed|es|ing)|"
    r"suspect(?:s|ed)?|investigat(?:e|ed|es|ing)|prosecut(?:e|ed|es|ing)|"
    r"fault(?:s|ed)?)\s+(?!of\b|for\b|with\b|have\b|has\b|had\b|been\b|were\b|was\b|"
    rf"are\b|is\b|against\b)(?P<who>.{{1,{_PHRASE}}}?)\s+"
    r"(?:of|for|with|over|on|in\s+connection|responsible|after|in\s+the|in\s+a)\b",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(
    rf"\b(?:{_REPORTING}|found|concluded|believe[sd]?|suspect(?:s|ed)?|showed|shows|"
    r"suggest(?:s|ed)?|revealed|reveals|determined)"
    r"(?:\s+(?:on|last|this|in\s+an?)\s+\w+(?:\s+statement)?)?\s*[:,]?\s*[“\"]?\s*"
    rf"(?:that\s+)?(?P<who>.{{1,{_PHRASE}}}?)\s+"
    r"(?:had|has|have|was|were|is|are|did|does|would|could|may|might|must|allegedly|"
    r"secretly|illegally|knowingly|deliberately|repeatedly|\w+ed\b|\w+s\b|"
    rf"{_IRREGULAR})",
    re.IGNORECASE,
)
_SUBJECT_FRAME = re.compile(
    r"^(?P<who>.+?)\s+(?:(?:has|have|had)\s+been|is|are|was|were|stands?|stood|"
    r"allegedly|reportedly)\s+(?:been\s+)?(?:accused|charged|indicted|suspected|behind|"
    r"responsible|blamed|implicated|under\s+investigation|alleged|arrested|sued|fined)\b",
    re.IGNORECASE,
)
_CLAIMANT = re.compile(
    r"\b(?P<who>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|for|and)){0,15}?)(?:’s|'s)\s+"
    r"(?:\w+\s+){0,2}(?:claims?|allegations?|accusations?|charges?|report|reports|assertions?|"
    r"suggestions?|statement|remarks|comments|findings)\b"
)
_CLAIM_BY = re.compile(
    r"\b(?:claims?|allegations?|accusations?|charges?|reports?|assertions?|suggestions?)\s+"
    rf"(?:made\s+)?(?:by|from)\s+(?P<who>(?:the\s+)?[A-Z][^,.;:!?“”\"]{{0,{_PHRASE}}}?)"
    r"(?=\s+(?:that|of|as|on|in|were|was|"
    r"is|are)\b|[,.;:!?]|$)"
)
_AFTER_ACCORDING = re.compile(
    rf"\baccording\s+to\s+[^,]{{1,{_PHRASE}}},\s+(?P<who>.{{1,{_PHRASE}}}?)\s+"
    r"(?:had|has|have|was|were|is|are|did|"
    r"allegedly|secretly|illegally|\w+ed\b)",
    re.IGNORECASE,
)
#: Periods inside these do not end a name ("Lt. Gen. Ortiz", "the U.S. Treasury").
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Maj|Capt|Sgt|Gov|Sen|Rep|Jr|Sr|Adm|Cmdr|Supt|"
    r"Insp|Det|Rev|Hon|Corp|Inc|Ltd|Co|No|[A-Z])\.|\b(?:U\.S|U\.K|U\.N|E\.U)\."
)
_APPOSITION = re.compile(
    r"^(?=[^,]*\b[a-z]{3,}\b)[^,]*,\s+"
    r"(?P<name>(?:[A-Z][\w.’'\u2024-]*)(?:\s+[A-Z][\w.’'\u2024-]*)+)\s*(?:,|$)"
)
_CLAIM_OPENING = re.compile(
    r"(?:(?:which|while|whereas|but|and)\s+)?(?:(?:(?:a|an|the|such)\s+)?"
    r"(?:charges?|claims?|accusations?|allegations?|assertions?|suggestions?)\s+(?:that\s+)?)?",
    re.IGNORECASE,
)
_PRONOUN_OBJECT = re.compile(r"^(?:him|her|them|it|me|us|you)$", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    speaker: Span | None
    target: Span | None


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink a span to a name phrase: no edge punctuation, stop words or quotes."""
    piece = text[start:end]
    stop = _NAME_STOP.search(piece)
    if stop and stop.start() > 0:
        end = start + stop.start()
        piece = text[start:end]
    opener = max(piece.rfind(":"), piece.rfind("“"), piece.rfind('"'))
    if 0 <= opener < len(piece) - 2:
        start += opener + 1
        piece = text[start:end]
    lead = re.match(
        r"^[\s,“”\"'‘’(]*(?:(?:that|by|of|and|but|which|while|whereas)\s+)?"
        r"(?:(?:(?:a|an|the|such)\s+)?(?:charges?|claims?|accusations?|allegations?|"
        r"assertions?|suggestions?)\s+(?:that\s+)?)?",
        piece,
        re.IGNORECASE,
    )
    start += lead.end() if lead else 0
    piece = text[start:end]
    end = start + len(piece.rstrip(" ,.;:!?“”\"'’)"))
    if end <= start:
        return None
    words = text[start:end].split()
    if not words or len(words) > 12:
        return None
    return (start, end)


def _leading_end(text: str) -> int:
    match = _LEADING.match(text)
    return match.end() if match else 0


def _masked(text: str) -> str:
    """``text`` with abbreviation periods replaced (same length, same offsets)."""
    return _ABBREVIATION.sub(lambda m: m.group(0).replace(".", "\u2024"), text)


def _appositive_name(text: str, span: Span) -> Span:
    """Prefer the name in "his barrister, Tom Ackroyd," or "the firm's chief, Rita Vance"."""
    piece = text[span[0] : span[1]]
    match = _APPOSITION.match(piece)
    if match:
        return (span[0] + match.start("name"), span[0] + match.end("name"))
    return span


def find_speaker(text: str) -> Span | None:
    """The span naming who speaks or acts in ``text``, or None."""
    text = _masked(text)
    for pattern in (_AFTER_QUOTE, _INVERTED):
        for match in pattern.finditer(text):
            if (
                len(_CLAUSE_WORDS.findall(match.group("who")))
                or len(match.group("who").split()) > 9
            ):
                continue
            span = _trim(text, match.start("who"), match.end("who"))
            if span:
                return span
    match = _ACCORDING.search(text)
    if match:
        return _trim(text, match.start("who"), match.end("who"))
    offset = _leading_end(text)
    claim = _CLAIM_OPENING.match(text[offset:])
    offset += claim.end() if claim else 0
    match = _SUBJECT_VERB.match(text[offset:])
    if match and not text[offset:].lstrip().startswith(("“", '"')):
        who = (offset + match.start("who"), offset + match.end("who"))
        span = _trim(text, *_appositive_name(text, who))
        if span and not re.fullmatch(r"(?:it|there|this)", text[span[0] : span[1]], re.I):
            return span
    match = _BY_AGENT.search(text)
    if match:
        return _trim(text, match.start("who"), match.end("who"))
    return None


def find_target(text: str, label: str, speaker: Span | None = None) -> Span | None:
    """Whom the accusation concerns, or whose claim a denial rejects; None if not named."""
    text = _masked(text)
    if label == "denial":
        for pattern in (_CLAIMANT, _CLAIM_BY):
            match = pattern.search(text)
            if match:
                return _trim(text, match.start("who"), match.end("who"))
        return None
    if label != "accusation":
        return None
    offset = _leading_end(text)
    match = _SUBJECT_FRAME.match(text[offset:])
    if match and not re.search(rf"\b(?:{_REPORTING})\b", match.group("who"), re.IGNORECASE):
        return _trim(text, offset + match.start("who"), offset + match.end("who"))
    for match in _ACCUSE_OBJECT.finditer(text):
        if speaker and match.start("who") < speaker[1] and match.end("who") > speaker[0]:
            continue
        span = _trim(text, *_appositive_name(text, (match.start("who"), match.end("who"))))
        if span and not _PRONOUN_OBJECT.match(text[span[0] : span[1]]):
            return span
    for pattern in (_AFTER_ACCORDING, _COMPLEMENT):
        for match in pattern.finditer(text):
            if speaker and match.start("who") < speaker[1] and match.end("who") > speaker[0]:
                continue
            span = _subject_span(text, match.start("who"))
            if span and not _PRONOUN_OBJECT.match(text[span[0] : span[1]]):
                return span
    opening = re.match(r"[“\"‘\s]*", text[offset:])
    start = offset + (opening.end() if opening else 0)
    span = _subject_span(text, start)
    if span and (speaker is None or speaker[0] >= span[1]):
        if not re.search(rf"\b(?:{_REPORTING})\b", text[span[0] : span[1]], re.IGNORECASE):
            return span
    return None


_DETERMINERS = frozenset(
    "the a an his her their its our my your this that these those such some several two three "
    "four five six seven eight nine ten many all both".split()
)
_PREPOSITIONS = frozenset("in on at to for by with from of about over after into".split())
_AUXILIARIES = frozenset(
    "had has have was were is are did does do would will could may might must can should "
    "knows knew allegedly secretly illegally knowingly deliberately repeatedly also never".split()
)
_WH_WORDS = frozenset("why how what when where who whom which whose if".split())
_IRREGULAR_WORDS = frozenset(_IRREGULAR.split("|"))
_WORD = re.compile(r"[^\s]+")


def _subject_end(text: str, start: int, limit: int = 10) -> int | None:
    """End of the noun phrase that starts at ``start`` (the subject of a clause).

    Stops before the first verb-like word: an auxiliary, a common irregular
    past form, a lower-case "-ed" word, or a lower-case "-s" word that follows
    a name or pronoun rather than a determiner or modifier.
    """
    end, previous = None, ""
    for count, match in enumerate(_WORD.finditer(text, start)):
        word = match.group(0)
        bare = word.strip('“”"‘’(),.;:!?').lower()
        if count == 0 and (bare in _PREPOSITIONS or bare in _AUXILIARIES or bare in _WH_WORDS):
            return None
        verb_like = (
            bare in _AUXILIARIES
            or bare in _IRREGULAR_WORDS
            or (count > 0 and word[:1].islower() and bare.endswith("ed") and len(bare) > 4)
            or (
                count > 0
                and word[:1].islower()
                and bare.endswith("s")
                and not bare.endswith("ss")
                and (previous[:1].isupper() or previous.lower() in ("they", "he", "she", "it"))
                and previous.lower() not in _DETERMINERS
            )
        )
        if verb_like:
            return end
        if count >= limit:
            return end
        if count > 0 and word.endswith((",", ";", ":")):
            return match.end() - 1  # an apposition or a new clause follows
        end = match.end()
        previous = word
    return None


def _subject_span(text: str, start: int) -> Span | None:
    """The subject starting at ``start``; after "told the court:" the quoted clause's."""
    end = _subject_end(text, start)
    if end is None:
        return None
    after = re.match(r"\s*:\s*[“\"‘]?\s*", text[end:])
    if after and ":" in after.group(0):
        return _subject_span(text, end + after.end())
    return _trim(text, start, end)


def attribute(text: str, label: str) -> Attribution:
    """Speaker and target of a statement (or clause) with the given label."""
    if label == "neutral":
        return Attribution(None, None)
    speaker = find_speaker(text)
    return Attribution(speaker, find_target(text, label, speaker))
