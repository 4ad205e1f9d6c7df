"""The numba-compiled loops of the lean scoring path (``moderation.classifier.lean``).

Imported only when a model is scored with them: importing numba and loading the cached loops
takes most of a second, which ``dozor check`` (one text) does not need to spend.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

_log = logging.getLogger(__name__)

_CHAR_WB = 0
_FNV_BASIS = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_SPACE = 32
_EMPTY = -1

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
