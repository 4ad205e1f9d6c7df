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
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

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


@dataclass(frozen=True, slots=True)
class _Block:
    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    offset: int


class LeanFeaturizer:
    """One-text TF-IDF features identical to ``FeatureUnion.transform([text])``.

    Only for a union of fitted ``TfidfVectorizer`` blocks with L2 norm; use :meth:`supports`.
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
                )
            )
            offset += len(vec.vocabulary_)
        self._blocks = tuple(blocks)

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True when ``vectorizer`` is a fitted union of L2-normalised TF-IDF blocks."""
        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(
            isinstance(v, TfidfVectorizer) and v.norm == "l2" and v.use_idf and hasattr(v, "idf_")
            for _, v in vectorizer.transformer_list
        )

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of the text's non-zero features."""
        all_idx: list[np.ndarray] = []
        all_val: list[np.ndarray] = []
        for b in self._blocks:
            counts: dict[int, int] = {}
            vocab = b.vocabulary
            for tok in b.analyze(text):
                j = vocab.get(tok)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if b.sublinear:
                tf = np.log(tf) + 1.0
            val = tf * b.idf[idx]
            val /= math.sqrt(float(val @ val))
            all_idx.append(idx + b.offset)
            all_val.append(val)
        if not all_idx:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float64)
        if len(all_idx) == 1:
            return all_idx[0], all_val[0]
        return np.concatenate(all_idx), np.concatenate(all_val)
