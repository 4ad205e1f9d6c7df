"""Spam, toxicity and negativity scores for normalised text.

Usage::

    from moderation.classifier import load_default
    clf = load_default()
    clf.score(normalize("Заработок от 3000 в день, пиши в лс"))  # Scores(spam=0.9…, …)

See README.md in this folder for the pipeline, why it was chosen and how it measures.
"""

from __future__ import annotations

from typing import Any

from moderation.classifier.linear import HEADS, Classifier
from moderation.classifier.model_file import TRUSTED_TYPES, default_model_path, load, load_default, save
from moderation.classifier.versions import ModelStore

_TRAINING = ("PIPELINES", "read_csv", "seed_examples", "train")


def __getattr__(name: str) -> Any:
    # Training needs scikit-learn and scipy (a second to import); scoring needs neither, so
    # `dozor check` and a service that only loads models never import them.
    if name in _TRAINING:
        from moderation.classifier import training

        return getattr(training, name)
    raise AttributeError(f"module 'moderation.classifier' has no attribute {name!r}")


__all__ = [
    "HEADS",
    "PIPELINES",
    "TRUSTED_TYPES",
    "Classifier",
    "ModelStore",
    "default_model_path",
    "load",
    "load_default",
    "read_csv",
    "save",
    "seed_examples",
    "train",
]
