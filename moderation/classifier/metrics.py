"""Quality figures for one score against binary labels, the same everywhere they are printed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, roc_auc_score

# label → (head, is_positive)
LABELS: dict[str, tuple[str, int]] = {
    "spam": ("spam", 1),
    "ham": ("spam", 0),
    "toxic": ("toxicity", 1),
    "ok": ("toxicity", 0),
    "negative": ("negativity", 1),
    "neutral": ("negativity", 0),
}
# head → the positive label's name, used as the key in reports
POSITIVE = {"spam": "spam", "toxicity": "toxic", "negativity": "negative"}


def binary_report(y_true: Sequence[int], proba: Sequence[float], threshold: float = 0.5) -> dict[str, Any]:
    """Precision, recall, F1, ROC-AUC, FPR and the confusion matrix of ``proba >= threshold``.

    Returns:
        ``{"precision", "recall", "f1", "roc_auc", "fpr", "brier", "confusion", "n", "positives"}``
        (Brier score: mean squared error of the probabilities, a calibration check);
        ``confusion`` is ``[[tn, fp], [fn, tp]]``; ``roc_auc`` is None with only one class present.
    """
    y = np.asarray(y_true, dtype=int)
    p = np.asarray(proba, dtype=float)
    pred = (p >= threshold).astype(int)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y, pred, average="binary", pos_label=1, zero_division=0
    )
    (tn, fp), (fn, tp) = confusion_matrix(y, pred, labels=[0, 1])
    auc = float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else None
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "roc_auc": None if auc is None else round(auc, 4),
        "fpr": round(float(fp / (fp + tn)), 4) if fp + tn else None,
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "confusion": [[int(tn), int(fp)], [int(fn), int(tp)]],
        "n": len(y),
        "positives": int(y.sum()),
    }


def split_by_head(examples: Iterable[tuple[str, str]]) -> dict[str, tuple[list[str], list[int]]]:
    """Group ``(text, label)`` pairs by head: ``{head: (texts, 0/1 targets)}``.

    Raises:
        ValueError: on a label that is not one of :data:`LABELS`.
    """
    out: dict[str, tuple[list[str], list[int]]] = {}
    for text, label in examples:
        try:
            head, y = LABELS[label.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown label {label!r}; use one of {', '.join(LABELS)}") from None
        texts, ys = out.setdefault(head, ([], []))
        texts.append(text)
        ys.append(y)
    return out
