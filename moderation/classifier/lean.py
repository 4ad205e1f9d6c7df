"""The lean scoring path: fitted TF-IDF blocks reproduced with dict look-ups and a few numpy calls.

``vectorizer.transform([text]) @ W`` costs ~2.5 ms on a one-line chat message, almost all of it
sklearn's per-call overhead (validation, sparse construction, hstack). This module computes the
same numbers directly:

* ``char_wb`` n-grams never cross a whitespace-separated word (sklearn pads and slices each word
  on its own), so a word's vocabulary columns are computed once and cached as packed ``int32``
  bytes; a text is then a dict look-up per word and one ``bytes.join``.
* The n-grams of a new word are built by ``map(operator.add, …)`` chains (every loop in C) in
  exactly the order and number sklearn's ``_char_wb_ngrams`` yields them.
* Word n-grams use the vectorizer's own token pattern and sklearn's n-gram order.
* Scoring one text needs only ``x · W`` per block, never ``x``: with the block's columns sorted and
  counted once, ``x · W = (tf·idf) · W / ‖tf·idf‖``, from one gather of a ``[W | idf]`` table.

Anything this module does not reproduce exactly (a preprocessor, stop words, accent stripping,
non-L2 norms, a float32 vectorizer) is refused by :meth:`LeanFeaturizer.supports`, and the caller
falls back to sklearn.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from operator import add, is_not
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize as normalize_rows

__all__ = ["LeanFeaturizer"]

# Distinct words cached per block (oldest out first). Chat vocabulary is Zipfian, so this covers
# nearly every word of a busy chat; an entry is ~0.3 KB, so the cache stays under ~30 MB.
CACHE_WORDS = 100_000
_not_none = partial(is_not, None)


@dataclass(slots=True)
class _Block:
    # "char_wb": every n-gram lies inside one word; "word": tokens never span whitespace, so
    # unigrams are per word and only longer n-grams join neighbouring words; "any": sklearn's
    # analyzer on the whole text.
    kind: str
    columns: dict[str, int]  # n-gram → column in the union's output (plain ints)
    idf: np.ndarray
    sublinear: bool
    offset: int  # first column of this block in the union's output
    lowercase: bool
    ngram_range: tuple[int, int]
    analyze: Callable[[str], list[str]]
    token: re.Pattern[str] | None


# Token patterns whose matches never contain whitespace and whose word boundaries at a
# whitespace-separated word's edges behave as at the text's edges: r"\b\w+\b" is the one
# ``build_vectorizer`` uses, the other is sklearn's default.
_WORD_LOCAL_PATTERNS = frozenset({r"(?u)\b\w+\b", r"(?u)\b\w\w+\b"})


class LeanFeaturizer:
    """TF-IDF features identical to ``FeatureUnion.transform`` without sklearn's per-call cost.

    Only for a union of fitted ``TfidfVectorizer`` blocks with L2 norm; use :meth:`supports`.
    Everything that depends on one whitespace-separated word alone (its ``char_wb`` columns, its
    tokens and their unigram columns) is computed once per word and cached.
    """

    def __init__(self, vectorizer: FeatureUnion) -> None:
        blocks = []
        offset = 0
        for _, vec in vectorizer.transformer_list:
            plain = vec.preprocessor is None and not vec.strip_accents and vec.input == "content"
            kind = "any"
            if plain and vec.analyzer == "char_wb":
                kind = "char_wb"
            elif (
                plain
                and vec.analyzer == "word"
                and vec.tokenizer is None
                and vec.stop_words is None
                and vec.token_pattern in _WORD_LOCAL_PATTERNS
            ):
                kind = "word"
            blocks.append(
                _Block(
                    kind=kind,
                    columns={term: int(j) + offset for term, j in vec.vocabulary_.items()},
                    idf=np.asarray(vec.idf_, dtype=np.float64),
                    sublinear=bool(vec.sublinear_tf),
                    offset=offset,
                    lowercase=bool(vec.lowercase),
                    ngram_range=tuple(vec.ngram_range),
                    analyze=vec.build_analyzer(),
                    token=re.compile(vec.token_pattern) if kind == "word" else None,
                )
            )
            offset += len(vec.vocabulary_)
        self._blocks = tuple(blocks)
        self._word_blocks = tuple(b for b in blocks if b.kind == "word")
        self._text_blocks = tuple(b for b in blocks if b.kind == "any")
        self._starts = [b.offset for b in blocks[1:]]
        # word → (its packed columns, then its tokens per word block joined by spaces). Only bytes
        # and str, so the garbage collector stops tracking an entry at once: 100k entries of nested
        # tuples made every full collection several times slower.
        self._cache: OrderedDict[str, tuple[bytes | str, ...]] = OrderedDict()
        self.n_features = offset
        self.idf = np.concatenate([b.idf for b in blocks]) if blocks else np.empty(0)

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True when ``vectorizer`` is a fitted union of L2-normalised float64 TF-IDF blocks."""
        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(
            isinstance(v, TfidfVectorizer)
            and v.norm == "l2"
            and v.use_idf
            and not v.binary
            and isinstance(v.analyzer, str)
            and np.dtype(v.dtype) == np.float64
            and hasattr(v, "idf_")
            for _, v in vectorizer.transformer_list
        )

    def columns(self, text: str) -> np.ndarray:
        """Union column of every in-vocabulary n-gram of ``text``, repeats included (int32)."""
        return np.frombuffer(b"".join(self._parts(text)), dtype=np.int32)

    def project(self, text: str, table: np.ndarray) -> list[float]:
        """``x · table[:, :-1]`` for the text's TF-IDF row ``x``; ``table[:, -1]`` must be the IDF.

        Each block is L2-normalised on its own, exactly as ``TfidfTransformer`` does.
        """
        width = table.shape[1] - 1
        idx = self.columns(text)
        n = idx.size
        if n == 0:
            return [0.0] * width
        # Distinct columns and their counts by hand: np.unique's wrapper costs more than the sort.
        s = np.sort(idx)
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(s[1:], s[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.empty(starts.size, dtype=np.float64)
        counts[:-1] = starts[1:] - starts[:-1]
        counts[-1] = n - starts[-1]
        cols = s.take(starts)
        rows = table.take(cols, axis=0)
        out = np.zeros(width)
        edges = [0, *cols.searchsorted(self._starts).tolist(), cols.size]
        for b, lo, hi in zip(self._blocks, edges, edges[1:], strict=False):
            if hi == lo:
                continue
            tf = counts[lo:hi]
            if b.sublinear:
                tf = np.log(tf)
                tf += 1.0
            block = rows[lo:hi]
            v = tf * block[:, width]
            out += (v @ block[:, :width]) / math.sqrt(v @ v)
        return out.tolist()

    def matrix(self, texts: list[str]) -> csr_matrix:
        """``(len(texts), n_features)`` CSR matrix, equal to ``vectorizer.transform(texts)``.

        Vectorised over the batch: one COO → CSR conversion sums the repeated columns of every
        text at once, then TF weighting, IDF and the row L2 norm are array operations.
        """
        n = len(texts)
        cols = [self.columns(t) for t in texts]
        lengths = np.fromiter(map(len, cols), dtype=np.intp, count=n)
        rows = np.repeat(np.arange(n, dtype=np.intp), lengths)
        allcols = np.concatenate(cols) if cols else np.empty(0, dtype=np.int32)
        m = coo_matrix((np.ones(allcols.size), (rows, allcols)), shape=(n, self.n_features)).tocsr()
        blocks = []
        for b in self._blocks:
            part = m[:, b.offset : b.offset + b.idf.size]
            if b.sublinear:
                np.log(part.data, out=part.data)
                part.data += 1.0
            part.data *= b.idf[part.indices]
            blocks.append(normalize_rows(part, norm="l2", copy=False))
        return hstack(blocks, format="csr")

    def _parts(self, text: str) -> list[bytes]:
        cache = self._cache
        words = text.split()
        entries = list(map(cache.get, words))
        if None in entries:
            for i, got in enumerate(entries):
                if got is None:
                    got = entries[i] = self._word_entry(words[i])
                    while len(cache) >= CACHE_WORDS:
                        cache.popitem(last=False)
                    cache[words[i]] = got
        parts = [e[0] for e in entries]
        for k, b in enumerate(self._word_blocks):
            lo, hi = b.ngram_range
            if hi >= 2:
                tokens = " ".join([e[k + 1] for e in entries]).split()  # type: ignore[misc]
                parts.append(_pack(b, _joined_ngrams(tokens, max(lo, 2), hi)))
        for b in self._text_blocks:
            parts.append(_pack(b, b.analyze(text)))
        return parts

    def _word_entry(self, word: str) -> tuple[bytes | str, ...]:
        """A word's own columns (char_wb n-grams, word unigrams) and its tokens per word block."""
        parts = []
        tokens = []
        for b in self._blocks:
            w = word.lower() if b.lowercase else word
            if b.kind == "char_wb":
                lo, hi = b.ngram_range
                parts.append(_pack(b, _char_wb_ngrams(f" {w} ", lo, hi)))
            elif b.kind == "word":
                assert b.token is not None
                found = b.token.findall(w)
                tokens.append(" ".join(found))  # tokens hold no whitespace
                if b.ngram_range[0] == 1:
                    parts.append(_pack(b, found))
        return (b"".join(parts), *tokens)


def _pack(b: _Block, grams: Iterable[str]) -> bytes:
    """The union columns of the in-vocabulary ``grams``, packed as native int32 (C ``int``)."""
    # array() from a list is ~2x faster than from an iterator.
    return array("i", list(filter(_not_none, map(b.columns.get, grams)))).tobytes()


def _char_wb_ngrams(w: str, lo: int, hi: int) -> list[str]:
    """sklearn's ``_char_wb_ngrams`` for one space-padded word: same n-grams, same multiplicity.

    sklearn slides each length over the word; a word no longer than ``n`` yields itself once and
    stops. Here each length is the previous one extended by one character (``map(add)`` in C).
    """
    size = len(w)
    if size <= lo:
        return [w]
    grams = list(w) if lo == 1 else []
    g: Any = w
    for n in range(2, hi + 1):
        g = list(map(add, g, w[n - 1 :]))
        if n >= lo:
            grams += g
        if n >= size:
            break
    return grams


def _joined_ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    """sklearn's word n-grams of lengths ``lo``..``hi`` (≥ 2): neighbouring tokens joined by a space."""
    grams: list[str] = []
    join = " ".join
    for n in range(lo, min(hi, len(tokens)) + 1):
        grams += map(join, zip(*(tokens[i:] for i in range(n)), strict=False))
    return grams
