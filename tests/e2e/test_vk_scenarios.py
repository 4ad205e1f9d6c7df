"""End to end: the whole service (runner, pipeline, use cases, executor, VK adapter) and a fake VK."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.runner import Runner
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.ratelimit import NoLimit
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models.db import Database
from models.tables import OutboxItem
from moderation.engine import Engine
from tests.e2e import tg_samples as tg
from tests.e2e import vk_samples as s
from tests.e2e.fake_telegram import TOKEN as TG_TOKEN
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, free_port, settled, setup_community, wait_until
from tests.e2e.vk_service import SECRET, make_vk_runner, setup_vk_community, vk_section

SPAMMER = 6_600_066


@pytest.fixture
async def long_polling(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[Runner]:
    await setup_vk_community(sqlite_database)
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True})
    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    await wait_until(lambda: len(vk.a_checks) >= 1)
    yield runner
    await runner.stop()


async def test_spam_wall_comments_are_deleted_the_author_warned_muted_then_banned(
    long_polling: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    ids = [811, 812, 813]
    for cid in ids:
        vk.push_event(s.wall_reply_new("best casino bonus", from_id=SPAMMER, comment_id=cid))
    await wait_until(lambda: len(vk.calls("groups.ban")) == 2)
    await wait_until(lambda: settled(sqlite_database, long_polling))

    assert [d for d in vk.deleted if d[0] == "wall.deleteComment"][:3] == [
        ("wall.deleteComment", -GROUP_ID, cid) for cid in ids
    ]
    assert {c.token for c in vk.call_log("wall.deleteComment")} == {"user"}
    mute, ban = vk.calls("groups.ban")
    assert mute["owner_id"] == str(SPAMMER) and abs(int(mute["end_date"]) - (time.time() + 3600)) < 60
    assert ban["owner_id"] == str(SPAMMER) and "end_date" not in ban
    assert SPAMMER in vk.bans
    cases = await all_cases(sqlite_database)
    assert [(c.action, c.status, c.author_id) for c in cases] == [
        ("warn", "executed", str(SPAMMER)),
        ("mute", "executed", str(SPAMMER)),
        ("ban", "executed", str(SPAMMER)),
    ]
    assert [c.message_id for c in cases] == [str(i) for i in ids]


async def test_the_same_event_twice_by_callback_is_one_case_and_a_wrong_secret_stores_nothing(
    sqlite_database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(sqlite_database)
    runner, url = make_vk_runner(sqlite_database.url, vk, callback=True)
    await runner.start()
    try:
        assert await vk.confirm(url) == (200, "a1b2c3d4")
        event = vk.stamp(s.photo_comment_new("best casino bonus", from_id=SPAMMER, comment_id=901))
        assert (await vk.post_callback(url, event, secret="wrong"))[0] == 403
        assert await vk.post_callback(url, event, secret=SECRET) == (200, "ok")
        assert await vk.post_callback(url, event, secret=SECRET) == (200, "ok")
        await wait_until(lambda: len(vk.deleted) == 1)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.deleted == [("photos.deleteComment", -GROUP_ID, 901)]
    assert [(c.action, c.message_id) for c in await all_cases(sqlite_database)] == [("warn", "901")]


def _card_button(vk: FakeVk, label: str) -> tuple[dict, str]:
    [card] = [m for m in vk.messages.values() if m["peer_ids"] == str(CHAT_PEER) and m.get("keyboard")]
    buttons = [b["action"] for row in json.loads(card["keyboard"])["buttons"] for b in row]
    payload = next(b["payload"] for b in buttons if b["label"] == label)
    return card, json.loads(payload)["d"]


async def test_a_complaint_escalates_to_the_vk_chat_and_only_a_moderator_decides(
    long_polling: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.managers = {s.MODERATOR: "moderator"}
    vk.push_event(s.wall_reply_new("I want a refund", from_id=s.USER, comment_id=950))
    await wait_until(lambda: any(m.get("keyboard") for m in vk.messages.values()))
    await wait_until(lambda: settled(sqlite_database, long_polling))
    card, delete = _card_button(vk, "Delete")
    assert "refund" in card["text"]
    [(_, cmid)] = [k for k, m in vk.messages.items() if m is card]

    vk.push_event(s.message_event(delete, user_id=s.OTHER, cmid=cmid))
    await wait_until(lambda: len(vk.event_answers) == 1)
    assert "not a moderator" in json.loads(vk.event_answers[0]["event_data"])["text"]
    assert vk.deleted == []

    vk.push_event(s.message_event(delete, user_id=s.MODERATOR, cmid=cmid))
    await wait_until(lambda: len(vk.deleted) == 1 and len(vk.calls("messages.edit")) >= 1)
    await wait_until(lambda: settled(sqlite_database, long_polling))
    assert vk.deleted == [("wall.deleteComment", -GROUP_ID, 950)]
    assert vk.calls("messages.edit")[-1]["cmid"] == str(cmid)
    assert json.loads(vk.messages[(CHAT_PEER, cmid)]["keyboard"])["buttons"] == []


async def test_the_author_is_warned_under_the_post_as_the_community(
    long_polling: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.wall_reply_new("best casino bonus", from_id=SPAMMER, comment_id=811))
    await wait_until(lambda: len(vk.deleted) == 1)
    await wait_until(lambda: settled(sqlite_database, long_polling))
    [notice] = vk.calls("wall.createComment")
    assert (notice["owner_id"], notice["post_id"], notice["from_group"]) == (
        str(-GROUP_ID),
        str(s.POST),
        str(GROUP_ID),
    )
    assert "casino spam" in notice["message"] and notice["guid"].startswith("dozor-outbox-")


async def test_a_delete_without_a_user_token_waits_and_runs_once_the_token_is_set(
    sqlite_database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(sqlite_database)
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True})
    runner, _ = make_vk_runner(sqlite_database.url, vk, user_token=False)

    def told() -> list[dict]:
        return [m for m in vk.messages.values() if "DOZOR_VK_USER_TOKEN" in m["text"]]

    await runner.start()
    try:
        await wait_until(lambda: len(vk.a_checks) >= 1)
        vk.push_event(s.wall_reply_new("best casino bonus", from_id=SPAMMER, comment_id=811))
        await wait_until(lambda: waiting_rows(sqlite_database))
        await wait_until(told)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.deleted == [] and vk.calls("wall.deleteComment") == []  # never sent with the wrong token
    [notice] = told()  # the moderators are told once what to set
    assert notice["peer_ids"] == str(CHAT_PEER)
    [case] = await all_cases(sqlite_database)
    assert case.status != "failed"

    # the operator sets DOZOR_VK_USER_TOKEN and restarts: the kept delete runs, once
    runner, _ = make_vk_runner(sqlite_database.url, vk, user_token=True)
    await runner.start()
    try:
        await wait_until(lambda: len(vk.deleted) == 1)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.deleted == [("wall.deleteComment", -GROUP_ID, 811)]
    [case] = await all_cases(sqlite_database)
    assert case.status == "executed"


async def waiting_rows(db: Database) -> list[OutboxItem]:
    async with db.transaction() as session:
        rows = (await session.scalars(select(OutboxItem).where(OutboxItem.kind == "delete"))).all()
    return [r for r in rows if (r.last_error or "").startswith("waiting for vk_user_token")]


async def test_one_process_serves_a_telegram_group_and_a_vk_community(
    sqlite_database: Database, vk: FakeVk, telegram: FakeTelegram
) -> None:
    await setup_vk_community(sqlite_database)
    await setup_community(sqlite_database)
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
    try:
        await wait_until(lambda: len(vk.a_checks) >= 1)
        telegram.push_update(
            tg.text_update("best casino bonus", sender=tg.user(66, "Spammer", None), message_id=811)
        )
        vk.push_event(s.video_comment_new("best casino bonus", from_id=SPAMMER, comment_id=812))
        await wait_until(lambda: len(vk.deleted) == 1 and len(telegram.calls("deleteMessage")) == 1)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.deleted == [("video.deleteComment", -GROUP_ID, 812)]
    assert telegram.calls("deleteMessage")[0]["message_id"] == 811
    cases = await all_cases(sqlite_database)
    assert sorted((c.platform, c.message_id, c.action) for c in cases) == [
        ("telegram", "811", "warn"),
        ("vk", "812", "warn"),
    ]
