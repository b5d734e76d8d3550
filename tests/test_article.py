"""Reading whole articles: segmentation, clauses, speaker and target, summary, CLI."""

import io
import json

import pytest

from inference import analyze
from inference.article_cli import ProgressBar
from inference.attribution import attribute
from inference.clauses import split_clauses
from inference.cli import main
from inference.segment import segment

ARTICLE = """Iran Denies Plot Claims as Allies Press for Sanctions
By Amara Okafor

THE HAGUE, March 4 (Reuters) – Dutch security services said Tehran was behind a foiled \
attempt to kill a dissident in the Netherlands – charges Iran denied.

Dr. Lena Marsh of the U.S. State Department met officials at 9 a.m. on Jan. 5 to discuss \
the case.

“We reject these accusations. They are fabricated and politically motivated,” Iran’s \
foreign ministry spokesman Esmaeil Baghaei said on Tuesday.

Prosecutors accused three men of plotting to kill a journalist on behalf of Tehran. Talks \
between Iran and Western powers remain frozen. The allies listed their demands:
- an end to the plots
- the release of detained dual nationals
"""


@pytest.fixture(scope="module")
def analysis(corpus_model):
    return analyze(ARTICLE, corpus_model)


def texts(segments):
    return [s.text for s in segments]


def test_segments_headline_byline_sentences_quotes_and_list_items():
    segments = segment(ARTICLE)
    assert texts(segments)[:2] == [
        "Iran Denies Plot Claims as Allies Press for Sanctions",
        "By Amara Okafor",
    ]
    assert [s.kind for s in segments[:2]] == ["headline", "line"]
    assert texts(segments)[3] == (
        "Dr. Lena Marsh of the U.S. State Department met officials at 9 a.m. on Jan. 5 "
        "to discuss the case."
    )
    assert "“We reject these accusations." in texts(segments)
    assert any(t.startswith("They are fabricated") for t in texts(segments))
    assert texts(segments)[-2:] == ["an end to the plots", "the release of detained dual nationals"]
    assert [s.kind for s in segments[-2:]] == ["item", "item"]
    for s in segments:
        assert ARTICLE[s.start : s.end] == s.text


def test_wrapped_paragraph_is_one_block_and_abbreviations_do_not_split():
    text = "Gen. Ortiz of Acme Corp. said No. 10 was\nwrong about the U.K. deal. Mr. Diaz agreed."
    assert texts(segment(text)) == [
        "Gen. Ortiz of Acme Corp. said No. 10 was\nwrong about the U.K. deal.",
        "Mr. Diaz agreed.",
    ]


@pytest.mark.parametrize(
    ("sentence", "clauses"),
    [
        (
            "Officials said Tehran was behind the plot – charges Iran denied.",
            ["Officials said Tehran was behind the plot", "charges Iran denied."],
        ),
        (
            "Prosecutors say the banker laundered cartel money, a charge he denies.",
            ["Prosecutors say the banker laundered cartel money", "a charge he denies."],
        ),
        (
            "The union accused the firm of wage theft; the company rejected the claim.",
            ["The union accused the firm of wage theft", "the company rejected the claim."],
        ),
        (
            "Israel insists Iran is building a bomb, while Tehran says its work is civilian.",
            ["Israel insists Iran is building a bomb", "while Tehran says its work is civilian."],
        ),
        (
            "Police arrested seven men, which the embassy denounced as unwarranted.",
            ["Police arrested seven men", "which the embassy denounced as unwarranted."],
        ),
        ("“We reject this – it is a lie,” he said.", ["“We reject this – it is a lie,” he said."]),
        ("LONDON (AP) – Police arrested two men.", ["LONDON (AP) – Police arrested two men."]),
    ],
)
def test_clause_splitting(sentence, clauses):
    assert [sentence[a:b] for a, b in split_clauses(sentence)] == clauses


@pytest.mark.parametrize(
    ("text", "label", "speaker", "target"),
    [
        ("Fourteen governments accused Iran’s intelligence services of plotting abductions.",
         "accusation", "Fourteen governments", "Iran’s intelligence services"),
        ("Officials said Tehran was behind the plot", "accusation", "Officials", "Tehran"),
        ("In May, UK police charged seven Iranians with threatening national security.",
         "accusation", "UK police", "seven Iranians"),
        ("The group is accused of extortion, said Lt. Gen. Ortiz.", "accusation",
         "Lt. Gen. Ortiz", "The group"),
        ("According to prosecutors, the banker laundered cartel money.", "accusation",
         "prosecutors", "the banker"),
        ("Kenyan police blamed a local gang for the attack.", "accusation", "Kenyan police",
         "a local gang"),
        ("Iran’s Ministry of Foreign Affairs called such statements “baseless”.", "denial",
         "Iran’s Ministry of Foreign Affairs", None),
        ("“It is a lie,” the minister said.", "denial", "the minister", None),
        ("The company rejected Washington’s allegations as politically motivated.", "denial",
         "The company", "Washington"),
        ("Mr. Okafor, the club’s chairman, denied the allegations.", "denial", "Mr. Okafor", None),
        ("charges Iran denied.", "denial", "Iran", None),
        ("Talks remain frozen.", "neutral", None, None),
    ],
)  # fmt: skip
def test_speaker_and_target(text, label, speaker, target):
    found = attribute(text, label)
    assert (text[slice(*found.speaker)] if found.speaker else None) == speaker
    assert (text[slice(*found.target)] if found.target else None) == target


def test_two_act_sentence_gets_both_acts_and_denial_by_precedence(analysis):
    two_acts = [s for s in analysis.statements if s.clauses]
    assert len(two_acts) == 1
    sentence = two_acts[0]
    assert sentence.label == "denial"
    assert [c.label for c in sentence.clauses] == ["accusation", "denial"]
    accusation, denial = sentence.clauses
    assert (accusation.speaker.text, accusation.target.text) == (
        "Dutch security services",
        "Tehran",
    )
    assert (denial.speaker.text, denial.target.text) == ("Iran", "Dutch security services")
    assert (sentence.speaker.text, sentence.target.text) == ("Iran", "Dutch security services")
    for clause in sentence.clauses:
        assert ARTICLE[clause.start : clause.end] == clause.text
        assert ARTICLE[clause.speaker.start : clause.speaker.end] == clause.speaker.text


def test_quote_sentences_share_the_attributed_speaker(analysis):
    quote = [s for s in analysis.statements if "accusations." in s.text or "fabricated" in s.text]
    assert [s.label for s in quote] == ["denial", "denial"]
    assert {s.speaker.text for s in quote} == {"Iran’s foreign ministry spokesman Esmaeil Baghaei"}


def test_summary_counts_and_pairs(analysis):
    assert sum(analysis.counts.values()) == len(analysis.statements)
    pairs = {(p.label, p.speaker, p.target) for p in analysis.pairs}
    assert ("accusation", "Dutch security services", "Tehran") in pairs
    assert ("denial", "Iran", "Dutch security services") in pairs
    assert ("accusation", "Prosecutors", "three men") in pairs
    document = analysis.to_dict()
    assert document["summary"]["counts"] == analysis.counts
    json.dumps(document)  # JSON-ready


def test_empty_or_non_text_article_is_an_error(corpus_model):
    with pytest.raises(ValueError, match="empty"):
        analyze("  \n ", corpus_model)
    with pytest.raises(TypeError):
        analyze(42, corpus_model)


@pytest.fixture
def model_dir(tmp_path, corpus_model, monkeypatch):
    from inference.model import save_model

    directory = tmp_path / "model"
    save_model(corpus_model.pipeline, directory, {})
    monkeypatch.setenv("STANCEWATCH_MODEL", str(directory))
    return directory


def test_cli_article_table_and_jsonl(tmp_path, model_dir, capsys):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    assert main(["--article", "--format", "table", str(story)]) == 0
    out = capsys.readouterr().out
    assert "↳ clause" in out and "Dutch security services → Tehran" in out
    assert out.count("summary:") == 1
    assert main(["--article", str(story)]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["source"] == str(story)
    assert record["statements"][0]["kind"] == "headline"


def test_cli_article_directory_and_stdin(tmp_path, model_dir, capsys, monkeypatch):
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Police arrested two men.", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("He denied the charges.", encoding="utf-8")
    (folder / "notes.csv").write_text("ignored", encoding="utf-8")
    assert main(["--article", str(folder)]) == 0
    sources = [json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()]
    assert sources == [str(folder / "a.txt"), str(folder / "sub" / "b.md")]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"He denied the charges.")))
    assert main(["--article", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["statements"][0]["label"] == "denial"


def test_cli_article_errors_name_the_problem(tmp_path, model_dir, capsys):
    assert main(["--article", str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt: no such file or directory" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["--article", str(empty)]) == 1
    assert "empty.txt: the article is empty" in capsys.readouterr().err


def test_progress_bar_draws_on_a_terminal_only():
    stream = io.StringIO()
    bar = ProgressBar(3, stream, enabled=True)
    for name in ("a.txt", "b.txt", "c.txt"):
        bar.advance(name)
    assert "3/3 c.txt" in stream.getvalue() and stream.getvalue().endswith("\n")
    silent = io.StringIO()
    ProgressBar(3, silent, enabled=False).advance("a.txt")
    assert silent.getvalue() == ""
