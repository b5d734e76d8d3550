import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from inference.cues import _COMPILED, _UNGATED, CUE_PATTERNS, CueFeatures, present_cues
from inference.regex_gate import literal_prefixes, trie_pattern
from inference.text import normalize
from training.corpus import default_corpus_path, load_corpus


def _fired(text: str) -> set[str]:
    row = CueFeatures().fit([text]).transform([text]).toarray()[0]
    return {name for name, value in zip(CUE_PATTERNS, row, strict=True) if value}


def test_the_object_of_a_rejection_decides_the_cue():
    assert "reject_claim" in _fired("The ministry rejected the allegations outright.")
    assert "reject_claim" not in _fired("The parliament rejected the budget proposal.")
    assert "reject_proposal" in _fired("The parliament rejected the budget proposal.")
    assert "claim_rejected" in _fired("The claims were firmly dismissed by the club.")


def test_denial_and_accusation_cues():
    assert {"plea"} <= _fired("He pleaded not guilty to all charges.")
    assert {"falsity", "reject_claim"} <= _fired("She dismissed the report as fabricated.")
    assert {"accuse_verb", "wrongdoing"} <= _fired("Officials accused the firm of fraud.")
    assert "negated_accusation" in _fired("No government has blamed Tehran so far.")
    assert "no_comment" in _fired("The ministry declined to comment.")
    assert _fired("Talks resume on Monday in Geneva") == set()


def test_matches_give_the_span_that_fired():
    text = "Tehran denied claims that it was behind the plot."
    spans = {list(CUE_PATTERNS)[col]: text[a:b] for col, a, b in CueFeatures().matches(text)}
    assert spans["reject_claim"] == "denied claims"
    assert spans["accuse_verb"] == "behind the"


def test_transformer_contract():
    cues = CueFeatures()
    matrix = clone(cues).fit_transform(["He lied.", "Rain is expected."])
    assert matrix.shape == (2, len(CUE_PATTERNS))
    assert set(np.unique(matrix.toarray())) <= {0.0, 1.0}
    assert len(cues.get_feature_names_out()) == len(CUE_PATTERNS)


# The gate (present_cues) must find exactly what searching every pattern finds.
_CUE_WORDS = (
    "denied deny the claims allegations baseless not no one blamed accused said would ſaid "
    "DENİED DENıED Kelvin K rejected rejection request charges of with plot fraud innocent "
    "pleaded guilty ? \" ' - . , found nothing according to behind culprit did return calls "
    "Σ ΑΣ politically motivated made-up no evidence declined to comment allegedly if"
).split()


def _search_every_pattern(text: str) -> list[int]:
    return [col for col, pattern in enumerate(_COMPILED) if pattern.search(text)]


def test_gate_agrees_with_a_full_search_on_the_corpus():
    texts = [normalize(s.text) for s in load_corpus(default_corpus_path()).statements]
    assert [present_cues(t) for t in texts] == [_search_every_pattern(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_CUE_WORDS) | st.text(max_size=6), min_size=1, max_size=14),
    st.sampled_from([str, str.upper, str.title]),
)
def test_gate_agrees_with_a_full_search_on_any_text(words, case):
    text = case(" ".join(words))
    assert present_cues(text) == _search_every_pattern(text)


def test_every_lexicon_pattern_but_the_question_is_gated():
    # A pattern that loses its gate still works (searched in full) but is
    # slower; this pins down which ones are.
    assert [list(CUE_PATTERNS)[col] for col in _UNGATED] == ["question"]


def test_gate_literals():
    assert literal_prefixes(r"\b(?:deny|reject\w*) (?:claims|charges)") == {"deny", "reject"}
    assert literal_prefixes(r"\bno\b|\bfound nothing") == {"no", "found nothing"}
    assert literal_prefixes(r"\?$") is None
    assert literal_prefixes(r"\b\w+ed") is None
    pattern = re.compile(trie_pattern(["deny", "denied", "dismiss", "den"]))
    assert [pattern.fullmatch(w) is not None for w in ["den", "deny", "denied", "dis"]] == [
        True,
        True,
        True,
        False,
    ]
