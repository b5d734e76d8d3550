import pandas as pd
import pytest
from sklearn.base import clone

from inference.features import TextNormalizer, as_text_list


def test_accepts_lists_series_and_dataframes():
    assert as_text_list(["a", "b"]) == ["a", "b"]
    assert as_text_list(pd.Series(["a"])) == ["a"]
    assert as_text_list(pd.DataFrame({"text": ["a"], "id": [1]})) == ["a"]
    assert as_text_list(pd.DataFrame({0: ["a"]})) == ["a"]


def test_refuses_a_lone_string_and_non_strings():
    with pytest.raises(TypeError, match="single string"):
        as_text_list("abc")
    with pytest.raises(TypeError, match="got int at position 1"):
        as_text_list(["a", 5])


def test_refuses_a_dataframe_without_text_column():
    with pytest.raises(ValueError, match="'text' column"):
        as_text_list(pd.DataFrame({"a": ["x"], "b": ["y"]}))


def test_normalizer_follows_estimator_conventions():
    normalizer = TextNormalizer()
    assert clone(normalizer).get_params() == {}
    assert normalizer.fit(["x"]) is normalizer
    assert normalizer.n_texts_seen_ == 1
    assert normalizer.transform(["\u201cHi\u201d  there"]) == ['"Hi" there']
