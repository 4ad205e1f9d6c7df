"""Receiving VK events without loss: Callback API and Bots Long Poll, into the real inbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.receiver import Overloaded
from bot.vk.callback import CallbackCommunity, Store, callback_handler
from bot.vk.client import VkClient
from bot.vk.longpoll import LongPoll, state_reader, ts_key
from models import state as service_state
from models.db import Database
from moderation.errors import StorageError
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.vk_store import inbox_rows, receiver_for

CODE = "a1b2c3d4"
SECRET = "s3cretKey42"
PATH = "/vk/callback"


class CallbackServer:
    """Dozor's callback route on a local port."""

    def __init__(self, store: Store) -> None:
        self.app = web.Application()
        self.app.router.add_post(PATH, callback_handler(store, {GROUP_ID: CallbackCommunity(CODE, SECRET)}))
        self.runner = web.AppRunner(self.app, access_log=None)
        self.url = ""

    async def __aenter__(self) -> CallbackServer:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{PATH}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


@pytest.fixture
async def callback(database: Database) -> AsyncIterator[CallbackServer]:
    async with CallbackServer(receiver_for(database).store) as server:
        yield server


async def wait_until(check: Callable[[], bool], limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


# ---------------------------------------------------------------------------- Callback API
async def test_confirmation_is_answered_with_the_code(vk: FakeVk, callback: CallbackServer) -> None:
    assert await vk.confirm(callback.url) == (200, CODE)
    other = {"type": "confirmation", "group_id": 999}
    assert (await vk.post_callback(callback.url, other))[0] == 403


async def test_an_event_is_stored_before_ok_and_without_the_secret(
    vk: FakeVk, callback: CallbackServer, database: Database
) -> None:
    event = s.wall_reply_new("buy now")
    assert await vk.post_callback(callback.url, event, secret=SECRET) == (200, "ok")
    [row] = await inbox_rows(database)
    assert (row.platform, row.event_key, row.status) == ("vk", f"{GROUP_ID}:{event['event_id']}", "pending")
    assert row.payload == event and "secret" not in row.payload


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
async def test_a_wrong_secret_is_refused_and_nothing_stored(
    vk: FakeVk, callback: CallbackServer, database: Database, secret: str | None
) -> None:
    status, _ = await vk.post_callback(callback.url, s.wall_reply_new("buy now"), secret=secret)
    assert status == 403
    assert await inbox_rows(database) == []


async def test_a_resent_event_is_stored_once(
    vk: FakeVk, callback: CallbackServer, database: Database
) -> None:
    event = s.message_new("hello")
    first = await vk.post_callback(callback.url, event, secret=SECRET)
    again = await vk.post_callback(callback.url, event, secret=SECRET)
    assert first == again == (200, "ok")
    assert len(await inbox_rows(database)) == 1


async def test_garbage_and_unused_types(vk: FakeVk, callback: CallbackServer, database: Database) -> None:
    async with aiohttp.ClientSession() as session, session.post(callback.url, data=b"{not json") as resp:
        assert resp.status == 400
    typing = s.event("message_typing_state", {"state": "typing", "from_id": 1, "to_id": -GROUP_ID})
    assert await vk.post_callback(callback.url, typing, secret=SECRET) == (200, "ok")
    no_id = s.wall_reply_new("x")
    no_id["event_id"] = ""
    assert (await vk.post_callback(callback.url, no_id, secret=SECRET))[0] == 400
    assert await inbox_rows(database) == []


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///{tmp}/missing-dir/dozor.sqlite3",
        "postgresql+asyncpg://dozor:pw@127.0.0.1:9/dozor",  # a server that refuses connections
    ],
)
async def test_a_database_that_is_down_gets_503_with_retry_after(vk: FakeVk, tmp_path: Any, url: str) -> None:
    down = Database(url.format(tmp=tmp_path))
    try:
        async with CallbackServer(receiver_for(down).store) as server:
            body = vk.stamp(s.wall_reply_new("buy now"))
            body["secret"] = SECRET
            async with aiohttp.ClientSession() as session, session.post(server.url, json=body) as resp:
                assert resp.status == 503 and resp.headers["Retry-After"] == "5"
    finally:
        await asyncio.sleep(0.05)  # let aiosqlite's worker thread report its failed connect
        await down.dispose()


async def test_an_overloaded_inbox_gets_429_with_retry_after(vk: FakeVk, database: Database) -> None:
    receiver = receiver_for(database, max_backlog=1)  # nothing processes: the backlog stays full
    async with CallbackServer(receiver.store) as server:
        assert await vk.post_callback(server.url, s.wall_reply_new("first"), secret=SECRET) == (200, "ok")
        body = vk.stamp(s.wall_reply_new("one too many"))
        body["secret"] = SECRET
        async with aiohttp.ClientSession() as session, session.post(server.url, json=body) as resp:
            assert resp.status == 429 and resp.headers["Retry-After"] == "5"
    assert [r.payload["object"]["text"] for r in await inbox_rows(database)] == ["first"]


# ---------------------------------------------------------------------------- Long Poll
def long_poll(vk_client: VkClient, db: Database, store: Store | None = None) -> LongPoll:
    return LongPoll(
        vk_client, GROUP_ID, store or receiver_for(db).store, state_reader(db), wait=1, backoff=0.05
    )


async def stored_ts(db: Database) -> str | None:
    async with db.transaction() as session:
        return await service_state.get(session, ts_key(GROUP_ID))


async def run_until(poll: LongPoll, check: Callable[[], bool]) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    try:
        await wait_until(check)
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)


async def test_long_poll_stores_each_batch_with_its_ts(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    vk.push_event(s.wall_reply_new("before Dozor ever ran"))  # a first start begins at VK's newest ts
    poll = long_poll(vk_client, database)
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    await wait_until(lambda: len(vk.a_checks) == 1)
    events = [vk.push_event(s.wall_reply_new(f"c{i}")) for i in range(3)]
    await wait_until(lambda: len(vk.a_checks) >= 3)
    stop.set()
    await asyncio.wait_for(task, 3)
    rows = await inbox_rows(database)
    assert [r.event_key for r in rows] == [f"{GROUP_ID}:{e['event_id']}" for e in events]
    assert [r.payload for r in rows] == events
    assert await stored_ts(database) == str(vk.ts) == "5"


async def test_the_first_start_keeps_vks_ts_at_once(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    vk.push_event(s.wall_reply_new("before Dozor ever ran"))
    await run_until(long_poll(vk_client, database), lambda: len(vk.a_checks) >= 1)
    assert await stored_ts(database) == "2"
    missed = vk.push_event(s.wall_reply_new("while Dozor was down"))  # a crash before any event
    await run_until(long_poll(vk_client, database), lambda: len(vk.a_checks) >= 3)
    assert [r.event_key for r in await inbox_rows(database)] == [f"{GROUP_ID}:{missed['event_id']}"]


async def test_a_restart_resumes_from_the_stored_ts_with_a_fresh_key_losing_and_repeating_nothing(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    async with database.transaction() as session:  # where an earlier run stopped
        await service_state.put(session, ts_key(GROUP_ID), "1")
    for i in range(2):
        vk.push_event(s.wall_reply_new(f"before {i}"))
    await run_until(
        long_poll(vk_client, database), lambda: bool(vk.a_checks) and vk.a_checks[-1].get("ts") == "3"
    )
    assert await stored_ts(database) == "3"
    # while Dozor is down, more events arrive; VK also hands out a new ts to anyone who asks
    later = [vk.push_event(s.wall_reply_new(f"while down {i}")) for i in range(2)]
    keys_before = vk.lp_keys_issued
    await run_until(long_poll(vk_client, database), lambda: vk.a_checks[-1].get("ts") == "5")
    assert vk.lp_keys_issued == keys_before + 1  # a fresh key
    resumed = [q for q in vk.a_checks if q.get("key") == vk.lp_key]
    assert resumed[0]["ts"] == "3"  # from the stored ts, not VK's newest
    rows = await inbox_rows(database)
    assert len(rows) == 4 and len({r.event_key for r in rows}) == 4
    assert [r.payload["object"]["text"] for r in rows][-2:] == [e["object"]["text"] for e in later]


async def test_failed_1_goes_on_from_the_new_ts(vk: FakeVk, vk_client: VkClient, database: Database) -> None:
    async with database.transaction() as session:  # Dozor was down for longer than VK keeps events
        await service_state.put(session, ts_key(GROUP_ID), "1")
    vk.push_event(s.wall_reply_new("lost"))
    vk.forget_history_before(2)
    poll = long_poll(vk_client, database)
    await run_until(poll, lambda: len(vk.a_checks) >= 2)
    assert (vk.a_checks[0]["ts"], vk.a_checks[1]["ts"]) == ("1", "2")  # failed 1 → VK's ts
    after = vk.push_event(s.wall_reply_new("after"))
    await run_until(poll, lambda: len(vk.a_checks) >= 4)
    assert [r.event_key for r in await inbox_rows(database)] == [f"{GROUP_ID}:{after['event_id']}"]
    assert await stored_ts(database) == "3"


@pytest.mark.parametrize(("failed", "ts_kept"), [(2, True), (3, False)])
async def test_failed_2_renews_the_key_and_3_the_key_and_ts(
    vk: FakeVk, vk_client: VkClient, database: Database, failed: int, ts_kept: bool
) -> None:
    poll = long_poll(vk_client, database)
    await run_until(poll, lambda: len(vk.a_checks) >= 1)
    first = vk.push_event(s.wall_reply_new("first"))
    await run_until(poll, lambda: len(vk.a_checks) >= 3)
    vk.lp_fail_next(failed)
    second = vk.push_event(s.wall_reply_new("second"))
    keys_before = vk.lp_keys_issued
    await run_until(poll, lambda: vk.lp_keys_issued == keys_before + 1 and len(vk.a_checks) >= 6)
    assert vk.a_checks[-1]["key"] == vk.lp_key
    keys = {r.event_key for r in await inbox_rows(database)}
    assert f"{GROUP_ID}:{first['event_id']}" in keys
    # failed 2 keeps the ts: "second" is fetched; failed 3 starts at VK's newest ts, after it
    assert (f"{GROUP_ID}:{second['event_id']}" in keys) is ts_kept


async def test_network_errors_pause_and_recover(vk: FakeVk, vk_client: VkClient, database: Database) -> None:
    async with database.transaction() as session:
        await service_state.put(session, ts_key(GROUP_ID), "1")
    vk.lp_http_failures.extend([502, 502])
    event = vk.push_event(s.wall_reply_new("after the outage"))
    await run_until(long_poll(vk_client, database), lambda: len(vk.a_checks) >= 4)
    assert [r.event_key for r in await inbox_rows(database)] == [f"{GROUP_ID}:{event['event_id']}"]


async def test_a_refused_store_does_not_advance_the_ts(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    real = receiver_for(database).store
    refusals = [StorageError("database unavailable (test)"), Overloaded(5000, retry_after=0)]

    async def flaky(platform: str, events: Any, *, cursor: Any = None) -> int:
        if refusals:
            raise refusals.pop(0)
        return await real(platform, events, cursor=cursor)

    async with database.transaction() as session:
        await service_state.put(session, ts_key(GROUP_ID), "1")
    event = vk.push_event(s.wall_reply_new("kept"))
    await run_until(long_poll(vk_client, database, flaky), lambda: not refusals and len(vk.a_checks) >= 4)
    assert [q["ts"] for q in vk.a_checks[:3]] == ["1", "1", "1"]  # the same batch again
    assert [r.event_key for r in await inbox_rows(database)] == [f"{GROUP_ID}:{event['event_id']}"]
    assert await stored_ts(database) == "2"


async def test_stop_is_honoured_while_a_long_poll_is_open(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    poll = LongPoll(vk_client, GROUP_ID, receiver_for(database).store, state_reader(database), wait=25)
    stop = asyncio.Event()
    task = asyncio.create_task(poll.run(stop))
    await wait_until(lambda: len(vk.a_checks) == 1)
    started = time.monotonic()
    stop.set()
    await asyncio.wait_for(task, 2)
    assert time.monotonic() - started < 1.0


async def test_a_database_down_at_start_does_not_skip_to_vks_newest_ts(
    vk: FakeVk, vk_client: VkClient, database: Database
) -> None:
    async with database.transaction() as session:
        await service_state.put(session, ts_key(GROUP_ID), "1")
    kept = vk.push_event(s.wall_reply_new("arrived while Dozor was down"))
    real = state_reader(database)
    outages = [StorageError("database unavailable (test)")]

    async def read(key: str) -> str | None:
        if outages:
            raise outages.pop(0)
        return await real(key)

    poll = LongPoll(vk_client, GROUP_ID, receiver_for(database).store, read, wait=1, backoff=0.05)
    await run_until(poll, lambda: not outages and len(vk.a_checks) >= 2)
    assert vk.a_checks[0]["ts"] == "1"
    assert [r.event_key for r in await inbox_rows(database)] == [f"{GROUP_ID}:{kept['event_id']}"]
