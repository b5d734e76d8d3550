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

from inference.text import CACHE_LIMIT, Tokenizer

#: Stripped from both ends of a phrase. The space too: a bigram such as '" --'
#: (a quote, then a dash) would otherwise leave ' --' once its quote is gone.
_STRIP = " \"'.,;:!?()[]{}"


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
        self._char_cache: dict[str, np.ndarray] = {}
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
            result.append(
                self.explain_row(text, rows.indices[start:end], rows.data[start:end], label, top)
            )
        return result

    def explain_row(
        self, text: str, columns: np.ndarray, values: np.ndarray, label: str, top: int = 5
    ) -> list[Evidence]:
        """Top ``top`` evidence items for one text, given its nonzero features."""
        pushes = values * self.push[self.classes.index(label), columns]
        weights: dict[str, float] = defaultdict(float)
        by_column = dict(zip(columns.tolist(), pushes.tolist(), strict=True))
        if self.word_vectorizer is not None:
            self._add_word_ngrams(text, by_column, weights)
        if self.char_vectorizer is not None:
            self._add_char_ngrams(text, columns, pushes, weights)
        if self.cues is not None:
            for column, begin, finish in self.cues.matches(text):
                push = by_column.get(column + self.cue_offset)
                phrase = text[begin:finish].strip(_STRIP)
                if push is not None and phrase:
                    weights[phrase] += push
        ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
        return [Evidence(phrase, round(weight, 4)) for phrase, weight in ranked[:top] if weight > 0]

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

    def _char_columns(self, raw_word: str) -> np.ndarray:
        """Feature columns of every in-vocabulary character n-gram of a word, cached."""
        found = self._char_cache.get(raw_word)
        if found is None:
            if len(self._char_cache) >= CACHE_LIMIT:
                self._char_cache.clear()
            vocabulary = self.char_vectorizer.vocabulary_
            low, high = self.char_vectorizer.ngram_range
            padded = f" {raw_word.lower()} "
            grams = (
                padded[first : first + n]
                for n in range(low, high + 1)
                for first in range(len(padded) - n + 1)
            )
            found = (
                np.asarray([vocabulary[g] for g in grams if g in vocabulary], dtype=np.int64)
                + self.char_offset
            )
            self._char_cache[raw_word] = found
        return found

    def _add_char_ngrams(
        self, text: str, columns: np.ndarray, pushes: np.ndarray, weights: dict[str, float]
    ) -> None:
        """Each character n-gram's push, shared out equally among its occurrences' words."""
        words = [(raw, raw.strip(_STRIP)) for raw in text.split()]
        words = [(raw, word) for raw, word in words if word]
        per_word = [self._char_columns(raw) for raw, _ in words]
        occurrences = np.concatenate(per_word) if per_word else np.zeros(0, np.int64)
        if not len(occurrences) or not len(columns):
            return
        owner = np.repeat(np.arange(len(words)), [len(c) for c in per_word])
        order = np.argsort(columns)
        sorted_columns, sorted_pushes = columns[order], pushes[order]
        position = np.minimum(np.searchsorted(sorted_columns, occurrences), len(order) - 1)
        pushed = sorted_columns[position] == occurrences
        _, which, times = np.unique(occurrences, return_inverse=True, return_counts=True)
        share = np.where(pushed, sorted_pushes[position], 0.0) / times[which]
        totals = np.bincount(owner, share, minlength=len(words))
        for index in np.unique(owner[pushed]).tolist():
            weights[words[index][1]] += float(totals[index])
