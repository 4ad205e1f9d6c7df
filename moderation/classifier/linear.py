"""The trained classifier: one set of n-gram features shared by three linear heads.

Every pipeline we train (logistic regression, calibrated linear SVM, naive Bayes) reduces to a
linear log-odds per head, ``p = sigmoid(x · w + b)``. A freshly trained classifier holds the
fitted vectorizer and a ``(n_features, 3)`` weight matrix; a saved one holds only what scoring
needs — per feature block, the 64-bit hashes of its n-grams and their rows (``idf · w`` per head,
``idf²``) — so a model file carries no vocabulary and no text (``storage``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from moderation import abuse
from moderation.classifier.lean import HashedBlock, LeanScorer, hashed_blocks
from moderation.errors import ModelError
from moderation.normalize import normalize
from moderation.verdict import Scores

HEADS = ("spam", "toxicity", "negativity")
# Only the start of a text is scored: it bounds the cost (and the p99 latency) of long posts and
# of a 1 MB message. 1.5–2% of the public sets' messages are longer, and their opening is what
# counts: ROC-AUC with 1,000 vs 2,000 characters is 0.8971 / 0.8973 (ru_toxic), 0.9317 / 0.9315
# (monalenka), 0.9848 / 0.9848 (umputun).
MAX_CHARS = 1000


class Classifier:
    """Scores normalised text; implements the engine's ``Scorer`` protocol.

    Attributes:
        version: identifies the model version (also the saved file's stem).
        metadata: training provenance and held-out metrics, as written to the JSON beside the model.
        vectorizer: the fitted vectorizer of a freshly trained model; None for a loaded one.
        weights: its ``(n_features, 3)`` weights; None for a loaded one.

    ``compiled=False`` scores with plain Python instead of the numba loops (same numbers; for a
    command that scores one text and should not wait for numba to load).
    """

    def __init__(
        self,
        vectorizer: Any,
        weights: np.ndarray | None,
        intercepts: np.ndarray,
        *,
        version: str,
        metadata: dict[str, Any] | None = None,
        blocks: Sequence[HashedBlock] | None = None,
        compiled: bool = True,
    ) -> None:
        intercepts = np.asarray(intercepts, dtype=np.float64).reshape(-1)
        if weights is not None:
            weights = np.ascontiguousarray(weights, dtype=np.float64)
            if weights.ndim != 2 or weights.shape[1] != len(HEADS):
                raise ModelError(
                    f"model weights have shape {weights.shape}, expected (n, 3); "
                    "the file is not a Dozor model — run `dozor model train` to rebuild it"
                )
        if intercepts.shape != (len(HEADS),):
            raise ModelError(f"model intercepts have shape {intercepts.shape}, expected (3,)")
        self.vectorizer = vectorizer
        self.weights = weights
        self.intercepts = intercepts
        self.version = version
        self.metadata = dict(metadata or {})
        if blocks is not None:
            self._lean: LeanScorer | None = LeanScorer(blocks, compiled=compiled)
        elif vectorizer is not None and LeanScorer.supports(vectorizer):
            self._lean = LeanScorer.from_vectorizer(vectorizer, weights, compiled=compiled)
        else:
            self._lean = None
        if self._lean is None and (vectorizer is None or weights is None):
            raise ModelError("a classifier needs hashed blocks or a vectorizer with weights")
        self._bias = intercepts.tolist()

    @property
    def n_features(self) -> int:
        """Number of n-gram features (hashes) the model scores."""
        return self._lean.n_features if self._lean is not None else self.weights.shape[0]

    def hashed(self) -> list[HashedBlock]:
        """The blocks a model file stores: n-gram hashes and rows, no strings.

        Raises:
            ModelError: the vectorizer is one the compiled path does not reproduce (another token
                pattern, a hashing block); such a model can be used but not saved.
        """
        if self._lean is None:
            raise ModelError("only TF-IDF char_wb/word models can be saved (pipelines tfidf-*)")
        if self.vectorizer is not None and self.weights is not None:
            return hashed_blocks(self.vectorizer, self.weights)
        return list(self._lean.blocks)

    def score(self, normalized: str) -> Scores:
        """Scores for one text already passed through ``moderation.normalize.normalize``.

        Never raises on odd text: empty or unrecognised input scores the model's prior. Only the
        first ``MAX_CHARS`` characters are scored. Toxicity is lifted to at least
        ``moderation.abuse.FLOOR`` when the text holds an obscene word or an insult.
        """
        normalized = normalized[:MAX_CHARS]
        if self._lean is not None:
            dots = self._lean.dots(normalized)
            spam, toxicity, negativity = (_sigmoid(b + d) for b, d in zip(self._bias, dots, strict=True))
        else:
            z = self.intercepts + np.asarray(self.vectorizer.transform([normalized]) @ self.weights)[0]
            spam, toxicity, negativity = (float(v) for v in _expit(z))
        return Scores(spam=spam, toxicity=abuse.lift(toxicity, normalized), negativity=negativity)

    def probabilities(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """``(n, 3)`` probabilities for already-normalised texts (batch path)."""
        if len(normalized_texts) == 0:
            return np.empty((0, len(HEADS)))
        texts = [t[:MAX_CHARS] for t in normalized_texts]
        if self._lean is not None:  # the compiled loop per text is faster than one sparse matrix
            z = np.array([self._lean.dots(t) for t in texts])
        else:
            z = np.asarray(self.vectorizer.transform(texts) @ self.weights)
        p = _expit(z + self.intercepts)
        # An obscene word or an insult lifts toxicity however much ordinary prose surrounds it.
        p[:, 1] = [abuse.lift(v, t) for v, t in zip(p[:, 1].tolist(), texts, strict=True)]
        return p

    def score_normalized(self, normalized_texts: Sequence[str]) -> list[Scores]:
        """Batch scores for already-normalised texts."""
        return [Scores(float(a), float(b), float(c)) for a, b, c in self.probabilities(normalized_texts)]

    def score_texts(self, texts: Sequence[str]) -> list[Scores]:
        """Batch scores for raw texts; normalises each one first."""
        return self.score_normalized([normalize(t) for t in texts])

    def __repr__(self) -> str:
        return f"Classifier(version={self.version!r}, features={self.n_features})"


def _sigmoid(z: float) -> float:
    # scipy's expit on three numbers costs more than this; both branches avoid overflow.
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _expit(z: np.ndarray) -> np.ndarray:
    # scipy.special.expit without importing scipy (a third of a second) on the scoring path
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
