"""Tuning the shipped (hashed) model on moderators' labels: it learns them and forgets nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from moderation import abuse
from moderation.classifier import Classifier, load, load_default, save
from moderation.classifier.linear import MAX_CHARS
from moderation.classifier.tuning import _weights, features, tune
from moderation.errors import ModelError
from moderation.normalize import normalize
from tests.unit.test_classifier_learning import CORRECTIONS, ORDINARY, RELABELLED, UNSEEN
from tests.unit.test_classifier_speedpath import _varied_texts


@pytest.fixture(scope="module")
def shipped() -> Classifier:
    return load_default()


@pytest.fixture(scope="module")
def tuned(shipped: Classifier) -> Classifier:
    return tune(shipped, [*CORRECTIONS, (RELABELLED, "ham")], example_weight=3.0)


@pytest.mark.parametrize("which", ["shipped", "trained"])
def test_features_reproduce_the_scoring_loop(which: str, shipped: Classifier, trained: Classifier) -> None:
    clf = shipped if which == "shipped" else trained
    texts = [normalize(t) for t in _varied_texts(150, seed=11)]
    z = np.asarray(features(clf, texts) @ _weights(clf)) + clf.intercepts
    p = 1 / (1 + np.exp(-z))
    p[:, 1] = [abuse.lift(v, t[:MAX_CHARS]) for v, t in zip(p[:, 1], texts, strict=True)]  # lexicon floor
    np.testing.assert_allclose(p, clf.probabilities(texts), rtol=0, atol=1e-9)


def test_tuning_learns_a_genre_and_a_relabelled_row(shipped: Classifier, tuned: Classifier) -> None:
    assert sum(s.spam > 0.5 for s in tuned.score_texts(UNSEEN)) >= 4
    assert sum(s.spam > 0.5 for s in shipped.score_texts(UNSEEN)) == 0
    assert all(s.spam < 0.1 for s in tuned.score_texts(ORDINARY))
    assert shipped.score_texts([RELABELLED])[0].spam > 0.5 > tuned.score_texts([RELABELLED])[0].spam


def test_tuning_leaves_the_other_heads_and_the_intercepts(shipped: Classifier, tuned: Classifier) -> None:
    texts = [normalize(t) for t in ["заткнись, дебил", "Заказ не пришёл уже две недели, поддержка молчит"]]
    np.testing.assert_allclose(
        tuned.probabilities(texts)[:, 1:], shipped.probabilities(texts)[:, 1:], atol=1e-12
    )
    np.testing.assert_array_equal(tuned.intercepts, shipped.intercepts)
    assert tuned.metadata["tuned_from"] == shipped.version
    assert tuned.metadata["training_data"]["extra_examples"] == len(CORRECTIONS) + 1


def test_tuned_model_saves_and_loads(tuned: Classifier, tmp_path) -> None:
    again = load(save(tuned, tmp_path))
    texts = [normalize(t) for t in UNSEEN + ORDINARY]
    np.testing.assert_allclose(again.probabilities(texts), tuned.probabilities(texts), atol=1e-5)


def test_unknown_label_is_refused(shipped: Classifier) -> None:
    with pytest.raises(ModelError, match="unknown label"):
        tune(shipped, [("текст", "maybe")])
