"""Evidence: the words and phrases that pushed a statement toward its label.

For a linear model the score of label ``k`` is a sum over features of
``tfidf value x weight``. A feature's push toward ``k`` is its value times
``weight[k] - mean(weight over labels)``: positive when it favours ``k`` over
the average label. Word n-gram features are mapped back to the phrase they
matched in the text; character n-gram features are shared out among the
words that contain them; cue-lexicon features credit the span they matched.
Weights are in logit units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from inference.text import Tokenizer

_STRIP = "\"'.,;:!?()[]{}"


@dataclass(frozen=True)
class Evidence:
    """A phrase of the input and how strongly it pushed toward the label."""

    phrase: str
    weight: float


class Explainer:
    """Computes evidence for one fitted stancewatch pipeline."""

    def __init__(self, pipeline: Any) -> None:
        self.features = pipeline.named_steps["features"]
        classifier = pipeline.named_steps["classifier"]
        coef = np.asarray(classifier.coef_, dtype=float)
        self.classes = list(classifier.classes_)
        self.push = coef - coef.mean(axis=0, keepdims=True)
        self.word_vectorizer: Any = None
        self.char_vectorizer: Any = None
        self.cues: Any = None
        self.word_offset = self.char_offset = self.cue_offset = 0
        offset = 0
        for name, transformer in self.features.transformer_list:
            if transformer == "drop" or transformer is None:
                continue
            if name == "word":
                self.word_vectorizer, self.word_offset = transformer, offset
            elif name == "char":
                self.char_vectorizer, self.char_offset = transformer, offset
            elif name == "cues":
                self.cues, self.cue_offset = transformer, offset
            offset += len(transformer.get_feature_names_out())
        self.word_names: dict[int, tuple[str, ...]] = {}
        if self.word_vectorizer is not None:
            self.word_names = {
                index + self.word_offset: tuple(name.split(" "))
                for name, index in self.word_vectorizer.vocabulary_.items()
            }

    def explain(
        self, normalized_texts: list[str], features: Any, labels: list[str], top: int = 5
    ) -> list[list[Evidence]]:
        """Top ``top`` positive evidence items for each text and its label."""
        rows = features.tocsr()
        result = []
        for i, (text, label) in enumerate(zip(normalized_texts, labels, strict=True)):
            start, end = rows.indptr[i], rows.indptr[i + 1]
            indices = rows.indices[start:end]
            pushes = rows.data[start:end] * self.push[self.classes.index(label), indices]
            weights = self._phrase_weights(
                text, dict(zip(indices.tolist(), pushes.tolist(), strict=True))
            )
            ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
            result.append(
                [
                    Evidence(phrase, round(weight, 4))
                    for phrase, weight in ranked[:top]
                    if weight > 0
                ]
            )
        return result

    def _phrase_weights(self, text: str, pushes: dict[int, float]) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        if self.word_vectorizer is not None:
            self._add_word_ngrams(text, pushes, weights)
        if self.char_vectorizer is not None:
            self._add_char_ngrams(text, pushes, weights)
        if self.cues is not None:
            for column, begin, finish in self.cues.matches(text):
                push = pushes.get(column + self.cue_offset)
                phrase = text[begin:finish].strip(_STRIP)
                if push is not None and phrase:
                    weights[phrase] += push
        return weights

    def _add_word_ngrams(
        self, text: str, pushes: dict[int, float], weights: dict[str, float]
    ) -> None:
        tokenizer: Tokenizer = self.word_vectorizer.tokenizer
        tokens = tokenizer.tokens(text)
        low, high = self.word_vectorizer.ngram_range
        spans: dict[tuple[str, ...], tuple[int, int]] = {}
        forms = [token.form for token in tokens]
        for n in range(low, high + 1):
            for first in range(len(tokens) - n + 1):
                key = tuple(forms[first : first + n])
                spans.setdefault(key, (tokens[first].start, tokens[first + n - 1].end))
        for index, push in pushes.items():
            key_tokens = self.word_names.get(index)
            if key_tokens is None or key_tokens not in spans:
                continue
            begin, finish = spans[key_tokens]
            phrase = text[begin:finish].strip(_STRIP)
            if phrase:
                weights[phrase] += push

    def _add_char_ngrams(
        self, text: str, pushes: dict[int, float], weights: dict[str, float]
    ) -> None:
        vocabulary = self.char_vectorizer.vocabulary_
        low, high = self.char_vectorizer.ngram_range
        holders: dict[int, list[str]] = defaultdict(list)
        for raw_word in text.split():
            word = raw_word.strip(_STRIP)
            if not word:
                continue
            padded = f" {raw_word.lower()} "
            for n in range(low, high + 1):
                for first in range(len(padded) - n + 1):
                    index = vocabulary.get(padded[first : first + n])
                    if index is not None:
                        holders[index + self.char_offset].append(word)
        for index, words in holders.items():
            push = pushes.get(index)
            if push is None:
                continue
            share = push / len(words)
            for word in words:
                weights[word] += share
