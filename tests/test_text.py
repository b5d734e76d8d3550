import pickle

import pytest

from inference.text import Tokenizer, normalize, tokenize


def test_normalize_folds_quotes_dashes_and_whitespace():
    raw = "\u201cBaseless\u201d \u2013 Tehran\u2019s\u00a0reply\u200b\n\tcame  fast"
    assert normalize(raw) == '"Baseless" -- Tehran\'s reply came fast'


def test_normalize_keeps_hyphenated_words_and_case():
    assert normalize("A well-known UN envoy") == "A well-known UN envoy"


def test_normalize_removes_control_and_bidi_characters():
    assert normalize("deny\u202e\x00ing\ufeff") == "deny ing"


def test_normalize_rejects_non_strings():
    with pytest.raises(TypeError, match="expected a string, got int"):
        normalize(3)  # type: ignore[arg-type]


def test_negation_cue_is_case_insensitive():
    tokens = tokenize("No government has blamed Tehran.", stem=False)
    assert tokens[:4] == ["no", "NEG_government", "NEG_has", "NEG_blamed"]


def test_negation_scope_stops_at_comma():
    tokens = tokenize("They did not deny the claims, calling them baseless", stem=False)
    assert "NEG_deny" in tokens
    assert "baseless" in tokens and "NEG_baseless" not in tokens


def test_negation_scope_stops_at_but_and_at_window():
    tokens = tokenize("not one two but three", stem=False)
    assert tokens == ["not", "NEG_one", "NEG_two", "but", "three"]
    long = Tokenizer(negation_scope=2, stem=False)(normalize("never a b c"))
    assert long == ["never", "NEG_a", "NEG_b", "c"]


def test_contractions_become_not():
    assert tokenize("Iran didn\u2019t do it", stem=False)[:4] == ["iran", "did", "not", "NEG_do"]
    assert tokenize("We won't comment", stem=False)[:3] == ["we", "will", "not"]


def test_negation_words_are_kept_not_dropped_as_stop_words():
    tokens = tokenize("He never denied it, nor did she", stem=False)
    assert {"never", "nor"} <= set(tokens)


def test_stemming_merges_inflections():
    assert tokenize("denied")[0] == tokenize("denies")[0] == tokenize("denying")[0]


def test_numbers_and_handles_are_collapsed():
    assert tokenize("@UN_News 2,500 at 10:30") == ["@user", "<num>", "at", "<num>"]


def test_token_spans_point_into_the_text():
    text = normalize("Officials said Tehran was behind it.")
    for token in Tokenizer().tokens(text):
        assert text[token.start : token.end].strip()


def test_tokenizer_pickles_by_reference():
    tokenizer = Tokenizer(negation_scope=3, stem=False)
    assert pickle.loads(pickle.dumps(tokenizer)) == tokenizer


def test_normalize_shortcut_for_ascii_matches_the_full_path():
    # ASCII text skips NFKC and the Unicode tables; these exercise what remains.
    for text in ["a `quoted` word", "tab\tand\x0bvertical", "x - y -- z --- w", "a-b", "\x00x"]:
        assert normalize(text) == normalize(text + "\u00e9")[:-1].rstrip()
