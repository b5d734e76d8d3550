from pathlib import Path

import pytest

from inference.errors import InputFormatError
from training.corpus import (
    COLUMNS,
    PHENOMENA,
    REGISTERS,
    CorpusError,
    default_corpus_path,
    load_corpus,
    near_duplicates,
)

HEADER = ",".join(COLUMNS)
GOOD_ROWS = [
    "a1,Prosecutors charged the mayor with fraud.,accusation,train,courts,wire,formal_charge",
    "a2,The mayor denied every charge against him.,denial,train,courts,wire,typical",
    "a3,The council meets again on Monday morning.,neutral,train,politics,wire,typical",
    "a4,The minister dismissed the report as invented.,denial,dev,politics,quote,implicit_denial",
    "a5,Rebels were blamed for the attack on the convoy.,accusation,test,security,wire,",
]


def write(tmp_path: Path, lines: list[str], name: str = "corpus.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_corpus_loads_with_splits_and_hash(tmp_path):
    corpus = load_corpus(write(tmp_path, [HEADER, *GOOD_ROWS]))
    texts, labels = corpus.split("train")
    assert labels == ["accusation", "denial", "neutral"]
    assert corpus.split("dev")[0] == ["The minister dismissed the report as invented."]
    assert len(corpus.sha256) == 64


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *GOOD_ROWS]) + "\r\n").encode("utf-8"))
    assert len(load_corpus(path).statements) == 5


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, ["id,text,label,split", "x,Some text here.,neutral,train"])
    with pytest.raises(InputFormatError, match=r"line 1: .*\['domain', 'register', 'phenomenon'\]"):
        load_corpus(path)


def test_unknown_label_names_line_and_field(tmp_path):
    rows = [HEADER, *GOOD_ROWS, "b1,The talks ended without a deal.,neutrall,train,politics,wire,"]
    with pytest.raises(CorpusError, match=r"line 7, field 'label': unknown label 'neutrall'"):
        load_corpus(write(tmp_path, rows))


def test_duplicate_id_names_both_lines(tmp_path):
    rows = [HEADER, *GOOD_ROWS, "a1,A wholly different statement here.,neutral,train,sport,wire,"]
    with pytest.raises(
        CorpusError, match=r"line 7, field 'id': duplicate id 'a1' \(first on line 2\)"
    ):
        load_corpus(write(tmp_path, rows))


def test_duplicate_text_with_conflicting_label(tmp_path):
    rows = [
        HEADER,
        *GOOD_ROWS,
        'b1,"The mayor denied every charge against him!",neutral,train,courts,wire,',
    ]
    with pytest.raises(CorpusError, match="duplicate of line 3 with a different label"):
        load_corpus(write(tmp_path, rows))


def test_tag_must_belong_to_the_label(tmp_path):
    rows = [
        HEADER,
        *GOOD_ROWS,
        "b1,The union rejected the pay offer.,neutral,train,labour,wire,plea",
    ]
    with pytest.raises(CorpusError, match="'plea' is not a tag for label 'neutral'"):
        load_corpus(write(tmp_path, rows))


def test_wrong_field_count_names_the_line(tmp_path):
    rows = [HEADER, *GOOD_ROWS, "b1,Too, many, fields,neutral,train,labour,wire,"]
    with pytest.raises(InputFormatError, match="line 7: expected 7 fields, got 9"):
        load_corpus(write(tmp_path, rows))


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(InputFormatError, match="empty file"):
        load_corpus(write(tmp_path, [""], "empty.csv"))
    with pytest.raises(InputFormatError, match="no statements"):
        load_corpus(write(tmp_path, [HEADER], "header.csv"))


def test_bad_encoding_names_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode()
        + "b1,Caf\u00e9 owners protest.,neutral,train,business,wire,\n".encode("latin-1")
    )
    with pytest.raises(InputFormatError, match="line 7: not valid UTF-8"):
        load_corpus(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        load_corpus(tmp_path / "absent.csv")


def test_near_duplicates_are_found(tmp_path):
    rows = [
        HEADER,
        *GOOD_ROWS,
        "b1,Prosecutors charged the mayor with fraud on Monday.,accusation,dev,courts,wire,",
    ]
    corpus = load_corpus(write(tmp_path, rows))
    pairs = near_duplicates(corpus.statements, 0.5)
    assert [(a.id, b.id) for a, b, _ in pairs] == [("a1", "b1")]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(default_corpus_path())


class TestShippedCorpus:
    """The contract of datasets/statements.csv (corpus v2)."""

    def test_size_and_balance(self, corpus):
        labels = corpus.counts("label")
        assert len(corpus.statements) >= 5000
        assert min(labels.values()) >= 1500

    def test_coverage(self, corpus):
        assert len(corpus.counts("domain")) >= 12
        assert set(corpus.counts("register")) == set(REGISTERS)
        tags = set(corpus.counts("phenomenon"))
        assert {tag for tags_ in PHENOMENA.values() for tag in tags_} <= tags

    def test_at_least_40_percent_hard_cases(self, corpus):
        hard = [s for s in corpus.statements if s.phenomenon not in ("", "typical")]
        assert len(hard) / len(corpus.statements) >= 0.40

    def test_splits_are_stratified_70_15_15(self, corpus):
        for label in ("accusation", "denial", "neutral"):
            counts = {split: row[label] for split, row in corpus.split_label_counts().items()}
            total = sum(counts.values())
            assert counts["train"] / total == pytest.approx(0.70, abs=0.02)
            assert counts["dev"] / total == pytest.approx(0.15, abs=0.02)
            assert counts["test"] / total == pytest.approx(0.15, abs=0.02)

    def test_no_near_duplicates(self, corpus):
        assert near_duplicates(corpus.statements, 0.7) == []
