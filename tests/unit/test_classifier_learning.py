"""The learning loop: moderator corrections about a genre the seed corpus lacks change the verdict.

The genre is the "wrong number" opener (a stranger writes as if to an acquaintance, to start a
conversation that ends in a scam). The corrections and the unseen messages use different names,
days and sentence shapes, so the model has to generalise from the corrections, not recall them.
"""

from __future__ import annotations

import pytest

from moderation.classifier import Classifier, load_default, train

_NAMES = ["Аня", "Оля", "Серёжа", "Марина", "Дима", "Катя", "Игорь", "Света", "Лена", "Паша"]
_DAYS = ["субботу", "пятницу", "понедельник"]
_CORRECTIONS = [
    "Привет, {n}? Это я, мы договаривались встретиться в {d}",
    "{n}, добрый вечер! Вы вчера обещали прислать документы по квартире",
    "Здравствуйте, {n}, это по поводу собеседования в {d}, вы ещё актуальны?",
    "{n}, привет! Ты не забыла про ужин в {d}?",
    "Извините, это {n}? Мне дали ваш номер как массажиста",
]
UNSEEN = [
    "Вика, привет! Мы же договаривались встретиться в среду, ты где?",
    "Здравствуйте, Рома, это насчёт собеседования, вы ещё ищете работу?",
    "Наташа, добрый вечер, вы обещали прислать документы по машине",
    "Извините, это Костя? Мне дали ваш номер как репетитора",
    "Юля, привет! Ты не забыла про встречу в воскресенье?",
]
ORDINARY = [
    "Подскажите, во сколько завтра собрание жильцов?",
    "Спасибо за помощь, всё заработало",
    "Кто знает хорошего мастера по ремонту стиральных машин?",
]


# A seed row labelled spam that moderators of some community consider fine.
RELABELLED = "Кто хочет заработать? Пишите"
CORRECTIONS = [(t.format(n=n, d=d), "spam") for t in _CORRECTIONS for n in _NAMES for d in _DAYS]


@pytest.fixture(scope="module")
def retrained() -> Classifier:
    # One training run serves every test here, and only the spam head is trained: the seed corpus
    # is tens of thousands of rows and the other heads play no part in this loop.
    after, _ = train([*CORRECTIONS, (RELABELLED, "ham")], holdout=0, example_weight=20.0, heads=("spam",))
    return after


def test_corrections_teach_a_new_genre(retrained: Classifier) -> None:
    before = load_default()
    assert all(s.spam < 0.5 for s in before.score_texts(UNSEEN)), "the seed corpus already knows this genre"
    assert all(s.spam > 0.5 for s in retrained.score_texts(UNSEEN))
    assert all(s.spam < 0.5 for s in retrained.score_texts(ORDINARY))
    assert retrained.metadata["training_data"]["extra_examples"] == len(CORRECTIONS) + 1


def test_a_moderator_label_overrides_the_seed_label(retrained: Classifier) -> None:
    before = load_default().score_texts([RELABELLED])[0].spam
    assert retrained.score_texts([RELABELLED])[0].spam < before
