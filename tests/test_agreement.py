import pytest

from inference.errors import InputFormatError
from training.agreement import load_second_pass, measure
from training.cli import main
from training.corpus import load_corpus


@pytest.fixture
def corpus(tiny_corpus_path):
    return load_corpus(tiny_corpus_path)


def write_second_pass(tmp_path, rows):
    path = tmp_path / "second.csv"
    path.write_text("id,label\n" + "".join(f"{i},{label}\n" for i, label in rows), "utf-8")
    return path


def test_full_agreement_is_kappa_one(corpus, tmp_path):
    rows = [(s.id, s.label) for s in corpus.statements[:30]]
    result = measure(corpus, load_second_pass(write_second_pass(tmp_path, rows), corpus))
    assert (result.n, result.observed, result.kappa) == (30, 1.0, 1.0)
    assert result.disagreements == []


def test_disagreements_lower_kappa_and_are_listed(corpus, tmp_path):
    statements = [s for s in corpus.statements if s.split == "train"]
    flipped = {"accusation": "neutral", "denial": "accusation", "neutral": "denial"}
    rows = [(s.id, flipped[s.label] if i < 6 else s.label) for i, s in enumerate(statements)]
    result = measure(corpus, load_second_pass(write_second_pass(tmp_path, rows), corpus))
    assert result.n == len(statements)
    assert result.observed == pytest.approx(1 - 6 / len(statements))
    assert 0.0 < result.kappa < 1.0
    assert [s.id for s, _ in result.disagreements] == [s.id for s in statements[:6]]
    assert sum(map(sum, result.confusion)) == len(statements)


def test_unknown_id_and_label_name_the_line(corpus, tmp_path):
    good = corpus.statements[0]
    with pytest.raises(InputFormatError, match="line 3, field 'id': unknown id 'nope'"):
        load_second_pass(
            write_second_pass(tmp_path, [(good.id, good.label), ("nope", "denial")]), corpus
        )
    with pytest.raises(InputFormatError, match="line 2, field 'label': unknown label 'maybe'"):
        load_second_pass(write_second_pass(tmp_path, [(good.id, "maybe")]), corpus)


def test_cli_prints_kappa(corpus, tiny_corpus_path, tmp_path, capsys):
    rows = [(s.id, s.label) for s in corpus.statements[::5]]
    path = write_second_pass(tmp_path, rows)
    assert main(["agreement", "--data", str(tiny_corpus_path), "--second-pass", str(path)]) == 0
    assert "Cohen's kappa 1.000" in capsys.readouterr().out


def test_single_label_kappa_is_reported_as_undefined(corpus, tmp_path, capsys):
    rows = [(s.id, s.label) for s in corpus.statements if s.label == "denial"]
    path = write_second_pass(tmp_path, rows)
    data = str(corpus.path)
    assert main(["agreement", "--data", data, "--second-pass", str(path)]) == 0
    assert "Cohen's kappa undefined" in capsys.readouterr().out
