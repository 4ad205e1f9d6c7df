"""The lean scoring path: a fitted vectorizer's ``x · W`` computed by one compiled loop per block.

``vectorizer.transform([text]) @ W`` costs milliseconds per chat message, almost all of it
sklearn's per-call overhead, and the same arithmetic in pure Python costs about 20 µs for every
word a process has not seen before. Here each block of the union is a hash table from n-gram to
its row ``(idf·W for each head, idf²)``, and a numba-compiled loop walks the text's code points,
hashes its n-grams as sklearn would form them, looks them up and sums the rows:

* ``char_wb`` n-grams: each whitespace-separated word padded with one space, every length in the
  block's range (a word shorter than the smallest length counts once, whole);
* word n-grams: the maximal runs of ``\\w`` (the token patterns ``\\b\\w+\\b`` and
  ``\\b\\w\\w+\\b``), joined by single spaces.

A block is either additive (``AdditiveTfidfVectorizer``: ``Σ count·idf / sqrt(Σ count·idf²)``) or
L2-normalised with raw or sublinear tf, computed exactly from the n-gram counts. Anything else is
refused by :meth:`LeanScorer.supports`, and the caller uses sklearn.

N-grams are compared by a 64-bit FNV-1a hash of their code points; the vocabulary is checked for
collisions when the table is built. A text's n-gram outside the vocabulary matches a vocabulary
hash with probability about ``vocabulary size / 2**64`` (≈ 10⁻¹⁴ per n-gram).
"""

from __future__ import annotations

import logging
import math
import re
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np

__all__ = ["HashedBlock", "LeanScorer"]

_log = logging.getLogger(__name__)

# Token patterns whose matches are exactly the maximal runs of ``\w`` at least this long.
_TOKEN_MIN_LENGTH = {r"(?u)\b\w+\b": 1, r"(?u)\b\w\w+\b": 2}

_CHAR_WB, _WORD = 0, 1
_FNV_BASIS = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1
_SPACE = 32
_WORD_RUN = re.compile(r"\w+")


class HashedBlock(NamedTuple):
    """One feature block as the model file stores it: n-gram hashes and their rows, no strings.

    Attributes:
        params: int64 ``[kind (0 char_wb, 1 word), lo, hi, additive, sublinear, min token length,
            lowercase]``.
        hashes: uint64 FNV-1a hash of each n-gram's code points.
        rows: ``(n, heads + 1)``: ``idf · w`` for each head, then ``idf²``.
    """

    params: np.ndarray
    hashes: np.ndarray
    rows: np.ndarray


class LeanScorer:
    """``x · W`` for hashed ``char_wb`` and word TF-IDF blocks (see :meth:`supports`).

    Args:
        blocks: the model's feature blocks.
        compiled: score with the numba-compiled loops (``kernels``: ~20 µs a message, but
            importing numba and loading the cached loops costs most of a second). ``False`` scores
            with the same arithmetic in plain Python (~1-2 ms a message, nothing to load): for a
            command that scores one text.
    """

    def __init__(self, blocks: Sequence[HashedBlock], *, compiled: bool = True) -> None:
        if not blocks:
            raise ValueError("a model needs at least one feature block")
        self.heads = blocks[0].rows.shape[1] - 1
        self.blocks = tuple(blocks)
        self.compiled = compiled
        for b in self.blocks:
            if b.params.shape != (7,) or b.rows.shape != (len(b.hashes), self.heads + 1):
                raise ValueError(
                    f"a block has params {b.params.shape}, rows {b.rows.shape}, {len(b.hashes)} hashes"
                )
            if len(np.unique(b.hashes)) != len(b.hashes):  # would make two n-grams one
                raise ValueError("two n-grams of a block share a 64-bit hash")
        self.n_features = sum(len(b.hashes) for b in self.blocks)
        if compiled:
            from moderation.classifier import kernels

            self._kernels = kernels
            tables = []
            for b in self.blocks:
                keys, slots = kernels._build_table(np.ascontiguousarray(b.hashes, dtype=np.uint64))
                rows = np.ascontiguousarray(b.rows, dtype=np.float64)
                params = np.ascontiguousarray(b.params[:6], dtype=np.int64)
                tables.append((bool(b.params[6]), params, keys, slots, rows))
            self._tables = tuple(tables)
            self._word_chars = _word_chars()
        else:
            self._py_tables = tuple(
                (
                    bool(b.params[6]),
                    [int(v) for v in b.params[:6]],
                    dict(zip(b.hashes.tolist(), range(len(b.hashes)), strict=True)),
                    np.asarray(b.rows, dtype=np.float64),
                )
                for b in self.blocks
            )
        self.dots("warm up")  # compiles (or loads the cached compilation) now, not on a message

    @classmethod
    def from_vectorizer(cls, vectorizer: Any, weights: np.ndarray, *, compiled: bool = True) -> LeanScorer:
        """Hash a fitted vectorizer's vocabulary (the strings are not kept) with its weights."""
        return cls(hashed_blocks(vectorizer, weights), compiled=compiled)

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True for a fitted union of blocks this module reproduces exactly."""
        from sklearn.pipeline import FeatureUnion

        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(_supported(v) for _, v in vectorizer.transformer_list)

    def dots(self, text: str) -> list[float]:
        """``x · W`` (one value per head) for the text's row ``x`` of the union."""
        if not self.compiled:
            return _py_dots(self._py_tables, text, self.heads)
        out = np.zeros(self.heads)
        points: dict[bool, np.ndarray] = {}
        for lower, params, keys, slots, rows in self._tables:
            cp = points.get(lower)
            if cp is None:
                # Words joined by single spaces: char_wb's words and \w runs are unchanged by it.
                words = " ".join((text.lower() if lower else text).split())
                cp = points[lower] = _code_points(words)
            self._kernels._block_dots(cp, params, keys, slots, rows, self._word_chars, out)
        return out.tolist()


def _py_dots(tables: tuple, text: str, heads: int) -> list[float]:
    """The compiled loops' arithmetic in plain Python (``kernels._block_dots``), hit for hit."""
    out = [0.0] * heads
    for lower, (kind, lo, hi, additive, sublinear, min_length), table, rows in tables:
        words = " ".join((text.lower() if lower else text).split())
        hits = (
            _py_char_wb_hits(words, lo, hi, table)
            if kind == _CHAR_WB
            else _py_word_hits(words, lo, hi, min_length, table)
        )
        if not hits:
            continue
        dots = [0.0] * heads
        squares = 0.0
        if additive:
            for r in hits:
                row = rows[r]
                for h in range(heads):
                    dots[h] += row[h]
                squares += row[heads]
        else:
            ordered = sorted(hits)
            i = 0
            while i < len(ordered):
                j = i
                while j < len(ordered) and ordered[j] == ordered[i]:
                    j += 1
                tf = 1.0 + math.log(j - i) if sublinear else float(j - i)
                row = rows[ordered[i]]
                for h in range(heads):
                    dots[h] += tf * row[h]
                squares += tf * tf * row[heads]
                i = j
        scale = 1.0 / math.sqrt(squares)
        for h in range(heads):
            out[h] += dots[h] * scale
    return out


def _py_char_wb_hits(words: str, lo: int, hi: int, table: dict[int, int]) -> list[int]:
    hits = []
    for word in words.split(" ") if words else ():
        padded = [_SPACE, *map(ord, word), _SPACE]
        size = len(padded)
        shortest = min(lo, size)
        for i in range(size - shortest + 1):
            h = _FNV_BASIS
            for length in range(1, min(hi, size - i) + 1):
                h = ((h ^ padded[i + length - 1]) * _FNV_PRIME) & _MASK
                if length >= shortest:
                    row = table.get(h)
                    if row is not None:
                        hits.append(row)
    return hits


def _py_word_hits(words: str, lo: int, hi: int, min_length: int, table: dict[int, int]) -> list[int]:
    tokens = [tok for tok in _WORD_RUN.findall(words) if len(tok) >= min_length]
    hits = []
    for first in range(len(tokens)):
        h = _FNV_BASIS
        for length in range(1, min(hi, len(tokens) - first) + 1):
            if length > 1:
                h = ((h ^ _SPACE) * _FNV_PRIME) & _MASK
            for ch in tokens[first + length - 1]:
                h = ((h ^ ord(ch)) * _FNV_PRIME) & _MASK
            if length >= lo:
                row = table.get(h)
                if row is not None:
                    hits.append(row)
    return hits


def hashed_blocks(vectorizer: Any, weights: np.ndarray) -> list[HashedBlock]:
    """The :class:`HashedBlock` of each block of a fitted union that :meth:`LeanScorer.supports`."""
    blocks = []
    offset = 0
    for _, vec in vectorizer.transformer_list:
        size = len(vec.vocabulary_)
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        idf = np.asarray(vec.idf_, dtype=np.float64)
        rows = np.column_stack([weights[offset : offset + size] * idf[:, None], idf * idf])
        ends = np.cumsum([len(t) for t in terms], dtype=np.int64)
        from moderation.classifier.kernels import _hash_terms

        hashes = _hash_terms(_code_points("".join(terms)), ends)
        blocks.append(HashedBlock(_params(vec), hashes, np.ascontiguousarray(rows)))
        offset += size
    if offset != weights.shape[0]:
        raise ValueError(f"the vectorizer has {offset} features, the weights {weights.shape[0]}")
    return blocks


def _supported(v: Any) -> bool:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from moderation.classifier.features import AdditiveTfidfVectorizer

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
    additive = isinstance(v, AdditiveTfidfVectorizer)
    norm_ok = v.norm is None and not v.sublinear_tf if additive else v.norm == "l2"
    if v.analyzer == "char_wb":
        return plain and norm_ok
    return (
        plain
        and norm_ok
        and v.analyzer == "word"
        and v.tokenizer is None
        and v.stop_words is None
        and v.token_pattern in _TOKEN_MIN_LENGTH
    )


def _params(vec: Any) -> np.ndarray:
    from moderation.classifier.features import AdditiveTfidfVectorizer

    lo, hi = vec.ngram_range
    return np.array(
        [
            _CHAR_WB if vec.analyzer == "char_wb" else _WORD,
            lo,
            hi,
            isinstance(vec, AdditiveTfidfVectorizer),
            bool(vec.sublinear_tf),
            _TOKEN_MIN_LENGTH.get(vec.token_pattern, 1),
            bool(vec.lowercase),
        ],
        dtype=np.int64,
    )


def _code_points(text: str) -> np.ndarray:
    # surrogatepass: a lone surrogate (possible in a Python str) is one code point like any other
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# Above the Supplementary Ideographic Plane no code point is a word character: planes 4-13 are
# unassigned, 14 holds tags and variation selectors, 15-16 private use (a test checks it against
# the whole range), so the table is built from the first four planes only: 0.07 s instead of 0.3.
_LAST_WORD_PLANE_END = 0x40000


@cache
def _word_chars() -> np.ndarray:
    """``True`` for each code point that ``re``'s ``\\w`` matches (built once)."""
    table = np.zeros(sys.maxunicode + 1, dtype=np.bool_)
    every = "".join(map(chr, range(_LAST_WORD_PLANE_END)))
    for m in re.finditer(r"\w+", every):
        table[m.start() : m.end()] = True
    return table
