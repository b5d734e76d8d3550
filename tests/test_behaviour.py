"""Clear cases of every rule of LABELS.md, written fresh for this test."""

import pytest

from inference import predict

CASES = [
    ("Prosecutors indicted the port director on charges of smuggling fuel.", "accusation"),
    ("Opposition leaders accused the governor of rigging the tender.", "accusation"),
    ("Investigators said a foreign intelligence service was behind the break-in.", "accusation"),
    ("The club strongly denied the doping allegations against its captain.", "denial"),
    ("The ministry called the accusations baseless.", "denial"),
    ("She pleaded not guilty to three counts of fraud.", "denial"),
    ("The embassy rejected the claims as politically motivated fabrications.", "denial"),
    ("Police arrested four people after the match on Saturday.", "neutral"),
    ("The court will resume the hearing on 4 March.", "neutral"),
    ("The senate rejected the proposal to raise the fuel tax.", "neutral"),
    ("A spokesman for the company declined to comment.", "neutral"),
    ("The two leaders met in Geneva for talks on the border.", "neutral"),
]


@pytest.mark.parametrize(("text", "label"), CASES)
def test_clear_cases(corpus_model, text, label):
    assert predict(text, corpus_model).label == label


def test_denial_of_an_accusation_outranks_the_accusation(corpus_model):
    text = "Officials said the militia was behind the ambush, a charge the group denied."
    assert predict(text, corpus_model).label == "denial"
