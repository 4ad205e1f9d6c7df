"""Leases and shared request budgets (``models.coordination``) on SQLite and PostgreSQL."""

from __future__ import annotations

from models import coordination
from models.db import Database


async def test_a_lease_is_one_holders_until_it_runs_out_or_is_given_up(database: Database) -> None:
    async with database.transaction() as s:
        assert await coordination.take(s, "poll", "a", now=100.0, ttl=30.0)
        assert await coordination.take(s, "poll", "a", now=110.0, ttl=30.0)  # renewed: until 140
        assert not await coordination.take(s, "poll", "b", now=139.0, ttl=30.0)
        assert await coordination.take(s, "poll", "b", now=140.0, ttl=30.0)  # run out: b's now
        assert not await coordination.take(s, "poll", "a", now=141.0, ttl=30.0)
        await coordination.release(s, "poll", "a")  # not a's: nothing happens
        assert not await coordination.take(s, "poll", "a", now=142.0, ttl=30.0)
        await coordination.release(s, "poll", "b")
        assert await coordination.take(s, "poll", "a", now=143.0, ttl=30.0)
        assert await coordination.take(s, "other", "b", now=143.0, ttl=30.0)  # another name


async def test_a_shared_budget_spaces_requests_whoever_asks(database: Database) -> None:
    async with database.transaction() as s:
        slots = [await coordination.slot(s, "vk:user:abc", now=1000.0, interval=1 / 3) for _ in range(4)]
        later = await coordination.slot(s, "vk:user:abc", now=1010.0, interval=1 / 3)
    assert [round(t - 1000.0, 3) for t in slots] == [0.0, 0.333, 0.667, 1.0]  # 3 a second
    assert later == 1010.0  # an idle budget has room at once
