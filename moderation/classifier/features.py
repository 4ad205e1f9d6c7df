"""Text → sparse features: the vectorizers each pipeline uses.

The lean path that reproduces a fitted vectorizer without sklearn's per-call cost lives in
``moderation.classifier.lean``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion

__all__ = ["VECTORIZERS", "AdditiveTfidfVectorizer", "build_vectorizer", "n_features"]

# Pipelines compared in benchmarks/classifier_bench.py; "tfidf-lr" won (see README.md).
VECTORIZERS = ("tfidf", "hash", "lemma")


def build_vectorizer(
    kind: str = "tfidf", *, char_features: int = 150_000, word_features: int = 50_000
) -> FeatureUnion:
    """A fresh, unfitted vectorizer.

    Args:
        kind: "tfidf" (additive char_wb 3–5 TF-IDF + word 1–2 TF-IDF, vocabulary capped by
            frequency) or "hash"
            (the same analyzers through HashingVectorizer: no vocabulary to store or fit).
        char_features: vocabulary cap of the character block ("tfidf") / hash width ("hash").
        word_features: the same for the word block.

    Returns:
        An unfitted ``FeatureUnion``.
    """
    if kind == "tfidf":
        char = AdditiveTfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_features=char_features, norm=None,
        )  # fmt: skip
        word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=2, max_features=word_features,
            sublinear_tf=True, token_pattern=r"(?u)\b\w+\b",
        )  # fmt: skip
    elif kind == "lemma":  # experiment (README, decision log): + a block of Russian lemmas
        union = build_vectorizer("tfidf", char_features=char_features, word_features=word_features)
        lemmas = TfidfVectorizer(
            analyzer=_lemma_words, min_df=2, max_features=word_features, sublinear_tf=True,
        )  # fmt: skip
        return FeatureUnion([*union.transformer_list, ("lemma", lemmas)])
    elif kind == "hash":
        char = HashingVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), n_features=_pow2(char_features), alternate_sign=False,
        )  # fmt: skip
        word = HashingVectorizer(
            analyzer="word", ngram_range=(1, 2), n_features=_pow2(word_features), alternate_sign=False,
            token_pattern=r"(?u)\b\w+\b",
        )  # fmt: skip
    else:
        raise ValueError(f"unknown vectorizer kind {kind!r}; choose one of {VECTORIZERS}")
    return FeatureUnion([("char", char), ("word", word)])


_LEMMA_WORD = None


def _lemma_words(text: str) -> list[str]:
    """Lemmas of a text's Cyrillic words (pymorphy3), others as they are: the experiment's block."""
    global _LEMMA_WORD
    if _LEMMA_WORD is None:
        import functools
        import re

        try:
            import pymorphy3
        except ImportError:
            from moderation.errors import ModelError

            raise ModelError(
                "the lemma-lr pipeline is an experiment that needs pymorphy3: "
                "pip install pymorphy3 pymorphy3-dicts-ru"
            ) from None
        morph = pymorphy3.MorphAnalyzer()
        pattern = re.compile(r"\w+")

        @functools.lru_cache(maxsize=1 << 20)
        def lemma(word: str) -> str:
            return morph.parse(word)[0].normal_form if "\u0400" <= word[0] <= "\u04ff" else word

        _LEMMA_WORD = (pattern, lemma)
    pattern, lemma = _LEMMA_WORD
    return ["~" + lemma(w) for w in pattern.findall(text)]


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


class AdditiveTfidfVectorizer(TfidfVectorizer):
    """TF-IDF whose row is a sum over the text's words.

    A row is ``count · idf`` divided by ``sqrt(Σ count · idf²)``: the L2 norm the row would have
    if no n-gram repeated. Both the numerator and the sum under the root add up per word. It was
    introduced for a pure-Python scoring path that cached each word's share; the compiled path in
    ``moderation.classifier.lean`` scores either norm, and the shipped model keeps this one.
    Measured on the public sets, the two rank within 0.005 ROC-AUC of each other (README.md).

    Fitting (vocabulary, ``min_df``, ``max_features``, IDF) is ``TfidfVectorizer``'s own; construct
    it with ``norm=None`` (the scaling replaces the norm).
    """

    def fit_transform(self, raw_documents: Any, y: Any = None) -> sparse.csr_matrix:
        return self._scale(super().fit_transform(raw_documents, y))

    def transform(self, raw_documents: Any) -> sparse.csr_matrix:
        return self._scale(super().transform(raw_documents))

    def _scale(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        if self.norm is not None or self.sublinear_tf or self.binary or not self.use_idf:
            raise ValueError(
                "AdditiveTfidfVectorizer needs norm=None, sublinear_tf=False, binary=False and use_idf=True"
            )
        squares = x @ self.idf_  # Σ count · idf², since x = count · idf
        squares[squares == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / np.sqrt(squares)) @ x)
