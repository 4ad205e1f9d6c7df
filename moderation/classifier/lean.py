"""The lean scoring path: a fitted vectorizer's ``x · W`` from dict look-ups and float sums.

``vectorizer.transform([text]) @ W`` costs milliseconds per chat message, almost all of it
sklearn's per-call overhead. For the union ``build_vectorizer("tfidf")`` fits, this module
computes the same numbers directly from one table per block, ``n-gram → (idf·W per head, idf²)``:

* The additive ``char_wb`` block: n-grams never cross a whitespace-separated word and the row is
  ``Σ count·idf / sqrt(Σ count·idf²)``, so a word's share (its rows of the table, summed) is
  computed once and cached. A text is then a dict look-up per word, a few float sums and one root.
* The word block (L2-normalised TF-IDF): tokens never contain whitespace, so a word's tokens are
  cached; the text's unigrams and bigrams are looked up and the L2 norm is computed exactly, with
  sublinear tf when the block uses it.

Anything else is refused by :meth:`LeanScorer.supports`, and the caller uses sklearn.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from moderation.classifier.features import AdditiveTfidfVectorizer

__all__ = ["LeanScorer"]

# Distinct words cached (oldest out first). Chat vocabulary is Zipfian, so this covers
# nearly every word of a busy chat in a few tens of MB.
CACHE_WORDS = 100_000

# Token patterns whose matches never contain whitespace and whose word boundaries at a
# whitespace-separated word's edges behave as at the text's edges: r"\b\w+\b" is the one
# ``build_vectorizer`` uses, the other is sklearn's default.
_WORD_LOCAL_PATTERNS = frozenset({r"(?u)\b\w+\b", r"(?u)\b\w\w+\b"})

Row = tuple[float, ...]  # (idf·W for each head, idf²)


class LeanScorer:
    """``x · W`` for a fitted union of an additive ``char_wb`` block and word TF-IDF blocks.

    Use :meth:`supports` first. What each block needs of a whitespace-separated word (the char
    block's share, the word block's tokens) is computed once and kept in one bounded cache.
    """

    def __init__(self, vectorizer: FeatureUnion, weights: np.ndarray) -> None:
        self.heads = weights.shape[1]
        blocks: list[_CharBlock | _WordBlock] = []
        offset = 0
        for _, vec in vectorizer.transformer_list:
            size = len(vec.vocabulary_)
            terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            idf = np.asarray(vec.idf_, dtype=np.float64)
            rows = np.column_stack([weights[offset : offset + size] * idf[:, None], idf * idf])
            table = dict(zip(terms, map(tuple, rows.tolist()), strict=True))
            block = _CharBlock if vec.analyzer == "char_wb" else _WordBlock
            blocks.append(block(vec, table, self.heads))
            offset += size
        if offset != weights.shape[0]:
            raise ValueError(f"the vectorizer has {offset} features, the weights {weights.shape[0]}")
        self._blocks = tuple(blocks)
        self._cache: OrderedDict[str, tuple[Any, ...]] = OrderedDict()

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True for a fitted union of blocks this module reproduces exactly."""
        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(_supported(v) for _, v in vectorizer.transformer_list)

    def dots(self, text: str) -> list[float]:
        """``x · W`` (one value per head) for the text's row ``x`` of the union."""
        words = text.split()
        out = [0.0] * self.heads
        if not words:
            return out
        cache = self._cache
        entries = list(map(cache.get, words))
        if None in entries:
            for i, entry in enumerate(entries):
                if entry is None:
                    entries[i] = entry = tuple(block.learn(words[i]) for block in self._blocks)
                    while len(cache) >= CACHE_WORDS:
                        cache.popitem(last=False)
                    cache[words[i]] = entry
        for block, column in zip(self._blocks, zip(*entries, strict=True), strict=True):
            block.add(column, out)
        return out


def _supported(v: Any) -> bool:
    if not isinstance(v, TfidfVectorizer) or not hasattr(v, "idf_"):
        return False
    plain = (
        v.preprocessor is None
        and not v.strip_accents
        and v.input == "content"
        and isinstance(v.analyzer, str)
        and v.use_idf
        and not v.binary
        and np.dtype(v.dtype) == np.float64
    )
    if isinstance(v, AdditiveTfidfVectorizer):
        return plain and v.analyzer == "char_wb" and v.norm is None and not v.sublinear_tf
    return (
        plain
        and v.analyzer == "word"
        and v.norm == "l2"
        and v.tokenizer is None
        and v.stop_words is None
        and v.token_pattern in _WORD_LOCAL_PATTERNS
    )


class _CharBlock:
    """An additive ``char_wb`` block: a word's share is the sum of its n-grams' rows."""

    def __init__(self, vec: TfidfVectorizer, table: dict[str, Row], heads: int) -> None:
        self._table = table
        self._heads = heads
        self._lower = bool(vec.lowercase)
        self._range = tuple(vec.ngram_range)
        self._zero: Row = (0.0,) * (heads + 1)

    def add(self, shares: tuple[Row, ...], out: list[float]) -> None:
        """Add the text's contribution, given the shares of its words."""
        *dots, squares = map(sum, zip(*shares, strict=True))
        if squares > 0.0:
            scale = 1.0 / math.sqrt(squares)
            for h in range(self._heads):
                out[h] += dots[h] * scale

    def learn(self, word: str) -> Row:
        """The word's share: the sum of its n-grams' rows."""
        w = word.lower() if self._lower else word
        rows = list(filter(None, map(self._table.get, _char_wb_ngrams(f" {w} ", *self._range))))
        return tuple(map(sum, zip(*rows, strict=True))) if rows else self._zero


class _WordBlock:
    """A word TF-IDF block with the L2 norm, computed exactly from the text's n-gram counts.

    The table is keyed by token tuples, ``("купить", "курс")``: a text's n-grams are then
    ``zip`` over its cached tokens, looked up without building a string per n-gram.
    """

    def __init__(self, vec: TfidfVectorizer, table: dict[str, Row], heads: int) -> None:
        self._table = {tuple(term.split(" ")): row for term, row in table.items()}
        self._heads = heads
        self._lower = bool(vec.lowercase)
        self._range = tuple(vec.ngram_range)
        self._sublinear = bool(vec.sublinear_tf)
        self._token = re.compile(vec.token_pattern)

    def add(self, found: tuple[tuple[str, ...], ...], out: list[float]) -> None:
        """Add the text's contribution, given the tokens of its words."""
        tokens = list(chain.from_iterable(found))
        get = self._table.get
        rows: list[Row] = []
        lo, hi = self._range
        for n in range(lo, min(hi, len(tokens)) + 1):
            rows += filter(None, map(get, zip(*[tokens[i:] for i in range(n)], strict=False)))
        if not rows:
            return
        distinct = {id(r): r for r in rows}  # one row object per n-gram
        *dots, squares = map(sum, zip(*distinct.values(), strict=True))
        if len(distinct) < len(rows):  # a repeated n-gram: tf > 1
            for key, count in Counter(map(id, rows)).items():
                if count > 1:
                    tf = 1.0 + math.log(count) if self._sublinear else float(count)
                    row = distinct[key]
                    dots = [d + (tf - 1.0) * r for d, r in zip(dots, row, strict=False)]
                    squares += (tf * tf - 1.0) * row[-1]
        scale = 1.0 / math.sqrt(squares)
        for h in range(self._heads):
            out[h] += dots[h] * scale

    def learn(self, word: str) -> tuple[str, ...]:
        """The word's tokens."""
        return tuple(self._token.findall(word.lower() if self._lower else word))


def _char_wb_ngrams(w: str, lo: int, hi: int) -> list[str]:
    """sklearn's ``_char_wb_ngrams`` for one space-padded word: same n-grams, same multiplicity.

    sklearn slides each length over the word; a word no longer than ``n`` yields itself once and
    stops. The slices for each word length are built once.
    """
    return list(map(w.__getitem__, _slices(len(w), lo, hi)))


@lru_cache(maxsize=256)
def _slices(size: int, lo: int, hi: int) -> tuple[slice, ...]:
    if size <= lo:
        return (slice(0, size),)
    return tuple(slice(i, i + n) for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1))
