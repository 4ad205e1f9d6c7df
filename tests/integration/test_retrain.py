"""Scheduled retraining: moderators' labels in the database become a new model version."""

from __future__ import annotations

from pathlib import Path

from bot.runner import retrain
from models import examples
from models.db import Database
from moderation.classifier import ModelStore, load_default

WRONG_NUMBER = [
    "Привет, {n}? Это я, мы договаривались встретиться в субботу",
    "{n}, добрый вечер! Вы вчера обещали прислать документы по квартире",
    "Извините, это {n}? Мне дали ваш номер как массажиста",
]
NAMES = ["Аня", "Оля", "Серёжа", "Марина", "Дима", "Катя", "Игорь", "Света"]


async def test_retraining_learns_from_moderators_and_the_store_switches(
    sqlite_database: Database, tmp_path: Path
) -> None:
    async with sqlite_database.transaction() as s:
        for template in WRONG_NUMBER:
            for name in NAMES:
                await examples.add(s, template.format(n=name), "spam", source="moderator")
    store = ModelStore(tmp_path / "models")
    assert store.version == load_default().version  # nothing trained yet: the shipped model
    assert await retrain(str(tmp_path / "models"), sqlite_database.url) == 1
    assert store.reload_if_changed()
    assert store.version != load_default().version
    assert store.current.metadata["training_data"]["extra_examples"] == len(WRONG_NUMBER) * len(NAMES)
