"""Training: seed corpus + extra labelled examples → a :class:`Classifier` and held-out metrics."""

from __future__ import annotations

import csv
import hashlib
import inspect
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

import moderation.normalize as normalize_module
from moderation.classifier.features import build_vectorizer, n_features
from moderation.classifier.linear import HEADS, Classifier
from moderation.classifier.metrics import LABELS, binary_report, split_by_head
from moderation.errors import ModelError
from moderation.normalize import normalize

# Pipelines compared in benchmarks/classifier_bench.py: "<vectorizer>-<head>".
PIPELINES = ("tfidf-lr", "tfidf-svc", "tfidf-cnb", "tfidf-mnb", "hash-lr", "lemma-lr")
DEFAULT_PIPELINE = "tfidf-lr"
FORMAT = 2  # the hashed model file (storage.FORMAT)
# Measured on the public sets (README.md): toxicity generalises better with stronger regularisation
# (C=0.5 ranks ru_toxic ~0.007 better than 1.0; 0.3-0.4 gain <0.003 more and bring obvious insults
# close to the engine's 0.85-0.9 toxicity thresholds).
DEFAULT_C = {"spam": 4.0, "toxicity": 0.5, "negativity": 4.0}
# Heads whose "lr" model is averaged with multinomial naive Bayes (_lr_nb_blend). Measured on the
# public sets (README.md): toxicity ROC-AUC on ru_toxic 0.897 → 0.903, davidson 0.825 → 0.835; for
# spam the blend ranks monalenka worse (0.931 → 0.925), so spam and negativity stay plain LR.
NB_BLEND = frozenset({"toxicity"})
CLASS_WEIGHT: str | None = None  # the corpus class ratio is a sensible prior: most chat is ham


@dataclass(frozen=True, slots=True)
class _Row:
    text: str  # normalised
    y: int
    weight: float


def read_csv(path: str | Path) -> list[tuple[str, str]]:
    """``(text, label)`` rows of a CSV with a ``text,label`` header.

    Raises:
        ModelError: the file is missing, lacks the columns, or holds an unknown label.
    """
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                raise ModelError(f"{path}: expected a CSV header 'text,label', got {reader.fieldnames}")
            rows = [(r["text"] or "", (r["label"] or "").strip().lower()) for r in reader]
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror or exc}") from exc
    bad = sorted({label for _, label in rows if label not in LABELS})
    if bad:
        raise ModelError(f"{path}: unknown labels {bad}; use one of {', '.join(LABELS)}")
    return [(t, label) for t, label in rows if t.strip()]


def seed_examples() -> list[tuple[str, str]]:
    """The project's own seed corpus (moderation/data/seed/*.csv)."""
    folder = resources.files("moderation") / "data" / "seed"
    out: list[tuple[str, str]] = []
    for name in ("spam.csv", "toxicity.csv", "negativity.csv"):
        with resources.as_file(folder / name) as path:
            out += read_csv(path)
    return out


def train(
    examples: Iterable[tuple[str, str] | tuple[str, str, float]] = (),
    *,
    include_seed: bool = True,
    example_weight: float = 3.0,
    pipeline: str = DEFAULT_PIPELINE,
    holdout: float = 0.2,
    refit: bool = True,
    random_state: int = 0,
    C: float | dict[str, float] | None = None,
    heads: tuple[str, ...] = HEADS,
) -> tuple[Classifier, dict[str, Any]]:
    """Train a classifier on the seed corpus plus ``examples``.

    Args:
        examples: extra ``(raw text, label)`` pairs, e.g. moderator decisions; labels are
            spam/ham, toxic/ok, negative/neutral. Raw text is normalised here. A triple
            ``(raw text, label, weight)`` sets that row's weight instead of ``example_weight``.
        include_seed: add the shipped seed corpus.
        example_weight: sample weight of ``examples`` relative to seed rows (1.0). A moderator's
            label also overrides a seed row with the same normalised text.
        pipeline: one of :data:`PIPELINES`.
        holdout: fraction of each head's rows held out for the metrics (0 disables them).
        refit: after measuring, retrain on all rows so the returned model has seen everything.
        random_state: seed for the split and the solvers.
        C: inverse regularisation strength, one value or per head (default :data:`DEFAULT_C`).
        heads: the heads to train (experiments); any other head always scores ~0.

    Returns:
        ``(classifier, metrics)``: metrics is ``{head: binary_report(...)}`` on the held-out split.

    Raises:
        ModelError: unknown pipeline or label, or a head with only one class.
    """
    if not heads or not set(heads) <= set(HEADS):
        raise ModelError(f"heads must be a non-empty subset of {HEADS}, not {heads}")
    if pipeline not in PIPELINES:
        raise ModelError(f"unknown pipeline {pipeline!r}; choose one of {', '.join(PIPELINES)}")
    try:
        examples = list(examples)
        extra = split_by_head((e[0], e[1]) for e in examples)
        extra_weights = _weights_by_head(examples, example_weight)
        seed = split_by_head(seed_examples()) if include_seed else {}
    except ValueError as exc:
        raise ModelError(str(exc)) from exc
    c_by_head = dict(DEFAULT_C)
    c_by_head.update(C if isinstance(C, dict) else {} if C is None else dict.fromkeys(HEADS, C))
    rows = _merge(seed, extra, example_weight, extra_weights)
    rows = {h: (r if h in heads else []) for h, r in rows.items()}
    for head in heads:
        ys = {r.y for r in rows.get(head, [])}
        if ys != {0, 1}:
            raise ModelError(f"no training data for both classes of {head!r}; add labelled examples")

    rng = random.Random(random_state)
    train_rows: dict[str, list[_Row]] = {}
    test_rows: dict[str, list[_Row]] = {}
    for head in heads:
        shuffled = rows[head][:]
        rng.shuffle(shuffled)
        tr, te = _stratified_split(shuffled, holdout)
        train_rows[head], test_rows[head] = tr, te

    metrics: dict[str, Any] = {}
    if holdout > 0:
        measured = _fit(train_rows, pipeline, random_state, c_by_head)
        for i, head in enumerate(HEADS):
            te = test_rows.get(head)
            if not te:
                continue  # too few rows to hold any out
            proba = measured.probabilities([r.text for r in te])[:, i]
            metrics[head] = binary_report([r.y for r in te], proba)
    final_rows = rows if (refit or holdout <= 0) else {h: train_rows.get(h, []) for h in HEADS}
    classifier = _fit(final_rows, pipeline, random_state, c_by_head)
    n_extra = sum(len(texts) for texts, _ in extra.values())
    classifier.metadata.update(_metadata(final_rows, pipeline, c_by_head, example_weight, metrics, n_extra))
    classifier.version = classifier.metadata["version"]
    return classifier, metrics


def _merge(
    seed: dict[str, tuple[list[str], list[int]]],
    extra: dict[str, tuple[list[str], list[int]]],
    weight: float,
    extra_weights: dict[str, list[float]] | None = None,
) -> dict[str, list[_Row]]:
    merged: dict[str, dict[str, _Row]] = {h: {} for h in HEADS}
    for source, w in ((seed, 1.0), (extra, weight)):
        for head, (texts, ys) in source.items():
            weights = (extra_weights or {}).get(head) if source is extra else None
            for i, (text, y) in enumerate(zip(texts, ys, strict=True)):
                norm = normalize(text)
                if norm:
                    merged[head][norm] = _Row(norm, y, weights[i] if weights else w)  # later sources win
    return {h: list(m.values()) for h, m in merged.items()}


def _weights_by_head(examples: list[tuple], default: float) -> dict[str, list[float]]:
    """Each extra example's weight, grouped by head in the order ``split_by_head`` keeps."""
    out: dict[str, list[float]] = {}
    for e in examples:
        head = LABELS[e[1].strip().lower()][0]
        out.setdefault(head, []).append(float(e[2]) if len(e) > 2 else default)
    return out


def _stratified_split(rows: list[_Row], holdout: float) -> tuple[list[_Row], list[_Row]]:
    if holdout <= 0:
        return rows, []
    train: list[_Row] = []
    test: list[_Row] = []
    for y in (0, 1):
        part = [r for r in rows if r.y == y]
        k = min(max(1, round(len(part) * holdout)), len(part) - 1)  # keep one to train on
        test += part[:k]
        train += part[k:]
    return train, test


def _fit(rows: dict[str, list[_Row]], pipeline: str, random_state: int, C: dict[str, float]) -> Classifier:
    kind, head_kind = pipeline.split("-")
    vectorizer = build_vectorizer(kind)
    corpus = sorted({r.text for head in HEADS for r in rows.get(head, [])})
    vectorizer.fit(corpus)
    weights = []
    intercepts = []
    for head in HEADS:
        if not rows.get(head):  # an untrained head: weight 0, probability ~0
            weights.append(np.zeros(n_features(vectorizer)))
            intercepts.append(-20.0)
            continue
        texts = [r.text for r in rows[head]]
        x = vectorizer.transform(texts)
        y = np.array([r.y for r in rows[head]])
        sw = np.array([r.weight for r in rows[head]])
        c = C.get(head, DEFAULT_C[head])
        if head_kind == "lr" and head in NB_BLEND:
            w, b = _lr_nb_blend(x, y, sw, random_state, c)
        else:
            w, b = _fit_head(head_kind, x, y, sw, random_state, c)
        weights.append(w)
        intercepts.append(b)
    return Classifier(vectorizer, np.column_stack(weights), np.array(intercepts), version="unsaved")


def _fit_head(
    kind: str, x: Any, y: np.ndarray, sw: np.ndarray, random_state: int, C: float
) -> tuple[np.ndarray, float]:
    """Fit one head and reduce it to the linear log-odds ``(w, b)`` it computes."""
    if kind == "lr":
        est = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, solver="liblinear", max_iter=2000,
                                 random_state=random_state)  # fmt: skip
        est.fit(x, y, sample_weight=sw)
        w, b = est.coef_[0], float(est.intercept_[0])
    elif kind == "svc":
        base = LinearSVC(C=C / 8, class_weight="balanced", random_state=random_state)
        est = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
        est.fit(x, y, sample_weight=sw)
        cc = est.calibrated_classifiers_[0]
        a, c = float(cc.calibrators[0].a_), float(cc.calibrators[0].b_)
        w = -a * cc.estimator.coef_[0]
        b = -(a * float(cc.estimator.intercept_[0]) + c)
    elif kind in ("cnb", "mnb"):
        est = clone(ComplementNB(alpha=0.3) if kind == "cnb" else MultinomialNB(alpha=0.1))
        est.fit(x, y, sample_weight=sw)
        w = est.feature_log_prob_[1] - est.feature_log_prob_[0]
        b = 0.0 if kind == "cnb" else float(est.class_log_prior_[1] - est.class_log_prior_[0])
    else:
        raise ModelError(f"unknown head {kind!r}")
    # Guard the reduction: it must reproduce the estimator's own probabilities.
    probe = x[: min(50, x.shape[0])]
    ours = 1.0 / (1.0 + np.exp(-(np.asarray(probe @ w).ravel() + b)))
    if not np.allclose(ours, est.predict_proba(probe)[:, 1], atol=1e-6):
        raise ModelError(f"internal error: linear reduction of {kind!r} disagrees with scikit-learn")
    return np.asarray(w, dtype=np.float64).ravel(), b


def _lr_nb_blend(
    x: Any, y: np.ndarray, sw: np.ndarray, random_state: int, C: float
) -> tuple[np.ndarray, float]:
    """Logistic regression and multinomial naive Bayes, averaged into one linear head.

    Naive Bayes weighs every n-gram of a text by its own evidence, where the regression's weights
    compete, and the two rank differently enough that their average ranks better than either.
    Naive Bayes' log-odds spread ten times wider, so they are first rescaled to the regression's
    spread (standard deviation over the training rows); the average then keeps the regression's
    probability scale, and the engine's thresholds keep their meaning. Both are linear in ``x``,
    so the average is too.
    """
    w1, b1 = _fit_head("lr", x, y, sw, random_state, C)
    w2, b2 = _fit_head("mnb", x, y, sw, random_state, C)
    spread = float(np.std(x @ w2))
    scale = float(np.std(x @ w1)) / spread if spread > 0 else 0.0
    return (w1 + scale * w2) / 2, (b1 + scale * b2) / 2


def fingerprint(rows: dict[str, list[_Row]]) -> str:
    """sha256 of the training rows (head, label, weight, normalised text), order-independent."""
    lines = sorted(f"{h}\t{r.y}\t{r.weight:g}\t{r.text}" for h in HEADS for r in rows.get(h, []))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _normalizer_fingerprint() -> str | None:
    """sha256 of what decides the normalised text: the normaliser, its word-list reader, the lists."""
    import moderation.translit as translit_module

    try:
        parts = [inspect.getsource(normalize_module), inspect.getsource(translit_module)]
    except (OSError, TypeError):
        return None
    folder = resources.files("moderation") / "data" / "lexicon"
    parts += [(folder / name).read_text(encoding="utf-8") for name in ("ru.txt", "en.txt")]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _metadata(
    rows: dict[str, list[_Row]],
    pipeline: str,
    C: dict[str, float],
    weight: float,
    metrics: dict[str, Any],
    n_extra: int,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    fp = fingerprint(rows)
    return {
        "format": FORMAT,
        "version": f"{now:%Y%m%dT%H%M%SZ}-{fp[:8]}",
        "created_at": now.isoformat(timespec="seconds"),
        "pipeline": pipeline,
        "params": {"C": C, "example_weight": weight, "nb_blend": sorted(NB_BLEND)},
        "heads": list(HEADS),
        "training_data": {
            "sha256": fp,
            "rows": {h: len(rows.get(h, [])) for h in HEADS},
            "positives": {h: sum(r.y for r in rows.get(h, [])) for h in HEADS},
            "extra_examples": n_extra,
        },
        "heldout_metrics": metrics,
        # Features are computed on normalised text: a model is only as current as the normaliser
        # it was trained with, so record which one that was.
        "normalizer_sha256": _normalizer_fingerprint(),
        "libraries": {
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        },
    }
