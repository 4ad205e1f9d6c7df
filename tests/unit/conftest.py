"""Fixtures shared by the classifier tests: one small model trained once per session."""

from __future__ import annotations

import random

import pytest

from moderation.classifier import Classifier, seed_examples, train


@pytest.fixture(scope="session")
def trained() -> Classifier:
    """A model trained in memory on a fixed sample of the seed corpus: it still has its vectorizer
    (the loaded shipped model has only hashes), so tests can compare against scikit-learn."""
    rows = seed_examples()
    sample = random.Random(13).sample(rows, 6000)
    clf, _ = train(sample, include_seed=False, holdout=0, example_weight=1.0)
    return clf
