"""The fast LinearScorer computes what the pipeline computes, on any text."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

import inference.scorer as scorer_module
import inference.text as text_module
from inference.model import StanceModel
from inference.scorer import LinearScorer, UnsupportedPipeline
from inference.text import normalize
from training.corpus import default_corpus_path, load_corpus
from training.pipeline import DEFAULT_PARAMS, build_pipeline

ODD = [
    "Tehran\u2019s \u201cbaseless\u201d claims \u2013 officials said",
    "DENİED the charges; the ministry called them ſlander",
    "\u05d4\u05de\u05e9\u05e8\u05d3 \u200f\u05d3\u05d7\u05d4 the claims \U0001f621",
    "e\u0301\u0301 combining marks \u0301alone",
    "\x00\x1f control \x7f characters \u2028 and separators",
    "ΑΣ Σ said the minister, who denied it",
    "I did n't do it, won't comment, can't confirm",
    "@user #hashtag 2,500 10:30 U.S. co-op O'Neill ... --",
    "a" * 3000,
]


def test_probabilities_equal_the_pipeline_on_the_whole_corpus(corpus_model, corpus_texts):
    expected = corpus_model.pipeline.predict_proba(corpus_texts)
    actual = LinearScorer(corpus_model.pipeline).predict_proba(corpus_texts)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-12)
    assert (actual.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_feature_matrix_equals_the_feature_union(corpus_model, corpus_texts):
    steps = corpus_model.pipeline.named_steps
    normalized = steps["normalize"].transform(corpus_texts[:500] + ODD)
    expected = steps["features"].transform(normalized)
    actual = LinearScorer(corpus_model.pipeline).features(normalized)
    assert actual.shape == expected.shape
    assert abs(actual - expected).max() < 1e-12


def test_odd_text_scores_like_the_pipeline(corpus_model):
    expected = corpus_model.pipeline.predict_proba(ODD)
    np.testing.assert_allclose(
        LinearScorer(corpus_model.pipeline).predict_proba(ODD), expected, atol=1e-12
    )


@pytest.fixture(scope="module")
def corpus_scorer(corpus_model) -> LinearScorer:
    return LinearScorer(corpus_model.pipeline)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=200), min_size=1, max_size=8))
def test_random_text_scores_like_the_pipeline(corpus_model, corpus_scorer, texts):
    expected = corpus_model.pipeline.predict_proba(texts)
    np.testing.assert_allclose(corpus_scorer.predict_proba(texts), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("char", "cues"), [("drop", "drop"), ("char_wb_2_5", "drop"), ("drop", "lexicon")]
)
def test_every_grid_candidate_is_reproduced(char, cues, corpus_texts):
    corpus = load_corpus(default_corpus_path())
    texts, labels = corpus.split("train")
    params = {**DEFAULT_PARAMS, "features__char": char, "features__cues": cues}
    pipeline = build_pipeline(seed=0, calibrate=False, **params).fit(texts[:800], labels[:800])
    np.testing.assert_allclose(
        LinearScorer(pipeline).predict_proba(corpus_texts[:300]),
        pipeline.predict_proba(corpus_texts[:300]),
        atol=1e-12,
    )


def test_bounded_caches_give_the_same_answers(corpus_model, corpus_texts, monkeypatch):
    monkeypatch.setattr(text_module, "CACHE_LIMIT", 50)
    monkeypatch.setattr(scorer_module, "CACHE_LIMIT", 50)
    monkeypatch.setattr(text_module, "_word_entries", {True: {}, False: {}})
    monkeypatch.setattr(text_module, "_token_entries", {True: {}, False: {}})
    scorer = LinearScorer(corpus_model.pipeline)
    texts = corpus_texts[:400]
    np.testing.assert_allclose(
        scorer.predict_proba(texts), corpus_model.pipeline.predict_proba(texts), atol=1e-12
    )
    char_block = next(b for b, _ in scorer.blocks if hasattr(b, "cache"))
    assert 0 < len(char_block.cache) <= 50
    assert 0 < len(text_module._word_entries[True]) <= 50
    assert 0 < len(text_module._token_entries[True]) <= 50


def test_chunks_do_not_change_results(corpus_model, corpus_texts, monkeypatch):
    whole = LinearScorer(corpus_model.pipeline).predict_proba(corpus_texts[:300])
    monkeypatch.setattr(scorer_module, "CHUNK_SIZE", 7)
    chunked = LinearScorer(corpus_model.pipeline).predict_proba(corpus_texts[:300])
    np.testing.assert_allclose(chunked, whole, atol=1e-15)


def test_another_pipeline_shape_falls_back_to_the_pipeline(corpus_texts):
    corpus = load_corpus(default_corpus_path())
    texts, labels = corpus.split("train")
    pipeline = build_pipeline(seed=0, calibrate=False, **DEFAULT_PARAMS)
    pipeline.set_params(classifier=LogisticRegression(max_iter=200))
    pipeline.fit(texts[:600], labels[:600])
    with pytest.raises(UnsupportedPipeline, match="classifier"):
        LinearScorer(pipeline)
    model = StanceModel(pipeline=pipeline)
    assert model.scorer is None
    expected = pipeline.predict_proba(corpus_texts[:50])
    order = [list(pipeline.classes_).index(label) for label in ("accusation", "denial", "neutral")]
    np.testing.assert_allclose(model.probabilities(corpus_texts[:50]), expected[:, order])


def test_feature_row_equals_a_row_of_the_feature_matrix(corpus_scorer, corpus_texts):
    normalized = [normalize(t) for t in corpus_texts[:200] + ODD]
    matrix = corpus_scorer.features(normalized).tocsr()
    for i, text in enumerate(normalized):
        columns, values = corpus_scorer.feature_row(text)
        order = np.argsort(columns)
        assert columns[order].tolist() == sorted(matrix[i].indices.tolist())
        np.testing.assert_allclose(
            values[order], matrix[i].toarray()[0, columns[order]], atol=1e-12
        )


def test_evidence_is_the_same_through_the_scorer_and_the_pipeline(corpus_model, corpus_texts):
    fallback = StanceModel(pipeline=corpus_model.pipeline)
    fallback.__dict__["scorer"] = None  # the pipeline path
    fast = StanceModel(pipeline=corpus_model.pipeline)
    for text in corpus_texts[:100] + ODD:
        assert fast.explain(text, "denial") == fallback.explain(text, "denial")
