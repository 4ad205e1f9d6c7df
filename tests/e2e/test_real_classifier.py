"""The whole service with the classifier Dozor ships, on each platform, in a Russian community.

Clear-cut messages only (the model is retrained from time to time; these must hold for any
model worth shipping): an obvious spam offer from a newcomer is removed and its author banned,
an obvious insult is removed with a notice, an obvious complaint goes to the moderators as a
card, ordinary chatter is left alone. What Dozor posted — notices and cards — is in Russian.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.runner import Runner
from models.db import Database
from moderation.engine import Engine
from tests.e2e import tg_samples as tg
from tests.e2e import vk_samples as vks
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, make_runner, settled, setup_community, wait_until
from tests.e2e.vk_service import make_vk_runner, setup_vk_community
from tests.english import english_words

SPAM = "Заработок от 5000 в день без вложений, пиши в лс t.me/joinchat/xyz"
INSULT = "ты т у п о й идиот"
COMPLAINT = "Заказ не пришёл уже две недели, поддержка молчит. Верните деньги!"
CHATTER = "Всем привет! Кто уже пробовал новую линейку?"
TITLE = "Чайный клуб"
SPAMMER, RUDE, CUSTOMER, FRIEND = 7_100_001, 7_100_002, 7_100_003, 7_100_004
NAMES = (TITLE, "Test community", "Ivan", "Spammer", "Rude", "Customer", "Friend")


def _russian_only(texts: list[str], version: str) -> None:
    english = {text: words for text in texts if (words := english_words(text, (*NAMES, version)))}
    assert english == {}


@pytest.fixture
async def tg_service(
    sqlite_database: Database, telegram: FakeTelegram, shipped_scorer: Any
) -> AsyncIterator[Runner]:
    await setup_community(sqlite_database, language="ru", title=TITLE)
    runner = make_runner(sqlite_database.url, telegram, engine=Engine(shipped_scorer))
    await runner.start()
    yield runner
    await runner.stop()


async def test_telegram_with_the_shipped_classifier(
    tg_service: Runner, sqlite_database: Database, telegram: FakeTelegram, shipped_scorer: Any
) -> None:
    posts = [
        (SPAM, SPAMMER, "Spammer"),
        (INSULT, RUDE, "Rude"),
        (COMPLAINT, CUSTOMER, "Customer"),
        (CHATTER, FRIEND, "Friend"),
    ]
    ids = []
    for text, user, name in posts:
        update = tg.text_update(text, sender=tg.user(user, name, None))
        ids.append(update["message"]["message_id"])
        telegram.push_update(update)
    await wait_until(lambda: len(telegram.calls("banChatMember")) == 1, what="the spammer banned")
    await wait_until(lambda: settled(sqlite_database, tg_service), what="everything carried out")

    spam, insult, complaint, chatter = ids
    assert set(telegram.deleted()) >= {spam, insult}
    assert complaint not in telegram.deleted() and chatter not in telegram.deleted()
    assert telegram.calls("banChatMember")[0]["user_id"] == SPAMMER
    cases = {c.author_id: c for c in await all_cases(sqlite_database)}
    assert cases[str(SPAMMER)].action == "ban"
    assert cases[str(RUDE)].action in ("warn", "delete", "mute")
    assert cases[str(CUSTOMER)].action == "escalate"
    assert cases[str(FRIEND)].action == "allow"
    cards = [c for c in telegram.calls("sendMessage") if int(c["chat_id"]) == tg.MODCHAT]
    assert len(cards) == 1 and COMPLAINT in cards[0]["text"] and cards[0].get("reply_markup")
    notices = [c["text"] for c in telegram.calls("sendMessage") if int(c["chat_id"]) == tg.GROUP]
    assert any("ваше сообщение удалено: спам" in n for n in notices)
    assert any("ваше сообщение удалено: токсичность" in n for n in notices)
    _russian_only([c["text"] for c in telegram.calls("sendMessage")], shipped_scorer.version)


@pytest.fixture
async def vk_service(sqlite_database: Database, vk: FakeVk, shipped_scorer: Any) -> AsyncIterator[Runner]:
    await setup_vk_community(sqlite_database, language="ru", title=TITLE)
    vk.add_chat(CHAT_PEER, {vks.MODERATOR: True})
    runner, _ = make_vk_runner(sqlite_database.url, vk, engine=Engine(shipped_scorer))
    await runner.start()
    await wait_until(lambda: len(vk.a_checks) >= 1, what="the first Long Poll request")
    yield runner
    await runner.stop()


async def test_vk_with_the_shipped_classifier(
    vk_service: Runner, sqlite_database: Database, vk: FakeVk, shipped_scorer: Any
) -> None:
    posts = [
        (SPAM, SPAMMER, 5101),
        (INSULT, RUDE, 5102),
        (COMPLAINT, CUSTOMER, 5103),
        (CHATTER, FRIEND, 5104),
    ]
    for text, user, comment_id in posts:
        vk.push_event(vks.wall_reply_new(text, from_id=user, comment_id=comment_id))
    await wait_until(lambda: SPAMMER in vk.bans, what="the spammer banned")
    await wait_until(lambda: settled(sqlite_database, vk_service), what="everything carried out")

    deleted = {d[2] for d in vk.deleted if d[0] == "wall.deleteComment"}
    assert deleted >= {5101, 5102} and not deleted & {5103, 5104}
    cases = {c.author_id: c for c in await all_cases(sqlite_database)}
    assert cases[str(SPAMMER)].action == "ban"
    assert cases[str(RUDE)].action in ("warn", "delete", "mute")
    assert cases[str(CUSTOMER)].action == "escalate"
    assert cases[str(FRIEND)].action == "allow"
    cards = [m for (peer, _), m in vk.messages.items() if peer == CHAT_PEER]
    assert len(cards) == 1 and COMPLAINT in cards[0]["text"] and json.loads(cards[0]["keyboard"])
    # named as groups.getById names the community, not by its number
    assert f"Случай #{cases[str(CUSTOMER)].id} · Test community" in cards[0]["text"]
    notices = [c["message"] for c in vk.comments if c["method"] == "wall.createComment"]
    assert any("ваше сообщение удалено: спам" in n for n in notices)
    _russian_only([*notices, *(m["text"] for m in vk.messages.values())], shipped_scorer.version)
    assert all(int(c.get("from_group", GROUP_ID)) == GROUP_ID for c in vk.comments)
