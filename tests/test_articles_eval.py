"""The annotated articles: they load, they are big enough, and scoring counts correctly."""

import json

import pytest

from inference import analyze
from inference.errors import InputFormatError
from training.articles import (
    load_article,
    load_articles,
    names_match,
    normalize_name,
    score_articles,
)


def write(path, document):
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_shipped_articles_load_and_meet_the_size_floor():
    articles = load_articles()
    assert len(articles) >= 15
    statements = [s for a in articles for s in a.statements]
    assert len(statements) >= 200
    labels = {s.label for s in statements}
    assert labels == {"accusation", "denial", "neutral"}
    assert sum(bool(s.clauses) for s in statements) >= 15
    for article in articles:
        for statement in article.statements:
            assert article.text[statement.start : statement.end] == statement.text


def test_reader_finds_nearly_every_gold_sentence(corpus_model):
    scores = score_articles(load_articles(), lambda text: analyze(text, corpus_model))
    assert scores.segmentation.recall >= 0.95, "\n".join(scores.misses)
    assert scores.names["speaker_lenient"].precision >= 0.7


def test_scoring_counts_spans_labels_and_names(tmp_path, corpus_model):
    text = (
        "Minister Denies Bribe Claims\n\n"
        "Prosecutors accused the minister of taking bribes. The minister denied the charges."
    )
    path = write(
        tmp_path / "x-01.json",
        {
            "id": "x-01",
            "text": text,
            "statements": [
                {"text": "Minister Denies Bribe Claims", "label": "denial", "speaker": "Minister",
                 "target": None, "clauses": []},
                {"text": "Prosecutors accused the minister of taking bribes.",
                 "label": "accusation", "speaker": "Prosecutors", "target": "the minister",
                 "clauses": []},
                {"text": "The minister denied the charges.", "label": "denial",
                 "speaker": "The minister", "target": None, "clauses": []},
            ],
        },
    )  # fmt: skip
    scores = score_articles([load_article(path)], lambda t: analyze(t, corpus_model))
    assert (scores.segmentation.correct, scores.segmentation.gold) == (3, 3)
    assert scores.label_total == 3
    speaker = scores.names["speaker_strict"]
    assert speaker.gold == 3 and speaker.correct >= 2
    assert scores.names["target_strict"].gold == 1


def test_bad_annotation_names_file_statement_and_field(tmp_path):
    path = write(
        tmp_path / "x-02.json",
        {"id": "x-02", "text": "Police arrested two men.",
         "statements": [{"text": "Police arrested two men.", "label": "neutral",
                         "speaker": "Interpol", "target": None, "clauses": []}]},
    )  # fmt: skip
    with pytest.raises(InputFormatError, match=r"x-02.json.*statement 1.*speaker"):
        load_article(path)
    write(path, {"id": "x-02", "text": "Talks resumed.", "statements": [
        {"text": "Talks resumed.", "label": "maybe", "clauses": []}]})  # fmt: skip
    with pytest.raises(InputFormatError, match="label must be one of"):
        load_article(path)


def test_name_matching_rules():
    assert (
        normalize_name("Iran’s Ministry of Foreign Affairs") == "iran ministry of foreign affairs"
    )
    assert names_match("the Prosecutors", "prosecutors", lenient=False)
    assert not names_match("defense lawyer Carla Obi", "Carla Obi", lenient=False)
    assert names_match("defense lawyer Carla Obi", "Carla Obi", lenient=True)
    assert not names_match("Tehran", "Dutch officials", lenient=True)
