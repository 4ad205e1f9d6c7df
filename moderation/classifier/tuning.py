"""Learning from moderators on top of a hashed model: adjust its weights, keep its features.

The shipped model is trained on public data sets that do not ship with the project, so a model
retrained from the seed corpus and the moderators' labels alone would forget them. Instead a
model is *tuned*: each head's weights move by ``Δ`` fitted on the labelled examples, with the
current model's log-odds as a fixed offset and an L2 penalty on ``Δ`` — so the model changes only
as far as the examples demand, and where they say nothing it stays as it was. The features are
the model's own hashed n-grams (no vocabulary is needed to compute them); n-grams the model does
not know cannot gain a weight, which is the price of a model file that holds no text. Intercepts
stay: moderators see escalated and reported messages, a sample far richer in positives than the
traffic, and fitting the intercept on it would move every message's score.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np
from scipy import optimize, sparse

from moderation.classifier.kernels import _build_table, _char_wb_hits, _word_hits
from moderation.classifier.lean import HashedBlock, _code_points, _word_chars
from moderation.classifier.linear import HEADS, MAX_CHARS, Classifier
from moderation.classifier.metrics import LABELS
from moderation.errors import ModelError
from moderation.normalize import normalize

__all__ = ["DEFAULT_C", "features", "tune"]

# Inverse penalty on Δ, per head, as in training (liblinear's objective: C · Σ loss + ½‖Δ‖²).
DEFAULT_C = {"spam": 4.0, "toxicity": 0.5, "negativity": 4.0}
_CHAR_WB = 0


def features(clf: Classifier, normalized_texts: Sequence[str]) -> sparse.csr_matrix:
    """The rows ``x`` the model's scoring loop sums over, as a sparse matrix (one column per hash).

    ``features(clf, texts) @ W + b`` equals the model's log-odds, where ``W[:, h]`` is each
    block's ``rows[:, h] / idf``.
    """
    lean = clf._lean
    if lean is None:
        raise ModelError("only hashed (TF-IDF char_wb/word) models can be tuned")
    is_word = _word_chars()
    tables = [_build_table(np.ascontiguousarray(b.hashes, dtype=np.uint64)) for b in lean.blocks]
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    for text in normalized_texts:
        text = text[:MAX_CHARS]
        offset = 0
        for bi, block in enumerate(lean.blocks):
            kind, lo, hi, additive, sublinear, min_length, lower = (int(v) for v in block.params)
            cp = _code_points(" ".join((text.lower() if lower else text).split()))
            keys, slots = tables[bi]
            hits = np.empty((hi - lo + 1) * (2 * len(cp) + 3), dtype=np.int32)
            if kind == _CHAR_WB:
                found = _char_wb_hits(cp, lo, hi, keys, slots, hits)
            else:
                found = _word_hits(cp, lo, hi, min_length, is_word, keys, slots, hits)
            if found:
                idx, counts = np.unique(hits[:found], return_counts=True)
                idf = np.sqrt(block.rows[idx, -1].astype(np.float64))
                if additive:
                    values = counts * idf / math.sqrt(float(np.sum(counts * idf * idf)))
                else:
                    tf = 1.0 + np.log(counts) if sublinear else counts.astype(np.float64)
                    values = tf * idf / math.sqrt(float(np.sum((tf * idf) ** 2)))
                cols.extend((idx + offset).tolist())
                data.extend(values.tolist())
            offset += len(block.hashes)
        indptr.append(len(cols))
    return sparse.csr_matrix((data, cols, indptr), shape=(len(normalized_texts), lean.n_features))


def _anchors(heads: set[str], n: int) -> dict[str, list[tuple[str, int]]]:
    """A fixed sample of ``n`` normalised seed rows ``(text, y)`` per head."""
    if n <= 0 or not heads:
        return {}
    from moderation.classifier.training import seed_examples

    out: dict[str, list[tuple[str, int]]] = {h: [] for h in heads}
    for text, label in seed_examples():
        head, y = LABELS[label]
        if head in out:
            out[head].append((text, y))
    rng = random.Random(0)
    return {h: [(normalize(t), y) for t, y in rng.sample(rows, min(n, len(rows)))] for h, rows in out.items()}


def _weights(clf: Classifier) -> np.ndarray:
    """``(n_features, heads)`` weights ``rows / idf`` of every block, stacked."""
    parts = []
    for block in clf._lean.blocks:
        rows = np.asarray(block.rows, dtype=np.float64)
        idf = np.sqrt(rows[:, -1])
        parts.append(rows[:, :-1] / np.where(idf > 0, idf, 1.0)[:, None])
    return np.vstack(parts)


def _fit_delta(
    x: sparse.csr_matrix, y: np.ndarray, offset: np.ndarray, sw: np.ndarray, c: float
) -> np.ndarray:
    """``argmin_Δ  c · Σ sw · logloss(y, offset + xΔ) + ½‖Δ‖²`` (L-BFGS)."""
    sign = 2.0 * y - 1.0
    xt = x.T.tocsr()

    def objective(delta: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (offset + x @ delta)
        loss = np.logaddexp(0.0, -margin)
        grad_margin = -sign * sw * np.exp(-np.logaddexp(0.0, margin))  # d loss / d z
        value = c * float(np.sum(sw * loss)) + 0.5 * float(delta @ delta)
        return value, c * (xt @ grad_margin) + delta

    start = np.zeros(x.shape[1])
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return result.x


def tune(
    base: Classifier,
    examples: Iterable[tuple[str, str]],
    *,
    example_weight: float = 1.0,
    C: dict[str, float] | None = None,
    anchors: int = 5000,
) -> Classifier:
    """A new classifier: ``base`` with each head's weights adjusted to labelled examples.

    Args:
        base: a hashed model (the shipped one, usually).
        examples: ``(raw text, label)`` pairs (spam/ham, toxic/ok, negative/neutral); the last label
            given for a normalised text wins, as in training. ``counts`` in the metadata are the
            distinct texts per head; ``training_data.extra_examples`` the pairs given.
        example_weight: sample weight of each example.
        C: inverse penalty per head (default :data:`DEFAULT_C`).
        anchors: seed-corpus rows (with their own labels, weight 1) added to each tuned head, a
            fixed sample. Moderators label escalated and reported messages, nearly all positives;
            fitted on those alone, the weights of everyday words rise with them and ordinary
            messages drift towards spam (replayed: 13 % false positives after five rounds without
            anchors). The seed rows hold everyday messages where they are.

    Returns:
        The tuned classifier; its metadata records the base version and the example counts.

    Raises:
        ModelError: an unknown label, or a base model without hashed features.
    """
    if base._lean is None:
        raise ModelError("only hashed (TF-IDF char_wb/word) models can be tuned")
    c_by_head = {**DEFAULT_C, **(C or {})}
    by_head: dict[str, dict[str, int]] = {h: {} for h in HEADS}
    given = 0
    for text, label in examples:
        given += 1
        try:
            head, y = LABELS[label.strip().lower()]
        except KeyError:
            raise ModelError(f"unknown label {label!r}; use one of {', '.join(LABELS)}") from None
        norm = normalize(text)
        if norm:
            by_head[head][norm] = y
    anchor_rows = _anchors({h for h, rows in by_head.items() if rows}, anchors)
    weights = _weights(base)
    counts = {}
    for i, head in enumerate(HEADS):
        rows = by_head[head]
        counts[head] = len(rows)
        if not rows:
            continue
        anchored = {t: y for t, y in anchor_rows.get(head, []) if t not in rows}
        texts = list(rows) + list(anchored)
        x = features(base, texts)
        offset = np.asarray(x @ weights[:, i]).ravel() + base.intercepts[i]
        y = np.array([rows[t] for t in rows] + list(anchored.values()), dtype=np.float64)
        sw = np.array([float(example_weight)] * len(rows) + [1.0] * len(anchored))
        weights[:, i] += _fit_delta(x, y, offset, sw, c_by_head[head])
    blocks = []
    start = 0
    for block in base._lean.blocks:
        n = len(block.hashes)
        rows = np.asarray(block.rows, dtype=np.float64).copy()
        idf = np.sqrt(rows[:, -1])
        rows[:, :-1] = weights[start : start + n] * idf[:, None]
        blocks.append(HashedBlock(block.params, block.hashes, rows))
        start += n
    now = datetime.now(UTC)
    lines = sorted(f"{h}\t{y}\t{t}" for h in HEADS for t, y in by_head[h].items())
    fingerprint = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    meta = dict(base.metadata)
    meta.update(
        {
            "version": f"{now:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}",
            "created_at": now.isoformat(timespec="seconds"),
            "tuned_from": base.version,
            "tuning": {
                "C": c_by_head,
                "example_weight": example_weight,
                "examples": counts,
                "sha256": fingerprint,
            },
        }
    )
    meta.setdefault("training_data", {})
    meta["training_data"] = {**meta["training_data"], "extra_examples": given}
    return Classifier(None, None, base.intercepts, version=meta["version"], metadata=meta, blocks=blocks)
