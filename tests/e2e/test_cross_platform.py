"""A VK community whose team works in Telegram: linked with a private code, cards in Telegram,
decisions acted out on VK. One process, both adapters, the fake Bot API and the fake VK API."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.runner import Runner
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.ratelimit import NoLimit
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models import communities, rules
from models.db import Database
from models.tables import Escalation
from moderation.engine import Engine
from tests.e2e import tg_samples as tg
from tests.e2e import vk_samples as s
from tests.e2e.fake_methods import BOT_ID, BOT_USERNAME
from tests.e2e.fake_telegram import TOKEN as TG_TOKEN
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.service import RULES, all_cases, free_port, settled, wait_until
from tests.e2e.vk_service import vk_section

VK_ADMIN = 5_550_777
TG_ADMIN = tg.user(31, "Olga", "olga")  # admin of the Telegram moderators' chat
TG_MEMBER = tg.user(32, "Petr", "petr")  # sits in that chat, no admin rights


@pytest.fixture
async def both(sqlite_database: Database, vk: FakeVk, telegram: FakeTelegram) -> AsyncIterator[Runner]:
    async with sqlite_database.transaction() as session:
        c = await communities.ensure(session, "vk", str(GROUP_ID), title="Shop", language="en")
        for name, source in RULES.items():
            await rules.put(session, c.id, name, source)
    vk.managers = {VK_ADMIN: "administrator"}
    telegram.set_member(
        tg.MODCHAT, TG_ADMIN["id"], "administrator", can_delete_messages=True, can_restrict_members=True
    )
    telegram.set_member(tg.MODCHAT, TG_MEMBER["id"], "member")
    settings = load_settings(
        database={"url": sqlite_database.url},
        http={"host": "127.0.0.1", "port": free_port()},
        telegram={"token": TG_TOKEN, "api_server": telegram.base_url},
        vk=vk_section(vk),
        moderation={"language": "en"},
    )
    adapters = [
        TelegramAdapter(settings.telegram, limiter=NoLimit(), poll_timeout=1),
        VkAdapter(settings.vk, wait=1),
    ]
    runner = Runner(settings, engine=Engine(None), adapters=adapters)
    await runner.start()
    await wait_until(lambda: len(vk.a_checks) >= 1)
    yield runner
    await runner.stop()


def _code(text: str) -> str:
    match = re.search(r"\b[0-9A-F]{8}\b", text)
    assert match, f"no code in {text!r}"
    return match.group()


def _modchat_says(telegram: FakeTelegram) -> list[str]:
    return [m["text"] for m in telegram.calls("sendMessage") if m["chat_id"] == tg.MODCHAT]


async def test_a_vk_communitys_cards_go_to_telegram_and_decisions_act_on_vk(
    both: Runner, sqlite_database: Database, vk: FakeVk, telegram: FakeTelegram
) -> None:
    # A code shown in the community's chat could be read by anyone there: it links no Telegram chat.
    vk.add_chat(s.CHAT_PEER, {VK_ADMIN: True})
    vk.push_event(s.message_new("/modchat", from_id=VK_ADMIN, peer_id=s.CHAT_PEER))
    await wait_until(lambda: any("/modchat" in m["text"] for m in vk.messages.values()))
    public = _code(next(m["text"] for m in vk.messages.values() if "/modchat" in m["text"]))
    telegram.push_update(tg.text_update(f"/modchat {public}", sender=TG_ADMIN, chat=tg.group(tg.MODCHAT)))
    await wait_until(lambda: len(_modchat_says(telegram)) == 1)
    async with sqlite_database.transaction() as session:
        assert (await communities.find(session, "vk", str(GROUP_ID))).modchat_id is None  # type: ignore[union-attr]

    # Written privately to the community by its admin, the code comes back privately, and links.
    vk.push_event(s.message_new("/modchat", from_id=VK_ADMIN, peer_id=VK_ADMIN))
    await wait_until(lambda: any(m["peer_ids"] == str(VK_ADMIN) for m in vk.messages.values()))
    private = _code(next(m["text"] for m in vk.messages.values() if m["peer_ids"] == str(VK_ADMIN)))
    telegram.push_update(tg.text_update(f"/modchat {private}", sender=TG_ADMIN, chat=tg.group(tg.MODCHAT)))
    await wait_until(lambda: len(_modchat_says(telegram)) == 2)
    # the community's name as VK gives it (groups.getById at start), not the one stored before
    assert "Test community" in _modchat_says(telegram)[-1]

    # A complaint under a VK post: its card arrives in Telegram.
    vk.push_event(s.wall_reply_new("I want a refund", from_id=s.USER, comment_id=950))
    await wait_until(lambda: any(m.get("reply_markup") for m in telegram.calls("sendMessage")))
    [card] = [m for m in telegram.calls("sendMessage") if m.get("reply_markup")]
    assert card["chat_id"] == tg.MODCHAT and "refund" in card["text"]
    delete = next(
        b["callback_data"]
        for row in card["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Delete"
    )
    card_message = tg.message(
        card["text"],
        chat=tg.group(tg.MODCHAT),
        sender=tg.user(BOT_ID, "Dozor", BOT_USERNAME),
        message_id=5000,
    )

    # Someone without rights in the moderators' chat is refused; its admin decides, on VK.
    telegram.push_update(tg.callback(delete, card=card_message, sender=TG_MEMBER, query_id="q-petr"))
    await wait_until(lambda: len(telegram.calls("answerCallbackQuery")) == 1)
    assert "not a moderator" in telegram.calls("answerCallbackQuery")[0]["text"]
    assert vk.deleted == []
    telegram.push_update(tg.callback(delete, card=card_message, sender=TG_ADMIN, query_id="q-olga"))
    await wait_until(lambda: vk.deleted and telegram.calls("editMessageText"))
    await wait_until(lambda: settled(sqlite_database, both))
    assert vk.deleted == [("wall.deleteComment", -GROUP_ID, 950)]
    [edit] = telegram.calls("editMessageText")
    assert edit["chat_id"] == tg.MODCHAT and "Olga" in edit["text"]
    cases = [c for c in await all_cases(sqlite_database) if c.message_id == "950"]
    assert [(c.platform, c.action, c.actor, c.status) for c in cases] == [
        ("vk", "escalate", "dozor", "upheld"),
        ("vk", "delete", "31", "executed"),
    ]


async def test_a_reply_to_a_vk_complaints_card_in_telegram_is_posted_under_the_vk_post(
    both: Runner, sqlite_database: Database, vk: FakeVk, telegram: FakeTelegram
) -> None:
    async with sqlite_database.transaction() as session:
        c = await communities.find(session, "vk", str(GROUP_ID))
        assert c is not None
        await communities.update_fields(
            session, c.id, modchat_id=str(tg.MODCHAT), modchat_platform="telegram"
        )
    vk.push_event(s.wall_reply_new("I want a refund", from_id=s.USER, comment_id=950))
    await wait_until(
        lambda: any(m.get("reply_markup") for m in telegram.calls("sendMessage")), what="the card"
    )
    await wait_until(lambda: settled(sqlite_database, both), what="the complaint settled")
    async with sqlite_database.transaction() as session:
        [esc] = (await session.scalars(select(Escalation))).all()
    [card] = [m for m in telegram.calls("sendMessage") if m.get("reply_markup")]
    card_message = tg.message(
        card["text"],
        chat=tg.group(tg.MODCHAT),
        sender=tg.user(BOT_ID, "Dozor", BOT_USERNAME),
        message_id=int(esc.card_message_id),
    )
    telegram.push_update(
        tg.text_update(
            "Your refund is on its way.",
            chat=tg.group(tg.MODCHAT),
            sender=TG_ADMIN,
            reply_to_message=card_message,
        )
    )
    await wait_until(lambda: vk.calls("wall.createComment"), what="the answer under the VK post")
    await wait_until(lambda: telegram.calls("editMessageText"), what="the card edited")
    await wait_until(lambda: settled(sqlite_database, both), what="the answer settled")

    [answer] = vk.calls("wall.createComment")
    assert (answer["post_id"], answer["reply_to_comment"], answer["from_group"], answer["message"]) == (
        str(s.POST),
        "950",
        str(GROUP_ID),
        "Your refund is on its way.",
    )
    [edit] = telegram.calls("editMessageText")
    assert "Answered — Olga" in edit["text"]
    answered = [c for c in await all_cases(sqlite_database) if c.action == "answer"]
    assert [(c.platform, c.actor, c.status) for c in answered] == [("vk", "31", "executed")]


async def test_a_telegram_groups_team_can_work_in_a_vk_chat(
    both: Runner, sqlite_database: Database, vk: FakeVk, telegram: FakeTelegram
) -> None:
    """The other way round: the group's admin gets a private code from the bot, types it in a chat
    of the VK community, and the group's cards arrive there through that community's token."""
    async with sqlite_database.transaction() as session:
        group = await communities.ensure(session, "telegram", str(tg.GROUP), language="en")
        for name, source in RULES.items():
            await rules.put(session, group.id, name, source)
    telegram.set_member(tg.GROUP, TG_ADMIN["id"], "administrator", can_delete_messages=True)
    vk.add_chat(s.CHAT_PEER, {VK_ADMIN: True})

    # The code shown in the group says how to get a private one; the private one comes privately.
    telegram.push_update(tg.text_update("/modchat", sender=TG_ADMIN, chat=tg.group(title="Tea shop")))
    await wait_until(lambda: any("privately" in m["text"] for m in telegram.calls("sendMessage")))
    private_chat = tg.chat_private(TG_ADMIN)
    telegram.push_update(tg.text_update(f"/modchat {tg.GROUP}", sender=TG_ADMIN, chat=private_chat))
    said = lambda: [m["text"] for m in telegram.calls("sendMessage") if m["chat_id"] == TG_ADMIN["id"]]  # noqa: E731
    await wait_until(said, what="the private code")
    vk.push_event(s.message_new(f"/modchat {_code(said()[-1])}", from_id=VK_ADMIN, peer_id=s.CHAT_PEER))
    await wait_until(lambda: any("Tea shop" in m["text"] for m in vk.messages.values()), what="linked")
    async with sqlite_database.transaction() as session:
        linked = await communities.find(session, "telegram", str(tg.GROUP))
    assert linked is not None and (linked.modchat_platform, linked.modchat_via) == ("vk", str(GROUP_ID))

    # A complaint in the Telegram group: its card is posted in the VK chat.
    telegram.push_update(tg.text_update("I want a refund", sender=tg.user(77, "Ivan", None)))
    await wait_until(
        lambda: any(m.get("keyboard") and "refund" in m["text"] for m in vk.messages.values()),
        what="the card in the VK chat",
    )
    await wait_until(lambda: settled(sqlite_database, both), what="the complaint settled")
    [card] = [c for c in vk.call_log("messages.send") if "refund" in c.params.get("message", "")]
    assert card.params["peer_ids"] == str(s.CHAT_PEER) and card.group == GROUP_ID
