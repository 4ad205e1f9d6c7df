"""Inbox discipline: stored once, processed once, failures recorded and retried, nothing lost."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.pipeline import Pipeline
from models import inbox, state
from models.db import Database


@dataclass(frozen=True)
class Word:
    """A stand-in update: ``platform`` and ``chat_id`` decide its lane, like real updates."""

    platform: str
    chat_id: str
    text: str


class Recorder:
    """A use-case entry point that remembers what reached it and can be told to fail."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.fail_times = 0
        self.fail_on: str | None = None

    async def __call__(self, update: Word, event_key: str) -> None:
        if self.fail_times or update.text == self.fail_on:
            self.fail_times = max(0, self.fail_times - 1)
            raise ValueError("handler exploded")
        self.seen.append((update.text, event_key))


def words(payload: dict[str, Any]) -> list[Word]:
    return [Word("shell", payload.get("chat", "c1"), w) for w in payload["text"].split()]


def pipeline(db: Database, handle: Recorder, **kwargs: Any) -> Pipeline:
    return Pipeline(db, handle, {"shell": words}, retry_delay=0.0, **kwargs)


async def once(p: Pipeline) -> None:
    """One pass of the inbox worker: lease what is due, process it."""
    await p.process(await p.claim(100, timedelta(seconds=60)))


async def test_redelivery_is_stored_once(database: Database) -> None:
    handle = Recorder()
    p = pipeline(database, handle)
    assert await p.receive("shell", "1", {"text": "a b"}) is not None
    assert await p.receive("shell", "1", {"text": "a b"}) is None
    assert await p.drain_pending() == 1
    assert handle.seen == [("a", "1"), ("b", "1")]


async def test_a_batch_is_stored_with_the_adapters_cursor_in_one_transaction(database: Database) -> None:
    p = pipeline(database, Recorder())
    ids = await p.store("shell", [("1", {"text": "a"}), ("2", {"text": "b"})], cursor=("vk:ts:1", "42"))
    again = await p.store("shell", [("2", {"text": "b"}), ("3", {"text": "c"})], cursor=("vk:ts:1", "43"))
    assert sorted(ids) == ["1", "2"] and list(again) == ["3"]
    async with database.transaction() as s:
        assert await state.get(s, "vk:ts:1") == "43"
        assert await inbox.backlog(s) == 3


async def test_text_no_database_can_hold_is_replaced_not_lost(database: Database) -> None:
    handle = Recorder()
    p = pipeline(database, handle)
    await p.receive("shell", "1", {"text": "nul\x00here lone\ud800surrogate"})
    await p.drain_pending()
    assert [w for w, _ in handle.seen] == ["nul\ufffdhere", "lone\ufffdsurrogate"]


async def test_failure_is_recorded_and_retried_then_given_up(database: Database) -> None:
    handle = Recorder()
    handle.fail_times = 1
    p = pipeline(database, handle, max_attempts=2)
    inbox_id = await p.receive("shell", "9", {"text": "x"})
    assert inbox_id is not None
    await once(p)
    async with database.transaction() as s:
        item = await inbox.get(s, inbox_id)
    assert item is not None and item.status == "pending" and "handler exploded" in (item.error or "")
    await once(p)
    assert handle.seen == [("x", "9")]

    handle.fail_times = 5
    bad = await p.receive("shell", "10", {"text": "y"})
    await p.drain_pending()
    async with database.transaction() as s:
        item = await inbox.get(s, bad or 0)
    assert item is not None and item.status == "failed" and item.attempts == 2


async def test_one_bad_event_does_not_hold_up_the_others(database: Database) -> None:
    handle = Recorder()
    handle.fail_on = "bad"
    p = pipeline(database, handle, max_attempts=1)
    for key, text in enumerate(["one", "bad", "two"]):
        await p.receive("shell", str(key), {"text": text})
    assert await p.drain_pending() == 3
    assert [w for w, _ in handle.seen] == ["one", "two"]
    async with database.transaction() as s:
        assert await inbox.backlog(s) == 0


async def test_events_received_before_a_crash_are_processed_after_restart(database: Database) -> None:
    before = pipeline(database, Recorder())
    for key in ("1", "2", "3"):
        await before.receive("shell", key, {"text": f"m{key}"})
    # the process dies here; a new one starts on the same database
    handle = Recorder()
    after = pipeline(database, handle)
    assert await after.drain_pending() == 3
    assert [k for _, k in handle.seen] == ["1", "2", "3"]
    assert await after.drain_pending() == 0


async def test_each_chat_keeps_its_order_and_consecutive_events_are_batched(database: Database) -> None:
    handle = Recorder()
    batches: list[list[str]] = []

    async def moderate(items: Any) -> None:
        batches.append([u.text for u, _ in items])
        for update, key in items:
            handle.seen.append((update.text, key))

    # Word is no Event, so batches only form through ``moderate`` when the lane is all Events;
    # here each update goes through ``handle`` and order is what is checked.
    p = pipeline(database, handle, moderate=moderate, concurrency=2)
    for i in range(6):
        await p.receive("shell", str(i), {"text": f"m{i}", "chat": f"c{i % 2}"})
    await p.drain_pending()
    for chat in ("c0", "c1"):
        texts = [w for w, _ in handle.seen if int(w[1:]) % 2 == int(chat[1:])]
        assert texts == sorted(texts, key=lambda w: int(w[1:]))


async def test_a_leased_event_is_not_taken_by_a_second_worker_until_its_lease_runs_out(
    database: Database,
) -> None:
    p = pipeline(database, Recorder())
    await p.receive("shell", "1", {"text": "a"})
    first = await p.claim(10, timedelta(seconds=60))
    assert [i.event_key for i in first] == ["1"]
    assert await p.claim(10, timedelta(seconds=60)) == []  # another worker finds nothing to take
    expired = await p.claim(10, timedelta(seconds=-1))  # nothing left to lease…
    assert expired == []


async def test_two_workers_on_one_inbox_handle_each_event_once(database: Database) -> None:
    handle = Recorder()
    first, second = pipeline(database, handle), pipeline(database, handle)
    await first.store("shell", [(str(i), {"text": f"m{i}", "chat": f"c{i % 3}"}) for i in range(60)])
    await asyncio.gather(first.drain_pending(batch=7), second.drain_pending(batch=5))
    assert sorted(k for _, k in handle.seen) == sorted(str(i) for i in range(60))


async def test_concurrent_stores_share_transactions_and_each_caller_learns_its_own_outcome(
    database: Database,
) -> None:
    from bot.receiver import Receiver

    receiver = Receiver(pipeline(database, Recorder()))
    keys = [str(i) for i in range(40)] + ["0", "1"]  # two re-deliveries among them
    await receiver.store("shell", [("0", {"text": "first"}), ("1", {"text": "first"})])
    counts = await asyncio.gather(*(receiver.store("shell", [(k, {"text": k})]) for k in keys))
    assert counts[:2] == [0, 0] and counts[2:40] == [1] * 38 and counts[40:] == [0, 0]
    async with database.transaction() as s:
        assert await inbox.backlog(s) == 40
