"""Leases and shared request budgets for processes that share one database.

Times are epoch seconds (``time.time()``), comparable between processes (and, with a working
clock, between machines). Each function is one conditional statement, safe under concurrency.
"""

from __future__ import annotations

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Coordination
from models.upsert import insert_ignore


async def _ensure(session: AsyncSession, name: str) -> None:
    await session.execute(
        insert_ignore(session, Coordination, ["name"]).values(name=name, until=0.0, next_at=0.0)
    )


async def take(session: AsyncSession, name: str, holder: str, now: float, ttl: float) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``now + ttl``: True when it is
    ``holder``'s (free, run out, or already theirs), False while another holds it."""
    await _ensure(session, name)
    taken = await session.execute(
        update(Coordination)
        .where(Coordination.name == name, (Coordination.holder == holder) | (Coordination.until <= now))
        .values(holder=holder, until=now + ttl)
    )
    return taken.rowcount == 1


async def release(session: AsyncSession, name: str, holder: str) -> None:
    """Give the lease up at once (at a clean stop), if ``holder`` has it."""
    await session.execute(
        update(Coordination)
        .where(Coordination.name == name, Coordination.holder == holder)
        .values(holder=None, until=0.0)
    )


async def slot(session: AsyncSession, name: str, now: float, interval: float) -> float:
    """Reserve the next free moment of the budget ``name`` (one request every ``interval``
    seconds, whoever asks): returns when the request may go (``now`` or later)."""
    await _ensure(session, name)
    later = case((Coordination.next_at > now, Coordination.next_at), else_=now) + interval
    reserved = await session.scalar(
        update(Coordination)
        .where(Coordination.name == name)
        .values(next_at=later)
        .returning(Coordination.next_at)
    )
    return float(reserved) - interval
