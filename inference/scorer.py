"""Fast label probabilities: the fitted pipeline's arithmetic, batched.

A scikit-learn pipeline spends most of ``predict_proba`` in Python: every
document is analysed into n-gram strings, each looked up in a dictionary, and
a FeatureUnion adds per-call overhead. :class:`LinearScorer` computes the same
numbers from the same fitted parts with less Python per statement:

* word n-grams: the pipeline's own :class:`~inference.text.Tokenizer` gives
  the tokens (cached per word); tokens become integer ids and n-grams become
  integer keys looked up with ``numpy.searchsorted``;
* character n-grams: each distinct word's n-gram counts are computed once
  with the vectorizer's own analyzer and cached, then a sparse product of
  (statement x word) and (word x n-gram) counts gives every statement's counts;
* cue lexicons: the pipeline's own :class:`~inference.cues.CueFeatures`;
* TF-IDF weighting, L2 norms, the linear scores and the softmax in numpy.

The result equals ``pipeline.predict_proba`` to floating-point rounding
(tested on the whole corpus and on random text). Pipelines of another shape
raise :class:`UnsupportedPipeline`, and callers fall back to the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse

from inference.cues import CueFeatures, present_cues
from inference.features import TextNormalizer
from inference.text import CACHE_LIMIT, Tokenizer, normalize

#: Statements scored together; bounds the memory of the sparse intermediates.
CHUNK_SIZE = 1024


class UnsupportedPipeline(ValueError):
    """The pipeline has a step :class:`LinearScorer` does not reproduce."""


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise UnsupportedPipeline(problem)


#: ``1 + log(n)`` for the counts most n-grams have, computed as the vectorizer does.
_SUBLINEAR = np.log(np.arange(1, 65, dtype=np.float64)) + 1.0
_SUBLINEAR = np.concatenate([[np.nan], _SUBLINEAR])  # a count is never 0


class _TfidfWeights:
    """Sublinear TF, IDF and L2 norm of a fitted ``TfidfVectorizer``."""

    def __init__(self, vectorizer: Any) -> None:
        _check(vectorizer.norm in ("l2", None), f"norm {vectorizer.norm!r}")
        _check(not vectorizer.binary, "binary counts")
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64) if vectorizer.use_idf else None
        self.l2 = vectorizer.norm == "l2"

    def _term_weights(self, counts: np.ndarray) -> np.ndarray:
        """``1 + log(count)`` if sublinear (looked up for small counts), else the count."""
        if not self.sublinear:
            return counts.astype(np.float64)
        if len(counts) and counts.max() < len(_SUBLINEAR):
            return _SUBLINEAR[counts.astype(np.intp)]
        return np.log(counts.astype(np.float64)) + 1.0

    def _weighted(self, counts: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
        """TF-IDF weights (not normalised) and each row's norm (1 for an empty row)."""
        data = self._term_weights(counts.data)
        if self.idf is not None:
            data *= self.idf[counts.indices]
        weighted = sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
        norms = np.ones(counts.shape[0])
        if self.l2:
            rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
            norms = np.sqrt(np.bincount(rows, data * data, minlength=counts.shape[0]))
            norms[norms == 0] = 1.0
        return weighted, norms

    def scores(self, counts: sparse.csr_matrix, coef_t: np.ndarray) -> np.ndarray:
        """``normalize(tfidf(counts)) @ coef_t`` without building the normalised matrix.

        ``counts`` must have no duplicate entries; ``coef_t`` is (features, classes).
        """
        weighted, norms = self._weighted(counts)
        return np.asarray(weighted @ coef_t) / norms[:, None]

    def row(self, columns: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """One statement's feature values, given its distinct columns and their counts."""
        data = self._term_weights(counts)
        if self.idf is not None:
            data *= self.idf[columns]
        norm = float(np.sqrt(data @ data)) if self.l2 else 1.0
        return data / norm if norm > 0 else data

    def matrix(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """The TF-IDF feature matrix itself, as the vectorizer's ``transform`` gives it."""
        weighted, norms = self._weighted(counts)
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)


class _WordNgramBlock:
    """Word n-gram TF-IDF over the pipeline's tokenizer."""

    def __init__(self, vectorizer: Any) -> None:
        _check(vectorizer.analyzer == "word", f"word analyzer {vectorizer.analyzer!r}")
        _check(isinstance(vectorizer.tokenizer, Tokenizer), "a tokenizer other than Tokenizer")
        _check(vectorizer.preprocessor is None and not vectorizer.lowercase, "a preprocessor")
        _check(vectorizer.stop_words is None, "stop words")
        _check(vectorizer.strip_accents is None, "accent stripping")
        self.tokenizer: Tokenizer = vectorizer.tokenizer
        self.low, self.high = vectorizer.ngram_range
        self.weights = _TfidfWeights(vectorizer)
        self.n_features = len(vectorizer.vocabulary_)
        forms: dict[str, int] = {}
        grams: dict[int, list[tuple[list[int], int]]] = {}
        for name, column in vectorizer.vocabulary_.items():
            parts = name.split(" ")
            ids = [forms.setdefault(part, len(forms)) for part in parts]
            grams.setdefault(len(parts), []).append((ids, column))
        self.form_ids = forms
        self.base = len(forms) + 1
        _check(self.base ** max(self.high, 1) < 2**62, "n-grams too long to key as integers")
        # Per n: sorted integer keys of the vocabulary's n-grams, and their columns.
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, entries in grams.items():
            keys = np.asarray([self._key(ids) for ids, _ in entries], dtype=np.int64)
            columns = np.asarray([column for _, column in entries], dtype=np.int64)
            order = np.argsort(keys)
            self.keys[n] = (keys[order], columns[order])
        # Unigrams by direct lookup; the last slot, which id -1 (unknown) reads, stays -1.
        self.unigram_columns = np.full(self.base, -1, dtype=np.int64)
        if 1 in self.keys:
            self.unigram_columns[self.keys[1][0]] = self.keys[1][1]

    def _key(self, ids: list[int]) -> int:
        key = 0
        for form_id in ids:
            key = key * self.base + form_id
        return key

    def counts(self, words: list[list[str]]) -> sparse.csr_matrix:
        """Counts of the vocabulary's n-grams in each statement, given its words."""
        return _counts_from_keys(self._keys(words), len(words), self.n_features)

    def row_counts(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Distinct columns and counts of one statement, given its words."""
        keys = self._keys([words])
        flat = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        return np.unique(flat, return_counts=True)

    def _keys(self, words: list[list[str]]) -> list[np.ndarray]:
        """``statement * n_features + column`` of every vocabulary n-gram occurrence."""
        from_words = self.tokenizer.from_words
        forms: list[str] = []
        lengths = []
        for statement in words:
            tokens = from_words(statement)
            forms.extend(tokens)
            lengths.append(len(tokens))
        flat = list(map(self.form_ids.get, forms, repeat(-1)))
        ids_array = np.asarray(flat, dtype=np.int64)
        doc = np.repeat(np.arange(len(words)), lengths)
        keys = []
        for n in range(self.low, self.high + 1):
            if n not in self.keys or len(ids_array) < n:
                continue
            if n == 1:
                columns = self.unigram_columns[ids_array]
                hit = columns >= 0
                keys.append(doc[hit] * self.n_features + columns[hit])
                continue
            width = len(ids_array) - n + 1
            key = np.zeros(width, dtype=np.int64)
            valid = doc[:width] == doc[n - 1 :]
            for offset in range(n):
                part = ids_array[offset : offset + width]
                valid &= part >= 0
                key = key * self.base + part
            key, where = key[valid], doc[:width][valid]
            sorted_keys, sorted_columns = self.keys[n]
            position = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
            hit = sorted_keys[position] == key
            keys.append(where[hit] * self.n_features + sorted_columns[position[hit]])
        return keys


def _counts_from_keys(keys: list[np.ndarray], n_rows: int, n_columns: int) -> sparse.csr_matrix:
    """Count matrix from ``row * n_columns + column`` keys, one per occurrence."""
    unique, counts = np.unique(
        np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64), return_counts=True
    )
    rows, columns = np.divmod(unique, n_columns)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
    return sparse.csr_matrix((counts, columns, indptr), shape=(n_rows, n_columns))


class _CharNgramBlock:
    """``char_wb`` n-gram TF-IDF: counts per distinct word, summed per statement."""

    def __init__(self, vectorizer: Any) -> None:
        _check(vectorizer.analyzer == "char_wb", f"char analyzer {vectorizer.analyzer!r}")
        _check(vectorizer.preprocessor is None, "a preprocessor")
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.weights = _TfidfWeights(vectorizer)
        self.n_features = len(self.vocabulary)
        # The char_wb analyzer lowercases, then counts n-grams inside each
        # whitespace-separated word; lowercasing never adds or removes spaces,
        # so a statement's counts are the sum of its words' counts.
        # Per word: its distinct columns (int32) and their counts (float64) as
        # raw bytes, which b"".join concatenates far faster than numpy
        # concatenates thousands of small arrays.
        self.cache: dict[str, tuple[bytes, bytes]] = {}

    def _word_counts(self, word: str) -> tuple[bytes, bytes]:
        counts = self.cache.get(word)
        if counts is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            vocabulary = self.vocabulary
            columns = [vocabulary[g] for g in self.analyze(word) if g in vocabulary]
            unique, times = np.unique(np.asarray(columns, dtype=np.int32), return_counts=True)
            counts = self.cache[word] = (unique.tobytes(), times.astype(np.float64).tobytes())
        return counts

    def _joined(self, words: Iterable[str]) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """Columns and counts of ``words``, one after another, and each word's length."""
        per_word = [self._word_counts(word) for word in words]
        columns = np.frombuffer(b"".join([c for c, _ in per_word]), dtype=np.int32)
        counts = np.frombuffer(b"".join([t for _, t in per_word]), dtype=np.float64)
        return columns, counts, [len(c) // 4 for c, _ in per_word]

    def row_counts(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Distinct columns and counts of one statement, given its words."""
        columns, counts, _ = self._joined(words)
        unique, inverse = np.unique(columns.astype(np.int64), return_inverse=True)
        return unique, np.bincount(inverse, counts, minlength=len(unique)).astype(np.int64)

    def counts(self, words: list[list[str]]) -> sparse.csr_matrix:
        """Counts of the vocabulary's character n-grams in each statement, given its words."""
        flat = list(chain.from_iterable(words))
        distinct = {word: i for i, word in enumerate(dict.fromkeys(flat))}
        statements = sparse.csr_matrix(
            (
                np.ones(len(flat), dtype=np.float64),
                (
                    np.repeat(np.arange(len(words)), [len(w) for w in words]),
                    np.fromiter(map(distinct.__getitem__, flat), dtype=np.int64, count=len(flat)),
                ),
            ),
            shape=(len(words), len(distinct)),
        )
        columns, counts, sizes = self._joined(distinct)
        grams = sparse.csr_matrix(
            (counts, columns, np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])),
            shape=(len(distinct), self.n_features),
        )
        # A product of CSR matrices has no duplicate entries (its columns are unsorted).
        return statements @ grams


class _CueBlock:
    """The binary cue-lexicon features, computed by the pipeline's own transformer."""

    def __init__(self, cues: CueFeatures) -> None:
        self.cues = cues

    def matrix(self, texts: list[str]) -> sparse.csr_matrix:
        return self.cues.transform(texts)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        columns = np.asarray(present_cues(text), dtype=np.int64)
        return columns, np.ones(len(columns))


class LinearScorer:
    """Label probabilities of a fitted stancewatch pipeline, computed in batches.

    Raises:
        UnsupportedPipeline: a step other than those ``build_pipeline`` makes.
    """

    def __init__(self, pipeline: Any) -> None:
        steps = dict(pipeline.steps)
        _check(list(steps) == ["normalize", "features", "classifier"], "unexpected steps")
        _check(isinstance(steps["normalize"], TextNormalizer), "a normaliser other than ours")
        union = steps["features"]
        _check(not getattr(union, "transformer_weights", None), "FeatureUnion weights")
        classifier = steps["classifier"]
        _check(type(classifier).__name__ == "TemperatureScaledClassifier", "the classifier")
        coef = np.asarray(classifier.coef_, dtype=np.float64)
        self.intercept = np.asarray(classifier.intercept_, dtype=np.float64)
        self.classes = list(classifier.classes_)
        self.blocks: list[tuple[Any, np.ndarray]] = []
        self.offsets: list[int] = []
        offset = 0
        for name, transformer in union.transformer_list:
            if transformer is None or transformer == "drop":
                continue
            if name == "word":
                block: Any = _WordNgramBlock(transformer)
                width = block.n_features
            elif name == "char":
                block = _CharNgramBlock(transformer)
                width = block.n_features
            elif name == "cues" and isinstance(transformer, CueFeatures):
                block = _CueBlock(transformer)
                width = len(transformer.get_feature_names_out())
            else:
                raise UnsupportedPipeline(f"feature block {name!r}")
            self.blocks.append((block, np.ascontiguousarray(coef[:, offset : offset + width].T)))
            self.offsets.append(offset)
            offset += width
        _check(offset == coef.shape[1], "feature count differs from the classifier's")

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities of raw texts, columns in the classifier's class order."""
        parts = [
            self._chunk([normalize(text) for text in texts[start : start + CHUNK_SIZE]])
            for start in range(0, len(texts), CHUNK_SIZE)
        ]
        return np.vstack(parts) if parts else np.zeros((0, len(self.classes)))

    def _chunk(self, normalized: list[str]) -> np.ndarray:
        decision = np.tile(self.intercept, (len(normalized), 1))
        words = [text.split() for text in normalized]
        for block, coef_t in self.blocks:
            if isinstance(block, _CueBlock):
                decision += np.asarray(block.matrix(normalized) @ coef_t)
            else:
                decision += block.weights.scores(block.counts(words), coef_t)
        decision -= decision.max(axis=1, keepdims=True)
        np.exp(decision, out=decision)
        decision /= decision.sum(axis=1, keepdims=True)
        return decision

    def features(self, normalized: list[str]) -> sparse.csr_matrix:
        """The feature matrix of normalised texts, as the pipeline's FeatureUnion gives it."""
        words = [text.split() for text in normalized]
        blocks = [
            block.matrix(normalized)
            if isinstance(block, _CueBlock)
            else block.weights.matrix(block.counts(words))
            for block, _ in self.blocks
        ]
        return sparse.hstack(blocks, format="csr")

    def feature_row(self, normalized: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of one normalised text's nonzero features.

        The same numbers as one row of :meth:`features`, without building
        sparse matrices (what evidence is computed from, one statement at a time).
        """
        words = normalized.split()
        columns, values = [], []
        for (block, _), offset in zip(self.blocks, self.offsets, strict=True):
            if isinstance(block, _CueBlock):
                block_columns, block_values = block.row(normalized)
            else:
                block_columns, counts = block.row_counts(words)
                block_values = block.weights.row(block_columns, counts)
            columns.append(block_columns + offset)
            values.append(block_values)
        return np.concatenate(columns), np.concatenate(values)
