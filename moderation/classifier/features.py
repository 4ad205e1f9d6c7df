"""Text → sparse features: the vectorizers each pipeline uses.

The lean path that reproduces a fitted vectorizer without sklearn's per-call cost lives in
``moderation.classifier.lean`` (``LeanFeaturizer``, re-exported here).
"""

from __future__ import annotations

import math
from typing import Any

from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from moderation.classifier.lean import LeanFeaturizer

__all__ = ["VECTORIZERS", "LeanFeaturizer", "build_vectorizer", "n_features"]

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
