"""scikit-learn building blocks that a saved pipeline needs at load time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from inference.text import normalize

TEXT_COLUMN = "text"


def as_text_list(raw: Any) -> list[str]:
    """Turn the inputs a pipeline accepts into a list of strings.

    Accepts a list, tuple, array or Series of strings, or a DataFrame with a
    ``text`` column or a single column (what ``mlflow.pyfunc`` passes). A lone string is refused,
    as in scikit-learn's vectorizers: it would be read as characters.
    """
    if isinstance(raw, str):
        raise TypeError("expected an iterable of strings, got a single string")
    columns = getattr(raw, "columns", None)
    if columns is not None:
        if TEXT_COLUMN in columns:
            raw = raw[TEXT_COLUMN]
        elif len(columns) == 1:
            raw = raw[columns[0]]
        else:
            raise ValueError(
                f"expected a DataFrame with a {TEXT_COLUMN!r} column, got columns {list(columns)}"
            )
    if not isinstance(raw, Iterable):
        raise TypeError(f"expected an iterable of strings, got {type(raw).__name__}")
    texts = list(raw)
    for position, item in enumerate(texts):
        if not isinstance(item, str):
            raise TypeError(f"expected strings, got {type(item).__name__} at position {position}")
    return texts


class StatelessTextTransformer(TransformerMixin, BaseEstimator):
    """Base of our transformers that take raw strings and learn nothing from them."""

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


class TextNormalizer(StatelessTextTransformer):
    """First pipeline step: accept lists or DataFrames and normalise each text.

    Stateless; ``fit`` only records the number of inputs seen, as the
    estimator contract asks for a fitted attribute.
    """

    def fit(self, X: Any, y: Any = None) -> TextNormalizer:
        self.n_texts_seen_ = len(as_text_list(X))
        return self

    def transform(self, X: Any) -> list[str]:
        return [normalize(text) for text in as_text_list(X)]
