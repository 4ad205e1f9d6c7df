"""Inbox discipline: stored once, processed once, failures recorded and retried, nothing lost."""

from __future__ import annotations

from typing import Any

from bot.pipeline import Pipeline
from models import inbox
from models.db import Database


class Recorder:
    """A use-case entry point that remembers what reached it and can be told to fail."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, str]] = []
        self.fail_times = 0

    async def __call__(self, update: Any, event_key: str) -> None:
        if self.fail_times:
            self.fail_times -= 1
            raise ValueError("handler exploded")
        self.seen.append((update, event_key))


def words(payload: dict[str, Any]) -> list[str]:
    return payload["text"].split()


async def test_redelivery_is_handled_once(database: Database) -> None:
    handle = Recorder()
    pipeline = Pipeline(database, handle, {"shell": words})
    assert await pipeline.submit("shell", "1", {"text": "a b"}) is not None
    assert await pipeline.submit("shell", "1", {"text": "a b"}) is None
    assert handle.seen == [("a", "1"), ("b", "1")]


async def test_failure_is_recorded_and_retried_then_given_up(database: Database) -> None:
    handle = Recorder()
    handle.fail_times = 1
    pipeline = Pipeline(database, handle, {"shell": words}, max_attempts=2)
    inbox_id = await pipeline.submit("shell", "9", {"text": "x"})
    assert inbox_id is not None
    async with database.transaction() as s:
        item = await inbox.get(s, inbox_id)
    assert item is not None and item.status == "pending" and "handler exploded" in (item.error or "")
    assert await pipeline.drain_pending() == 1
    assert handle.seen == [("x", "9")]

    handle.fail_times = 5
    bad = await pipeline.submit("shell", "10", {"text": "y"})
    await pipeline.drain_pending()
    async with database.transaction() as s:
        item = await inbox.get(s, bad or 0)
    assert item is not None and item.status == "failed" and item.attempts == 2


async def test_events_received_before_a_crash_are_processed_after_restart(database: Database) -> None:
    before = Pipeline(database, Recorder(), {"shell": words})
    for key in ("1", "2", "3"):
        await before.receive("shell", key, {"text": f"m{key}"})
    # the process dies here; a new one starts on the same database
    handle = Recorder()
    after = Pipeline(database, handle, {"shell": words})
    assert await after.drain_pending() == 3
    assert [k for _, k in handle.seen] == ["1", "2", "3"]
    assert await after.drain_pending() == 0
