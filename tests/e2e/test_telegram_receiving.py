"""Receiving without loss: webhook secret and inbox-before-200, polling offset discipline."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from sqlalchemy import select

from bot.httpserver import HttpServer
from bot.pipeline import Pipeline
from bot.receiver import Receiver
from bot.telegram import ALLOWED_UPDATES
from bot.telegram.polling import Poller
from bot.telegram.translate import translate
from bot.telegram.webhook import add_webhook_route, register_webhook
from models.db import Database
from models.tables import InboxItem
from moderation.errors import StorageError
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.service import all_cases, make_runner, settled, setup_community
from tests.e2e.service import wait_until as wait_for

SECRET = "s3cret-token-for-tests_0123456789"


class Recorder:
    """The use cases' stand-in: remembers what reached it, can be held up."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, str]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, update: Any, event_key: str) -> None:
        await self.gate.wait()
        self.seen.append((update, event_key))


async def inbox_rows(db: Database) -> list[InboxItem]:
    async with db.transaction() as session:
        return list((await session.scalars(select(InboxItem).order_by(InboxItem.id))).all())


async def wait_until(predicate: Any, within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def start_webhook(
    db: Database, handle: Recorder, bot: Bot
) -> tuple[HttpServer, Receiver, asyncio.Event]:
    pipeline = Pipeline(db, handle, {"telegram": translate})
    receiver = Receiver(pipeline)
    server = HttpServer("127.0.0.1", 0, health=_healthy)
    add_webhook_route(server.app, receiver, "https://dozor.example.org/tg/hook", SECRET)
    await server.start()
    await register_webhook(bot, f"http://127.0.0.1:{server.port}/tg/hook", SECRET)
    stop = asyncio.Event()
    asyncio.get_running_loop().create_task(receiver.run(stop))
    return server, receiver, stop


async def _healthy() -> str | None:
    return None


async def test_webhook_wrong_secret_is_refused_and_nothing_stored(
    database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()
    server, _receiver, stop = await start_webhook(database, handle, tg_bot)
    try:
        assert await telegram.post_webhook(s.text_update("hi"), secret="wrong-secret-0123456789") == 401
        assert await telegram.post_webhook(s.text_update("hi"), secret=None) == 401
        assert await inbox_rows(database) == []
        assert handle.seen == []
    finally:
        stop.set()
        await server.stop()


async def test_webhook_stores_before_answering_and_ignores_redelivery(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()
    handle.gate.clear()  # processing cannot finish: the 200 must not wait for it
    server, receiver, stop = await start_webhook(sqlite_database, handle, tg_bot)
    try:
        registered = telegram.calls("setWebhook")[0]
        assert registered["secret_token"] == SECRET
        assert registered["allowed_updates"] == list(ALLOWED_UPDATES)
        update = s.text_update("hello", update_id=777)
        assert await telegram.post_webhook(update) == 200
        rows = await inbox_rows(sqlite_database)
        assert [(r.event_key, r.status) for r in rows] == [("777", "pending")]
        assert await telegram.post_webhook(update) == 200  # Telegram re-sends: acknowledged, not stored
        handle.gate.set()
        await wait_until(lambda: len(handle.seen) == 1 and receiver.idle.is_set())
        rows = await inbox_rows(sqlite_database)
        assert [(r.event_key, r.status) for r in rows] == [("777", "processed")]
        assert handle.seen[0][0].text == "hello"
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{server.port}/healthz") as resp,
        ):
            assert resp.status == 200 and await resp.text() == "ok"
    finally:
        stop.set()
        await server.stop()


async def test_polling_confirms_offset_only_after_storing(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()
    pipeline = Pipeline(sqlite_database, handle, {"telegram": translate})
    receiver = Receiver(pipeline)
    first = [telegram.push_update(s.text_update(f"m{i}", update_id=500 + i)) for i in range(3)]
    poller = Poller(tg_bot, receiver, timeout=1)
    stop = asyncio.Event()
    worker = asyncio.create_task(receiver.run(stop))
    polling = asyncio.create_task(poller.run(stop))
    await wait_until(lambda: len(handle.seen) == 3)
    telegram.push_update(s.text_update("m3", update_id=503))
    await wait_until(lambda: len(handle.seen) == 4)
    stop.set()
    await asyncio.gather(worker, polling)

    offsets = [c.get("offset") for c in telegram.calls("getUpdates")]
    assert offsets[0] is None and offsets[1] == 503 and offsets[-1] == 504
    assert telegram.calls("getUpdates")[0]["allowed_updates"] == list(ALLOWED_UPDATES)
    assert telegram.calls("deleteWebhook")  # a left-over webhook would block getUpdates
    assert [k for _, k in handle.seen] == [str(u["update_id"]) for u in first] + ["503"]


async def test_an_update_aiogram_cannot_parse_does_not_stall_polling(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()
    pipeline = Pipeline(sqlite_database, handle, {"telegram": translate}, max_attempts=1)
    receiver = Receiver(pipeline)
    telegram.push_update({"update_id": 700, "message": {"message_id": "not a number", "text": "?"}})
    telegram.push_update(s.text_update("after the bad one", update_id=701))
    poller = Poller(tg_bot, receiver, timeout=1)
    stop = asyncio.Event()
    worker = asyncio.create_task(receiver.run(stop))
    polling = asyncio.create_task(poller.run(stop))
    await wait_until(lambda: len(handle.seen) == 1)
    await wait_until(lambda: receiver.idle.is_set())
    stop.set()
    await asyncio.gather(worker, polling)

    assert [k for _, k in handle.seen] == ["701"]
    assert telegram.calls("getUpdates")[-1]["offset"] == 702  # both confirmed: nothing is re-sent
    bad, good = await inbox_rows(sqlite_database)
    assert (bad.event_key, bad.status, good.status) == ("700", "failed", "processed")
    assert bad.payload["message"]["message_id"] == "not a number"  # kept as Telegram sent it
    assert "validation error" in (bad.error or "").lower()


async def test_polling_does_not_confirm_what_the_database_refused(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()

    class FlakyPipeline(Pipeline):
        failures = 1

        async def store(self, platform: str, events: Any, *, cursor: Any = None) -> dict[str, int]:
            if any(key == "601" for key, _ in events) and self.failures:
                self.failures -= 1
                raise StorageError("database unavailable (test)")
            return await super().store(platform, events, cursor=cursor)

    receiver = Receiver(FlakyPipeline(sqlite_database, handle, {"telegram": translate}))
    poller = Poller(tg_bot, receiver, timeout=1)
    for i in range(3):
        telegram.push_update(s.text_update(f"m{i}", update_id=600 + i))
    stop = asyncio.Event()
    paused = asyncio.create_task(poller.run(stop))
    await wait_until(lambda: len(telegram.calls("getUpdates")) >= 1)
    await asyncio.sleep(0.2)  # the store of 601 failed; the poller waits before retrying
    stop.set()
    await paused
    assert telegram.confirmed_offset == 0 and poller.offset is None  # nothing confirmed

    # a fresh process first finishes what is in the inbox, then gets the same batch again
    await receiver.pipeline.drain_pending()
    poller = Poller(tg_bot, receiver, timeout=1)
    stop = asyncio.Event()
    worker = asyncio.create_task(receiver.run(stop))
    polling = asyncio.create_task(poller.run(stop))
    await wait_until(lambda: len(handle.seen) == 3)
    stop.set()
    await asyncio.gather(worker, polling)
    assert [k for _, k in handle.seen] == ["600", "601", "602"]
    assert sorted(r.event_key for r in await inbox_rows(sqlite_database)) == ["600", "601", "602"]


async def test_a_failed_update_is_retried_in_process(sqlite_database: Database) -> None:
    class FailsOnce(Recorder):
        failed = False

        async def __call__(self, update: Any, event_key: str) -> None:
            if not self.failed:
                self.failed = True
                raise RuntimeError("a hiccup while handling")
            await super().__call__(update, event_key)

    handle = FailsOnce()
    receiver = Receiver(
        Pipeline(sqlite_database, handle, {"telegram": translate}, retry_delay=0.05), poll=0.05
    )
    stop = asyncio.Event()
    worker = asyncio.create_task(receiver.run(stop))
    assert await receiver.store("telegram", [("880", s.text_update("hello", update_id=880))]) == 1
    await wait_until(lambda: len(handle.seen) == 1 and receiver.idle.is_set())
    stop.set()
    await worker
    [row] = await inbox_rows(sqlite_database)
    assert (row.status, row.attempts) == ("processed", 2)


async def test_nul_and_lone_surrogates_are_replaced_and_the_spam_still_moderated(
    database: Database, telegram: FakeTelegram
) -> None:
    # json.dumps writes both as \u escapes, as Telegram does: valid JSON neither database can store.
    spammer = s.user(66, "Spam\u0000mer\ud800", None)
    update = s.text_update("best casino\u0000 bonus \udc00", sender=spammer, message_id=951, update_id=9510)
    await setup_community(database)
    runner = make_runner(database.url, telegram, webhook=True)
    await runner.start()
    try:
        assert await telegram.post_webhook(update) == 200
        await wait_for(lambda: telegram.calls("deleteMessage"))
        await wait_for(lambda: settled(database, runner))
    finally:
        await runner.stop()
    assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 951}]
    [row] = await inbox_rows(database)
    assert row.status == "processed"
    assert row.payload["message"]["text"] == "best casino\ufffd bonus \ufffd"
    assert row.payload["message"]["from"]["first_name"] == "Spam\ufffdmer\ufffd"
    [case] = await all_cases(database)
    assert (case.action, case.status, case.author_id) == ("warn", "executed", "66")
    assert case.text == "best casino\ufffd bonus \ufffd" and "Spam\ufffdmer" in case.author_name


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64 levels"),
        (b'{"update_id": 1, "message": ' + b"{" * 100_000, "nested deeper than 64 levels"),
        (b'{"update_id": 1, "message": {"text": "caf\xe9"}}', "not UTF-8"),
        (b"[1, 2, 3]", "must be a JSON object"),
        (b"{not json}", "not JSON"),
    ],
    ids=["100k-deep", "100k-unclosed", "latin1", "array", "garbage"],
)
async def test_a_body_that_is_not_a_json_object_gets_400_with_the_reason(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot, body: bytes, reason: str
) -> None:
    server, _receiver, stop = await start_webhook(sqlite_database, Recorder(), tg_bot)
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"http://127.0.0.1:{server.port}/tg/hook", data=body, headers=headers) as resp,
        ):
            assert resp.status == 400 and reason in await resp.text()
        assert await inbox_rows(sqlite_database) == []
    finally:
        stop.set()
        await server.stop()


async def test_a_full_backlog_is_pushed_back_to_telegram_with_retry_after(
    sqlite_database: Database, telegram: FakeTelegram, tg_bot: Bot
) -> None:
    handle = Recorder()
    handle.gate.clear()  # nothing gets processed: the backlog only grows
    server, receiver, stop = await start_webhook(sqlite_database, handle, tg_bot)
    receiver.max_backlog = 2
    try:
        codes = [await telegram.post_webhook(s.text_update(f"m{i}", update_id=900 + i)) for i in range(4)]
        # The backlog is counted approximately (on the safe side: a recount racing a store may
        # count it twice), so the bound may bite one event early, never late.
        accepted = codes.index(429)
        assert 1 <= accepted <= 2 and codes[accepted:] == [429] * (4 - accepted)
        assert [r.event_key for r in await inbox_rows(sqlite_database)] == [
            str(900 + i) for i in range(accepted)
        ]
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{server.port}/tg/hook"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(url, json=s.text_update("m", update_id=950), headers=headers) as resp:
                assert resp.status == 429 and resp.headers["Retry-After"] == "5"
            async with http.get(f"http://127.0.0.1:{server.port}/metrics") as resp:
                metrics = await resp.text()
        assert resp.status == 200
        assert 'dozor_events_refused_total{platform="telegram"}' in metrics
        assert 'dozor_events_received_total{platform="telegram"}' in metrics
    finally:
        handle.gate.set()
        stop.set()
        await server.stop()
