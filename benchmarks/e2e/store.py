"""The benchmarks' view of the service's database: set-up before a run, outcomes after it.

The schema comes from the service's own migrations; communities and rules are written with the
project's repository functions, like ``tests/e2e/service.py`` does. History is bulk-inserted with
one ``INSERT … SELECT`` over a generated series, on the server side (a million cases in seconds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text

from models import communities, rules
from models.db import Database

RULES = {
    "casino": "name: casino\nbody: [casino]\naction: warn\nreason: casino spam\n",
    "complaint": "name: complaint\nbody: [refund]\naction: escalate\n",
}
LADDER = [{"warnings": 2, "action": "mute", "duration": "1h"}, {"warnings": 3, "action": "ban"}]
MODCHAT_BASE = -1009000000000


async def prepare(url: str, groups: Sequence[int]) -> dict[int, int]:
    """Migrate and create one community per group with the test rules; returns group → community id."""
    db = Database(url)
    try:
        await db.upgrade()
        ids = {}
        async with db.transaction() as s:
            for n, group in enumerate(groups):
                c = await communities.ensure(s, "telegram", str(group), title=f"Bench {n}", language="en")
                await communities.update_fields(
                    s, c.id, modchat_id=str(MODCHAT_BASE - n), settings={"policy": {"ladder": LADDER}}
                )
                for name, source in RULES.items():
                    await rules.put(s, c.id, name, source)
                ids[group] = c.id
        return ids
    finally:
        await db.dispose()


async def prepare_vk(url: str, group_id: int, modchat: int) -> int:
    """Migrate and create the VK community (Russian, the test rules, the ladder, a moderators'
    chat); returns its id. ``dozor run`` finds it there and keeps its rules."""
    db = Database(url)
    try:
        await db.upgrade()
        async with db.transaction() as s:
            c = await communities.ensure(s, "vk", str(group_id), title="Bench VK", language="ru")
            await communities.update_fields(
                s, c.id, modchat_id=str(modchat), settings={"policy": {"ladder": LADDER}}
            )
            for name, source in RULES.items():
                await rules.put(s, c.id, name, source)
            return c.id
    finally:
        await db.dispose()


_HISTORY_PG = """
INSERT INTO cases (community_id, platform, kind, event_key, chat_id, message_id, thread_id, edited,
    author_id, author_name, text, scores, reasons, shadow, action, duration_seconds, actor, actor_name,
    reason, source, status, dry_run, error, created_at, decided_at)
SELECT :community, 'telegram', 'telegram_message', :prefix || g, :chat, (100000000 + g)::text, NULL, false,
    (g % 5000 + 1)::text, 'User', 'old message ' || g,
    '{"spam": 0.01}'::json, '[]'::json, '[]'::json,
    CASE WHEN g % 4 = 0 THEN 'warn' ELSE 'allow' END, NULL, 'dozor', 'Dozor', '', 'auto', 'executed',
    false, NULL, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
FROM generate_series(1, :n) AS g
"""
_HISTORY_SQLITE = """
WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < :n)
INSERT INTO cases (community_id, platform, kind, event_key, chat_id, message_id, thread_id, edited,
    author_id, author_name, text, scores, reasons, shadow, action, duration_seconds, actor, actor_name,
    reason, source, status, dry_run, error, created_at, decided_at)
SELECT :community, 'telegram', 'telegram_message', :prefix || g, :chat, CAST(100000000 + g AS TEXT), NULL, 0,
    CAST(g % 5000 + 1 AS TEXT), 'User', 'old message ' || g,
    '{"spam": 0.01}', '[]', '[]', CASE WHEN g % 4 = 0 THEN 'warn' ELSE 'allow' END, NULL, 'dozor',
    'Dozor', '', 'auto', 'executed', 0, NULL,
    datetime('now', '-' || g || ' seconds') || '.000000', datetime('now', '-' || g || ' seconds') || '.000000'
FROM seq
"""


async def add_history(url: str, community_id: int, chat_id: int, n: int) -> None:
    """``n`` decided cases of earlier messages in one community (as after weeks of traffic)."""
    db = Database(url)
    try:
        sql = _HISTORY_SQLITE if db.dialect == "sqlite" else _HISTORY_PG
        async with db.transaction() as s:
            values = {"community": community_id, "prefix": f"hist-{community_id}-", "chat": str(chat_id)}
            await s.execute(text(sql), {**values, "n": n})
        if db.dialect != "sqlite":
            # Vacuumed and analysed now, so that autovacuum does not work through a million new
            # rows on one of the two cores while the service is being measured.
            async with db.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE cases"))
                await conn.execute(text("CHECKPOINT"))
    finally:
        await db.dispose()


@dataclass(frozen=True)
class InboxState:
    total: int
    processed: int
    pending: int
    failed: int


class Observer:
    """Read-only queries the benchmarks poll while the service runs (its own connection pool)."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)

    async def inbox(self) -> InboxState:
        async with self.db.transaction() as s:
            rows = (await s.execute(text("SELECT status, count(*) FROM inbox GROUP BY status"))).all()
        counts = {status: int(n) for status, n in rows}
        get = counts.get
        return InboxState(sum(counts.values()), get("processed", 0), get("pending", 0), get("failed", 0))

    async def inbox_done(self) -> bool:
        """No event pending in the inbox (actions may still be waiting)."""
        async with self.db.transaction() as s:
            return not await s.scalar(text("SELECT count(*) FROM inbox WHERE status = 'pending'"))

    async def settled(self) -> bool:
        """No event pending and no enforcement of a case pending (delete, mute, ban and reversals).

        Dozor's own notices are left out: Telegram allows 20 messages a minute per group, so under
        load they trail the enforcement by minutes by design.
        """
        async with self.db.transaction() as s:
            inbox_pending = await s.scalar(text("SELECT count(*) FROM inbox WHERE status = 'pending'"))
            enforce_pending = await s.scalar(
                text(
                    "SELECT count(*) FROM outbox WHERE status = 'pending' AND case_id IS NOT NULL "
                    "AND kind IN ('delete', 'restrict', 'unrestrict', 'ban', 'unban')"
                )
            )
        return inbox_pending == 0 and enforce_pending == 0

    async def unprocessed(self, event_keys: Iterable[str], platform: str = "telegram") -> dict[str, str]:
        """Of ``event_keys``, those without a processed inbox row → their status (or "missing")."""
        async with self.db.transaction() as s:
            sql = "SELECT event_key, status FROM inbox WHERE platform = :platform"
            rows = (await s.execute(text(sql), {"platform": platform})).all()
        status = dict(rows)
        return {k: status.get(k, "missing") for k in event_keys if status.get(k) != "processed"}

    async def failures(self, limit: int = 5) -> list[tuple[str, str]]:
        async with self.db.transaction() as s:
            sql = "SELECT event_key, error FROM inbox WHERE error IS NOT NULL ORDER BY id LIMIT :n"
            rows = await s.execute(text(sql), {"n": limit})
            return [(str(k), str(e)[:300]) for k, e in rows.all()]

    async def outbox_summary(self) -> dict[tuple[str, str], int]:
        async with self.db.transaction() as s:
            sql = "SELECT kind, status, count(*) FROM outbox GROUP BY kind, status"
            rows = (await s.execute(text(sql))).all()
        return {(k, st): int(n) for k, st, n in rows}

    async def close(self) -> None:
        await self.db.dispose()


async def poll_until(check: Callable[[], Awaitable[bool]], deadline: float, every: float = 0.2) -> bool:
    """Until ``check()`` is true or ``deadline`` (monotonic) passes; returns the last answer."""
    while True:
        if await check():
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(every)
