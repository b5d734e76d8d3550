import re

from benchmarks.quality import Contender, Report, cue_words, external_report, targets_report

CUE_WORDS = [Contender("cue words", "cue_words", cue_words)]


def test_cue_word_peer_follows_precedence():
    assert cue_words(
        [
            "Officials accused the militia of the attack, a charge it denied.",
            "Prosecutors indicted the mayor.",
            "The council met on Monday.",
        ]
    ) == ["denial", "accusation", "neutral"]


def test_external_report_skips_a_missing_folder(tmp_path, capsys):
    external_report(tmp_path / "absent", CUE_WORDS, Report())
    assert "skipped" in capsys.readouterr().out


def test_external_report_scores_denials_and_false_denials(tmp_path):
    (tmp_path / "emergent_headlines_denial.csv").write_text(
        "id,text,is_denial,crowd_agrees\n"
        "e1,Singer denies split rumours,1,1\n"
        "e2,Video of shark on highway is a hoax,1,\n"
        "e3,Phone maker to unveil new watch,0,1\n"
        "e4,Airline denies it lost the dog,0,1\n",
        encoding="utf-8",
    )
    (tmp_path / "plover_gsr_denial_negatives.csv").write_text(
        "id,text,is_denial,source_label\n"
        "p1,The cabinet rejected the request for talks.,0,REJECT\n"
        "p2,Rebels denied reports of a truce.,0,CONSULT\n"
        "p3,Troops moved to the border.,0,MOBILIZE\n",
        encoding="utf-8",
    )
    report = Report()
    external_report(tmp_path, CUE_WORDS, report)
    m = report.metrics
    # All rows: 3 predicted denials (e1, e2, e4), 2 of them right; both true denials found.
    assert m["cue_words.emergent_all_denial_precision"] == 2 / 3
    assert m["cue_words.emergent_all_denial_recall"] == 1.0
    # Crowd subset (e1, e3, e4): one right, one false alarm.
    assert m["cue_words.emergent_crowd_denial_precision"] == 0.5
    assert m["cue_words.plover_all_false_denial_rate"] == 1 / 3
    assert m["cue_words.plover_reject_false_denial_rate"] == 0.0


def test_targets_report_marks_met_and_missed(capsys):
    report = Report()
    report.metrics = {
        "cue_words.test_macro_f1": 0.60,
        "textbook.test_macro_f1": 0.88,
        "stancewatch.test_macro_f1": 0.925,
        "stancewatch.test_ece": 0.02,
    }
    targets_report(report)
    out = capsys.readouterr().out
    assert re.search(r"test macro-F1 >= 0.92 +0.925  met", out)
    assert re.search(r"margin over best peer >= 0.05 +0.045  MISSED", out)
    assert "Emergent" not in out


def test_benchmark_run_is_logged_to_mlflow(tiny_corpus_path, tracking_uri):
    import mlflow

    from benchmarks.quality import EXPERIMENT, log_to_mlflow
    from training.corpus import load_corpus

    report = Report()
    report.out("a line of the report")
    report.metrics = {"stancewatch.test_macro_f1": 0.93}
    report.tables = {"per_phenomenon.json": [{"phenomenon": "plea", "n": 3}]}
    run_id = log_to_mlflow(report, load_corpus(tiny_corpus_path), tracking_uri, seed=1)
    mlflow.set_tracking_uri(tracking_uri)
    run = mlflow.get_run(run_id)
    assert run.data.metrics["stancewatch.test_macro_f1"] == 0.93
    assert run.info.experiment_id == mlflow.get_experiment_by_name(EXPERIMENT).experiment_id
    text = mlflow.artifacts.load_text(f"{run.info.artifact_uri}/benchmark/quality_report.txt")
    assert "a line of the report" in text
