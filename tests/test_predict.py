from pathlib import Path

import pytest

from inference import LABELS, ModelNotFoundError, Prediction, predict
from inference.model import save_model
from inference.text import normalize


def test_single_text_gives_one_prediction(corpus_model):
    result = predict("He pleaded not guilty to all charges.", corpus_model)
    assert isinstance(result, Prediction)
    assert result.label == "denial"
    assert set(result.probabilities) == set(LABELS)
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert max(result.probabilities, key=result.probabilities.get) == result.label


def test_list_gives_list_in_order_and_matches_single_calls(corpus_model):
    texts = [
        "Police arrested seven people on Tuesday.",
        "Prosecutors charged three men with plotting a murder for hire.",
        "The company rejected the allegations as false.",
    ]
    batch = predict(texts, corpus_model)
    assert [p.text for p in batch] == texts
    for text, prediction in zip(texts, batch, strict=True):
        assert predict(text, corpus_model) == prediction


def test_empty_list_gives_empty_list(corpus_model):
    assert predict([], corpus_model) == []


def test_evidence_names_phrases_of_the_text(corpus_model):
    text = "The minister\u2019s office dismissed the bribery claims as a fabrication."
    result = predict(text, corpus_model)
    assert result.evidence, "expected at least one evidence phrase"
    normalized = normalize(text).lower()
    for item in result.evidence:
        assert item.phrase.lower() in normalized
        assert item.weight > 0
    weights = [item.weight for item in result.evidence]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize("bad", ["", "   \n\t"])
def test_blank_text_is_a_value_error(corpus_model, bad):
    with pytest.raises(ValueError, match="empty or whitespace-only text at position 0"):
        predict(bad, corpus_model)


@pytest.mark.parametrize("bad", [None, 3, b"bytes"])
def test_non_string_is_a_type_error(corpus_model, bad):
    with pytest.raises(TypeError, match="expected a string"):
        predict([bad], corpus_model)
    with pytest.raises(TypeError):
        predict(bad, corpus_model)


def test_default_model_comes_from_environment(tmp_path: Path, corpus_model, monkeypatch):
    model_dir = tmp_path / "env-model"
    save_model(corpus_model.pipeline, model_dir, {})
    monkeypatch.setenv("STANCEWATCH_MODEL", str(model_dir))
    assert predict("He denied the charges.").label == "denial"


def test_missing_default_model_is_a_clear_error(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("STANCEWATCH_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ModelNotFoundError, match="run `stance-train`"):
        predict("Anything at all.")


def test_default_model_follows_a_retrained_version(tmp_path: Path, corpus_model, monkeypatch):
    from inference.predict import default_model

    model_dir = tmp_path / "env-model"
    monkeypatch.setenv("STANCEWATCH_MODEL", str(model_dir))
    save_model(corpus_model.pipeline, model_dir, {"note": "first"})
    assert default_model().metadata["note"] == "first"
    assert default_model() is default_model()  # cached while the version is the same
    save_model(corpus_model.pipeline, model_dir, {"note": "second"})
    assert default_model().metadata["note"] == "second"
