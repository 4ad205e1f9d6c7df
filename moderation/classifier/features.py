"""Text → sparse features: the vectorizers each pipeline uses, and a lean one-text path.

The lean path (``LeanFeaturizer``) reproduces ``FeatureUnion.transform`` of TF-IDF blocks for a
single text without building a scipy matrix: the same analyzers, vocabulary, IDF and L2 norm,
but plain dict look-ups and one small numpy gather. It exists because sklearn's per-call
overhead (input validation, sparse construction, hstack) is several times the actual work on a
one-line chat message.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize as normalize_rows

# Pipelines compared in benchmarks/classifier_bench.py; "tfidf-lr" won (see README.md).
VECTORIZERS = ("tfidf", "hash")


def build_vectorizer(
    kind: str = "tfidf", *, char_features: int = 150_000, word_features: int = 50_000
) -> FeatureUnion:
    """A fresh, unfitted vectorizer.

    Args:
        kind: "tfidf" (char_wb 2–5 + word 1–2 TF-IDF, vocabulary capped by frequency) or "hash"
            (the same analyzers through HashingVectorizer: no vocabulary to store or fit).
        char_features: vocabulary cap of the character block ("tfidf") / hash width ("hash").
        word_features: the same for the word block.

    Returns:
        An unfitted ``FeatureUnion``.
    """
    if kind == "tfidf":
        char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=char_features,
            sublinear_tf=True,
        )  # fmt: skip
        word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=2, max_features=word_features,
            sublinear_tf=True, token_pattern=r"(?u)\b\w+\b",
        )  # fmt: skip
    elif kind == "hash":
        char = HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), n_features=_pow2(char_features), alternate_sign=False,
        )  # fmt: skip
        word = HashingVectorizer(
            analyzer="word", ngram_range=(1, 2), n_features=_pow2(word_features), alternate_sign=False,
            token_pattern=r"(?u)\b\w+\b",
        )  # fmt: skip
    else:
        raise ValueError(f"unknown vectorizer kind {kind!r}; choose one of {VECTORIZERS}")
    return FeatureUnion([("char", char), ("word", word)])


def _pow2(n: int) -> int:
    return 1 << max(10, math.ceil(math.log2(max(n, 2))))


def n_features(vectorizer: Any) -> int:
    """Width of the fitted vectorizer's output."""
    total = 0
    for _, block in vectorizer.transformer_list:
        if isinstance(block, TfidfVectorizer):
            total += len(block.vocabulary_)
        else:
            total += block.n_features
    return total


@dataclass(slots=True)
class _Block:
    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    offset: int
    per_word: bool  # char_wb: n-grams never cross a word boundary, so they can be cached per word
    cache: dict[str, np.ndarray]


# Distinct words kept per block; chat vocabulary is Zipfian, so a modest cache hits most words.
_CACHE_WORDS = 200_000
_EMPTY = np.empty(0, dtype=np.intp)


class LeanFeaturizer:
    """TF-IDF features identical to ``FeatureUnion.transform`` without sklearn's per-call cost.

    Only for a union of fitted ``TfidfVectorizer`` blocks with L2 norm; use :meth:`supports`.
    ``char_wb`` n-grams are a function of each whitespace-separated word alone (sklearn pads and
    slices every word on its own), so the vocabulary columns of a word are computed once and
    cached: scoring a text is then a dict look-up per word instead of a Python loop per n-gram.
    """

    def __init__(self, vectorizer: FeatureUnion) -> None:
        blocks = []
        offset = 0
        for _, vec in vectorizer.transformer_list:
            blocks.append(
                _Block(
                    analyze=vec.build_analyzer(),
                    vocabulary=vec.vocabulary_,
                    idf=np.asarray(vec.idf_, dtype=np.float64),
                    sublinear=bool(vec.sublinear_tf),
                    offset=offset,
                    per_word=vec.analyzer == "char_wb" and vec.preprocessor is None and not vec.strip_accents,
                    cache={},
                )
            )
            offset += len(vec.vocabulary_)
        self._blocks = tuple(blocks)
        self.n_features = offset

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True when ``vectorizer`` is a fitted union of L2-normalised TF-IDF blocks."""
        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(
            isinstance(v, TfidfVectorizer)
            and v.norm == "l2"
            and v.use_idf
            and not v.binary
            and isinstance(v.analyzer, str)
            and hasattr(v, "idf_")
            for _, v in vectorizer.transformer_list
        )

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of the text's non-zero features."""
        all_idx: list[np.ndarray] = []
        all_val: list[np.ndarray] = []
        for b in self._blocks:
            idx = self._columns_per_word(b, text) if b.per_word else self._columns(b, text)
            if idx.size == 0:
                continue
            cols, counts = np.unique(idx, return_counts=True)
            tf = counts.astype(np.float64)
            if b.sublinear:
                tf = np.log(tf) + 1.0
            val = tf * b.idf[cols]
            val /= math.sqrt(float(val @ val))
            all_idx.append(cols + b.offset)
            all_val.append(val)
        if not all_idx:
            return _EMPTY, np.empty(0, dtype=np.float64)
        if len(all_idx) == 1:
            return all_idx[0], all_val[0]
        return np.concatenate(all_idx), np.concatenate(all_val)

    def matrix(self, texts: list[str]) -> csr_matrix:
        """``(len(texts), n_features)`` CSR matrix, equal to ``vectorizer.transform(texts)``.

        Vectorised over the batch: one COO → CSR conversion sums the repeated columns of every
        text at once, then TF weighting, IDF and the row L2 norm are array operations.
        """
        n = len(texts)
        blocks = []
        for b in self._blocks:
            pieces: list[np.ndarray] = []
            lengths = np.zeros(n, dtype=np.intp)
            for i, text in enumerate(texts):
                got = self._word_parts(b, text) if b.per_word else [self._columns(b, text)]
                for cols in got:
                    if cols.size:
                        pieces.append(cols)
                        lengths[i] += cols.size
            cols = np.concatenate(pieces) if pieces else _EMPTY
            rows = np.repeat(np.arange(n, dtype=np.intp), lengths)
            m = coo_matrix((np.ones(cols.size), (rows, cols)), shape=(n, len(b.vocabulary))).tocsr()
            if b.sublinear:
                np.log(m.data, out=m.data)
                m.data += 1.0
            m.data *= b.idf[m.indices]
            blocks.append(normalize_rows(m, norm="l2", copy=False))
        return hstack(blocks, format="csr")

    @staticmethod
    def _columns(b: _Block, text: str) -> np.ndarray:
        vocab = b.vocabulary
        cols = [j for j in map(vocab.get, b.analyze(text)) if j is not None]
        return np.fromiter(cols, dtype=np.intp, count=len(cols)) if cols else _EMPTY

    def _word_parts(self, b: _Block, text: str) -> list[np.ndarray]:
        cache = b.cache
        parts = []
        for word in text.split():
            cols = cache.get(word)
            if cols is None:
                cols = self._columns(b, word)
                if len(cache) >= _CACHE_WORDS:
                    cache.clear()
                cache[word] = cols
            parts.append(cols)
        return parts

    def _columns_per_word(self, b: _Block, text: str) -> np.ndarray:
        parts = [p for p in self._word_parts(b, text) if p.size]
        if not parts:
            return _EMPTY
        return parts[0] if len(parts) == 1 else np.concatenate(parts)
