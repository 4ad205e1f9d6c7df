"""Nothing lost, nothing done twice on VK: crashes between inbox and action, in both receiving modes."""

from __future__ import annotations

from bot.pipeline import Pipeline
from bot.vk import event_key
from bot.vk.actions import VkActions
from bot.vk.client import VkClient
from bot.vk.longpoll import ts_key
from bot.vk.translate import translate
from config.settings import ModerationSettings
from handlers.service import Dozor
from models import state as service_state
from models.db import Database
from moderation.engine import Engine
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk
from tests.e2e.service import all_cases, settled, wait_until
from tests.e2e.vk_service import SECRET, make_vk_runner, setup_vk_community

SPAMMER = 6_600_066


async def _never(update: object, key: str) -> None:
    raise AssertionError("the dying process never got to processing")


async def test_long_poll_killed_after_storing_a_batch_acts_once_and_does_not_fetch_it_again(
    sqlite_database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(sqlite_database, modchat=None)
    event = vk.push_event(s.wall_reply_new("casino here", from_id=SPAMMER, comment_id=701))
    # The first process stored the batch with the ts after it (one transaction) and died.
    dying = Pipeline(sqlite_database, _never, {"vk": translate})
    await dying.store("vk", [(event_key(GROUP_ID, event["event_id"]), event)], cursor=(ts_key(GROUP_ID), "2"))

    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    try:
        await wait_until(lambda: vk.deleted)
        await wait_until(lambda: len(vk.a_checks) >= 1)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.a_checks[0]["ts"] == "2"  # resumed after the stored batch: not fetched again
    assert vk.deleted == [("wall.deleteComment", -GROUP_ID, 701)]
    [case] = await all_cases(sqlite_database)
    assert (case.action, case.status) == ("warn", "executed")


async def test_callback_killed_before_answering_ok_acts_once_when_vk_resends(
    sqlite_database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(sqlite_database, modchat=None)
    event = vk.stamp(s.message_new("casino here", from_id=SPAMMER, cmid=44))
    vk.add_chat(event["object"]["message"]["peer_id"], {SPAMMER: False})
    dying = Pipeline(sqlite_database, _never, {"vk": translate})
    await dying.receive("vk", event_key(GROUP_ID, event["event_id"]), event)

    runner, url = make_vk_runner(sqlite_database.url, vk, callback=True)
    await runner.start()
    try:
        assert await vk.post_callback(url, event, secret=SECRET) == (200, "ok")  # VK got no "ok": again
        await wait_until(lambda: vk.deleted)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert vk.deleted == [("messages.delete", event["object"]["message"]["peer_id"], 44)]
    [case] = await all_cases(sqlite_database)
    assert (case.action, case.status) == ("warn", "executed")


async def test_killed_after_deciding_but_before_acting_acts_once_after_restart(
    database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(database, modchat=None)
    client = VkClient(GROUP_TOKEN, user_token=USER_TOKEN, api_url=vk.api_url)
    try:
        # The first process decided (case + planned actions committed) and died before its executor ran.
        actions = VkActions(client, GROUP_ID)
        dozor = Dozor(database, {"vk": actions}, Engine(None), ModerationSettings(language="en"))
        dying = Pipeline(database, dozor.handle, {"vk": translate})
        event = vk.stamp(s.market_comment_new("casino", from_id=SPAMMER, comment_id=702))
        await dying.receive("vk", event_key(GROUP_ID, event["event_id"]), event)
        await dying.drain_pending()
    finally:
        await client.close()
    assert vk.deleted == []
    async with database.transaction() as session:
        await service_state.put(session, ts_key(GROUP_ID), str(vk.ts))

    for _ in range(2):  # restart, then restart again: the action happens exactly once
        runner, _ = make_vk_runner(database.url, vk)
        await runner.start()
        try:
            await wait_until(lambda: vk.deleted)
            await wait_until(lambda r=runner: settled(database, r))
        finally:
            await runner.stop()
    assert vk.deleted == [("market.deleteComment", -GROUP_ID, 702)]
    [case] = await all_cases(database)
    assert case.status == "executed"
