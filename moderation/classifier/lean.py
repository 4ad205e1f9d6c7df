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
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
from numba import njit

__all__ = ["HashedBlock", "LeanScorer"]

_log = logging.getLogger(__name__)

# Token patterns whose matches are exactly the maximal runs of ``\w`` at least this long.
_TOKEN_MIN_LENGTH = {r"(?u)\b\w+\b": 1, r"(?u)\b\w\w+\b": 2}

_CHAR_WB, _WORD = 0, 1
_FNV_BASIS = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_SPACE = 32
_EMPTY = -1


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
    """``x · W`` for hashed ``char_wb`` and word TF-IDF blocks (see :meth:`supports`)."""

    def __init__(self, blocks: Sequence[HashedBlock]) -> None:
        if not blocks:
            raise ValueError("a model needs at least one feature block")
        self.heads = blocks[0].rows.shape[1] - 1
        self.blocks = tuple(blocks)
        tables = []
        for b in self.blocks:
            if b.params.shape != (7,) or b.rows.shape != (len(b.hashes), self.heads + 1):
                raise ValueError(
                    f"a block has params {b.params.shape}, rows {b.rows.shape}, {len(b.hashes)} hashes"
                )
            if len(np.unique(b.hashes)) != len(b.hashes):  # would make two n-grams one
                raise ValueError("two n-grams of a block share a 64-bit hash")
            keys, slots = _build_table(np.ascontiguousarray(b.hashes, dtype=np.uint64))
            rows = np.ascontiguousarray(b.rows, dtype=np.float64)
            tables.append(
                (bool(b.params[6]), np.ascontiguousarray(b.params[:6], dtype=np.int64), keys, slots, rows)
            )
        self._tables = tuple(tables)
        self.n_features = sum(len(b.hashes) for b in self.blocks)
        self._word_chars = _word_chars()
        self.dots("warm up")  # compiles (or loads the cached compilation) now, not on a message

    @classmethod
    def from_vectorizer(cls, vectorizer: Any, weights: np.ndarray) -> LeanScorer:
        """Hash a fitted vectorizer's vocabulary (the strings are not kept) with its weights."""
        return cls(hashed_blocks(vectorizer, weights))

    @staticmethod
    def supports(vectorizer: Any) -> bool:
        """True for a fitted union of blocks this module reproduces exactly."""
        from sklearn.pipeline import FeatureUnion

        if not isinstance(vectorizer, FeatureUnion) or vectorizer.transformer_weights:
            return False
        return all(_supported(v) for _, v in vectorizer.transformer_list)

    def dots(self, text: str) -> list[float]:
        """``x · W`` (one value per head) for the text's row ``x`` of the union."""
        out = np.zeros(self.heads)
        points: dict[bool, np.ndarray] = {}
        for lower, params, keys, slots, rows in self._tables:
            cp = points.get(lower)
            if cp is None:
                # Words joined by single spaces: char_wb's words and \w runs are unchanged by it.
                words = " ".join((text.lower() if lower else text).split())
                cp = points[lower] = _code_points(words)
            _block_dots(cp, params, keys, slots, rows, self._word_chars, out)
        return out.tolist()


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


# --- the compiled kernels -------------------------------------------------------------------


_uncached: list[str] = []  # kernels compiled without numba's disk cache


def _compiled(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``njit`` with numba's on-disk cache, or without it where no cache directory is writable.

    numba refuses to create a cached function when neither the source's ``__pycache__`` nor the
    user's cache directory can be written (a read-only file system); the loops are then compiled
    at every start (~4 s) instead of making the classifier impossible to import.
    """

    def wrap(fn: Callable[..., Any]) -> Any:
        try:
            return njit(cache=True, **options)(fn)
        except RuntimeError as exc:
            if not _uncached:
                _log.warning(
                    "the classifier's scoring loops are compiled at every start (%s); "
                    "set NUMBA_CACHE_DIR to a writable directory to keep them",
                    exc,
                )
            _uncached.append(fn.__name__)
            return njit(**options)(fn)

    return wrap


@_compiled(inline="always")
def _step(h: np.uint64, c: np.uint32) -> np.uint64:
    return (h ^ np.uint64(c)) * _FNV_PRIME


@_compiled(inline="always")
def _slot(h: np.uint64, mask: np.uint64) -> int:
    # murmur3's finaliser spreads the high bits of an FNV hash into the low bits used as index
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return np.int64(h & mask)


@_compiled()
def _hash_terms(cp: np.ndarray, ends: np.ndarray) -> np.ndarray:
    out = np.empty(len(ends), dtype=np.uint64)
    start = 0
    for t in range(len(ends)):
        h = _FNV_BASIS
        for i in range(start, ends[t]):
            h = _step(h, cp[i])
        out[t] = h
        start = ends[t]
    return out


@_compiled()
def _build_table(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    size = 1
    while size < 2 * len(hashes):
        size *= 2
    keys = np.zeros(size, dtype=np.uint64)
    slots = np.full(size, _EMPTY, dtype=np.int32)
    mask = np.uint64(size - 1)
    for row in range(len(hashes)):
        i = _slot(hashes[row], mask)
        while slots[i] != _EMPTY:
            i = (i + 1) & (size - 1)
        keys[i] = hashes[row]
        slots[i] = row
    return keys, slots


@_compiled(inline="always")
def _find(h: np.uint64, keys: np.ndarray, slots: np.ndarray) -> int:
    mask = np.uint64(len(keys) - 1)
    i = _slot(h, mask)
    while slots[i] != _EMPTY:
        if keys[i] == h:
            return slots[i]
        i = (i + 1) & (len(keys) - 1)
    return _EMPTY


@_compiled()
def _char_wb_hits(
    cp: np.ndarray, lo: int, hi: int, keys: np.ndarray, slots: np.ndarray, hits: np.ndarray
) -> int:
    """Rows of the text's char_wb n-grams: words are runs between single spaces, padded with one."""
    found = 0
    n = len(cp)
    start = 0
    while start < n:
        end = start
        while end < n and cp[end] != _SPACE:
            end += 1
        size = end - start + 2  # the padded word: " " + cp[start:end] + " "
        shortest = min(lo, size)  # a word shorter than every n-gram counts once, whole
        for i in range(size - shortest + 1):  # every n-gram starting at padded position i
            h = _FNV_BASIS
            for length in range(1, min(hi, size - i) + 1):
                j = i + length - 1
                c = _SPACE if j == 0 or j == size - 1 else cp[start + j - 1]
                h = _step(h, c)
                if length >= shortest:
                    row = _find(h, keys, slots)
                    if row != _EMPTY:
                        hits[found] = row
                        found += 1
        start = end + 1
    return found


@_compiled()
def _word_hits(
    cp: np.ndarray, lo: int, hi: int, min_length: int, is_word: np.ndarray,
    keys: np.ndarray, slots: np.ndarray, hits: np.ndarray,
) -> int:  # fmt: skip
    """Rows of the text's word n-grams: tokens are maximal runs of \\w, joined by one space."""
    n = len(cp)
    starts = np.empty(n // min_length + 1, dtype=np.int64)
    ends = np.empty(n // min_length + 1, dtype=np.int64)
    tokens = 0
    i = 0
    while i < n:
        if is_word[cp[i]]:
            j = i
            while j < n and is_word[cp[j]]:
                j += 1
            if j - i >= min_length:
                starts[tokens] = i
                ends[tokens] = j
                tokens += 1
            i = j
        else:
            i += 1
    found = 0
    for first in range(tokens):
        h = _FNV_BASIS
        for length in range(1, min(hi, tokens - first) + 1):
            t = first + length - 1
            if length > 1:
                h = _step(h, _SPACE)
            for k in range(starts[t], ends[t]):
                h = _step(h, cp[k])
            if length >= lo:
                row = _find(h, keys, slots)
                if row != _EMPTY:
                    hits[found] = row
                    found += 1
    return found


@_compiled()
def _block_dots(
    cp: np.ndarray, params: np.ndarray, keys: np.ndarray, slots: np.ndarray, rows: np.ndarray,
    is_word: np.ndarray, out: np.ndarray,
) -> None:  # fmt: skip
    """Add the block's ``x · W`` for the text's code points to ``out``."""
    kind, lo, hi, additive, sublinear, min_length = params
    hits = np.empty((hi - lo + 1) * (2 * len(cp) + 3), dtype=np.int32)  # ≥ the n-grams formed
    if kind == _CHAR_WB:
        found = _char_wb_hits(cp, lo, hi, keys, slots, hits)
    else:
        found = _word_hits(cp, lo, hi, min_length, is_word, keys, slots, hits)
    if found == 0:
        return
    heads = rows.shape[1] - 1
    dots = np.zeros(heads)
    squares = 0.0
    if additive:  # Σ count·idf·W / sqrt(Σ count·idf²): every occurrence adds its row
        for r in hits[:found]:
            for h in range(heads):
                dots[h] += rows[r, h]
            squares += rows[r, heads]
    else:  # L2: each distinct n-gram once, weighted by its tf
        ordered = np.sort(hits[:found])
        i = 0
        while i < found:
            j = i
            while j < found and ordered[j] == ordered[i]:
                j += 1
            tf = 1.0 + math.log(j - i) if sublinear else float(j - i)
            r = ordered[i]
            for h in range(heads):
                dots[h] += tf * rows[r, h]
            squares += tf * tf * rows[r, heads]
            i = j
    scale = 1.0 / math.sqrt(squares)
    for h in range(heads):
        out[h] += dots[h] * scale
