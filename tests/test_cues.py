import numpy as np
from sklearn.base import clone

from inference.cues import CUE_PATTERNS, CueFeatures


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
