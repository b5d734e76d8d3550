from benchmarks.quality import cue_words, external_report


def test_cue_word_peer_follows_precedence():
    assert cue_words(
        [
            "Officials accused the militia of the attack, a charge it denied.",
            "Prosecutors indicted the mayor.",
            "The council met on Monday.",
        ]
    ) == ["denial", "accusation", "neutral"]


def test_external_report_skips_a_missing_folder(tmp_path, capsys):
    external_report(tmp_path / "absent", {"cue words": cue_words})
    assert "skipped" in capsys.readouterr().out
