"""Nothing lost, nothing done twice: crashes between inbox and action, re-deliveries, bad secrets."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from sqlalchemy import func, select

from bot.pipeline import Pipeline
from bot.telegram.actions import TelegramActions
from bot.telegram.client import make_bot
from bot.telegram.ratelimit import NoLimit
from bot.telegram.translate import translate
from config.settings import ModerationSettings
from handlers.service import Dozor
from models.db import Database
from models.tables import InboxItem
from moderation.engine import Engine
from tests.e2e import tg_samples as s
from tests.e2e.conftest import settings_for
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.service import SECRET, all_cases, make_runner, settled, setup_community, wait_until

SPAMMER = s.user(66, "Spammer", None)


async def _inbox_count(db: Database) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxItem)) or 0)


async def test_killed_after_storing_the_update_acts_once_after_restart(
    sqlite_database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(sqlite_database)
    update = s.text_update("casino here", sender=SPAMMER, message_id=701, update_id=9001)
    # The first process stored the update (as the webhook or the poller does) and died.
    dying = Pipeline(sqlite_database, _never, {"telegram": translate})
    assert await dying.receive("telegram", "9001", update) is not None

    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()  # the inbox worker finishes what the dying process stored
    try:
        telegram.push_update(update)  # Telegram never got the offset confirmed: it sends again
        await wait_until(lambda: telegram.calls("deleteMessage"))
        await wait_until(lambda: telegram.confirmed_offset == 9002)
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 701}]
    [case] = await all_cases(sqlite_database)
    assert (case.action, case.status) == ("warn", "executed")


async def _never(update: object, key: str) -> None:
    raise AssertionError("the dying process never got to processing")


async def test_killed_after_deciding_but_before_acting_acts_once_after_restart(
    database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(database)
    bot = make_bot(settings_for(telegram))
    try:
        # The first process decided (case + planned actions committed) and died before its executor ran.
        actions = TelegramActions(bot, NoLimit())
        dozor = Dozor(database, {"telegram": actions}, Engine(None), ModerationSettings(language="en"))
        dying = Pipeline(database, dozor.handle, {"telegram": translate})
        await dying.receive("telegram", "9100", s.text_update("casino", sender=SPAMMER, message_id=702))
        await dying.drain_pending()
    finally:
        await bot.session.close()
    assert telegram.calls("deleteMessage") == []

    for _ in range(2):  # restart, then restart again: the action happens exactly once
        runner = make_runner(database.url, telegram)
        await runner.start()
        try:
            await wait_until(lambda: telegram.calls("deleteMessage"))
            await wait_until(lambda r=runner: settled(database, r))
        finally:
            await runner.stop()
    assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 702}]
    [case] = await all_cases(database)
    assert case.status == "executed"


async def test_webhook_same_update_twice_makes_one_case_and_a_wrong_secret_stores_nothing(
    sqlite_database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(sqlite_database)
    runner = make_runner(sqlite_database.url, telegram, webhook=True)
    await runner.start()
    try:
        assert telegram.webhook["secret_token"] == SECRET
        update = s.text_update("casino", sender=SPAMMER, message_id=703, update_id=9200)
        assert await telegram.post_webhook(update, secret="not-the-secret-0123456789") == 401
        assert await _inbox_count(sqlite_database) == 0
        assert await telegram.post_webhook(update) == 200
        assert await telegram.post_webhook(update) == 200
        await wait_until(lambda: telegram.calls("deleteMessage"))
        await wait_until(lambda: settled(sqlite_database, runner))
        health = f"http://127.0.0.1:{runner.settings.http.port}/healthz"
        async with aiohttp.ClientSession() as http, http.get(health) as resp:
            assert resp.status == 200
    finally:
        await runner.stop()
    assert await _inbox_count(sqlite_database) == 1
    assert len(await all_cases(sqlite_database)) == 1
    assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 703}]


async def test_polling_mode_serves_healthz(sqlite_database: Database, telegram: FakeTelegram) -> None:
    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()
    try:
        health = f"http://127.0.0.1:{runner.settings.http.port}/healthz"
        async with aiohttp.ClientSession() as http, http.get(health) as resp:
            assert resp.status == 200 and await resp.text() == "ok"
    finally:
        await runner.stop()


async def test_what_a_dead_process_had_in_hand_is_taken_back_at_once_on_sqlite(
    sqlite_database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(sqlite_database)
    update = s.text_update("casino here", sender=SPAMMER, message_id=704, update_id=9300)
    dying = Pipeline(sqlite_database, _never, {"telegram": translate})
    await dying.receive("telegram", "9300", update)
    assert len(await dying.claim(10, timedelta(hours=1))) == 1  # leased for an hour, then killed

    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()
    try:
        await wait_until(
            lambda: telegram.calls("deleteMessage"), what="the delete the dead process had leased"
        )
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 704}]
