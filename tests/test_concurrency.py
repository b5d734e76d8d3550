"""predict is thread-safe: many threads at once get what one thread gets."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

import inference.explain as explain_module
import inference.scorer as scorer_module
import inference.text as text_module
from inference import predict
from inference.model import StanceModel


def test_predict_from_many_threads_equals_one_thread(corpus_model, corpus_texts, monkeypatch):
    texts = corpus_texts[:1200]
    # A fresh model object (its scorer and explainer are built lazily, so the
    # threads race to build them) and tiny caches (emptied again and again
    # while other threads read them).
    model = StanceModel(pipeline=corpus_model.pipeline)
    monkeypatch.setattr(text_module, "CACHE_LIMIT", 64)
    monkeypatch.setattr(scorer_module, "CACHE_LIMIT", 64)
    monkeypatch.setattr(explain_module, "CACHE_LIMIT", 64)
    expected = predict(texts, StanceModel(pipeline=corpus_model.pipeline))
    expected_evidence = [p.evidence for p in expected[:120]]
    chunks = [texts[i : i + 40] for i in range(0, len(texts), 40)]

    def score(chunk: list[str]) -> list[tuple[str, list[float]]]:
        return [(p.label, list(p.probabilities.values())) for p in predict(chunk, model)]

    def explain(i: int) -> list:
        return predict(texts[i], model).evidence

    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(score, chunks))
        evidence = list(pool.map(explain, range(120)))
    got = [item for batch in batches for item in batch]
    assert [label for label, _ in got] == [p.label for p in expected]
    np.testing.assert_allclose(
        [probs for _, probs in got],
        [list(p.probabilities.values()) for p in expected],
        atol=1e-12,
    )
    assert evidence == expected_evidence


def test_one_prediction_read_from_many_threads_gives_one_evidence_list(corpus_model):
    # Several threads may compute it at once (there is no lock); each gets the same list.
    model = StanceModel(pipeline=corpus_model.pipeline)
    prediction = predict("The ministry called the accusations baseless.", model)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: prediction.evidence, range(64)))
    assert all(result == results[0] for result in results)
    assert results[0] and results[0][0].phrase == "baseless"
