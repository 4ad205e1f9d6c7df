"""The inbox: every platform event is stored here before the platform is acknowledged."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import InboxItem
from models.upsert import insert_ignore

MAX_ERROR = 2000
MAX_KEY = 128  # characters of inbox.event_key
MAX_UNSTORABLE = 100_000  # characters of a refused payload kept as text


@dataclass(frozen=True, slots=True)
class InboxRecord:
    id: int
    platform: str
    event_key: str
    payload: dict[str, Any]
    status: str
    attempts: int
    error: str | None
    received_at: datetime


def _record(row: object) -> InboxRecord:
    return to_record(InboxRecord, row)


async def record(session: AsyncSession, platform: str, event_key: str, payload: dict[str, Any]) -> int | None:
    """Store an event once. Returns its inbox id, or None when the same event was stored before."""
    stmt = (
        insert_ignore(session, InboxItem, ["platform", "event_key"])
        .values(
            platform=platform,
            event_key=event_key,
            payload=payload,
            status="pending",
            attempts=0,
            received_at=utcnow(),
        )
        .returning(InboxItem.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def record_refused(
    session: AsyncSession, platform: str, event_key: str, payload: dict[str, Any], reason: str
) -> int | None:
    """Store an event the database refused as it came, already failed: its payload as JSON text
    (``{"unstorable": "…"}``), its key cut to the column, the refusal as its error. None when
    the same (cut) key was stored before."""
    text = json.dumps(payload, ensure_ascii=False, default=repr)[:MAX_UNSTORABLE]
    stmt = (
        insert_ignore(session, InboxItem, ["platform", "event_key"])
        .values(
            platform=platform,
            event_key=event_key[:MAX_KEY],
            payload={"unstorable": text},
            status="failed",
            attempts=0,
            error=reason[:MAX_ERROR],
            received_at=utcnow(),
        )
        .returning(InboxItem.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def record_many(
    session: AsyncSession, platform: str, events: Sequence[tuple[str, dict[str, Any]]]
) -> dict[str, int]:
    """Store a batch of events in one statement; returns ``event key → inbox id`` of those not
    stored before (a key repeated within the batch is stored once)."""
    if not events:
        return {}
    now = utcnow()
    rows = [
        {
            "platform": platform,
            "event_key": key,
            "payload": payload,
            "status": "pending",
            "attempts": 0,
            "received_at": now,
        }
        for key, payload in dict(events).items()
    ]
    # executemany: one statement compiled once whatever the batch's size (a multi-row VALUES
    # would be compiled anew for every size), its rows sent in few round trips.
    stmt = insert_ignore(session, InboxItem.__table__, ["platform", "event_key"])
    stmt = stmt.returning(InboxItem.event_key, InboxItem.id)
    return {key: inbox_id for key, inbox_id in (await session.execute(stmt, rows)).all()}


async def claim(
    session: AsyncSession, now: datetime, lease_until: datetime, *, limit: int = 200
) -> list[InboxRecord]:
    """Take up to ``limit`` pending events for this worker, oldest first, leased until ``lease_until``.

    A row leased by a live worker is skipped (``SKIP LOCKED`` on PostgreSQL); a lease that ran
    out (its worker died) is taken again.
    """
    ids = (
        await session.scalars(
            select(InboxItem.id)
            .where(
                InboxItem.status == "pending",
                or_(InboxItem.claimed_until.is_(None), InboxItem.claimed_until <= now),
            )
            .order_by(InboxItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not ids:
        return []
    # The update re-checks each row: on SQLite the select above locks nothing, so another worker
    # may have leased some of them in between.
    table = InboxItem.__table__
    taken = await session.execute(
        update(table)
        .where(
            table.c.id.in_(ids),
            table.c.status == "pending",
            or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now),
        )
        .values(claimed_until=lease_until)
        .returning(*table.c)
    )
    return sorted((_record(r) for r in taken.all()), key=lambda r: r.id)


async def release_leases(session: AsyncSession) -> int:
    """Free every lease (at start, when no other worker can hold one: SQLite)."""
    res = await session.execute(
        update(InboxItem)
        .where(InboxItem.status == "pending", InboxItem.claimed_until.is_not(None))
        .values(claimed_until=None)
    )
    return int(res.rowcount or 0)


async def backlog(session: AsyncSession) -> int:
    """How many events wait to be processed."""
    stmt = select(func.count()).select_from(InboxItem).where(InboxItem.status == "pending")
    return (await session.execute(stmt)).scalar_one()


async def mark_processed_many(session: AsyncSession, inbox_ids: Sequence[int]) -> None:
    if inbox_ids:
        await session.execute(
            update(InboxItem)
            .where(InboxItem.id.in_(list(inbox_ids)))
            .values(
                status="processed",
                processed_at=utcnow(),
                attempts=InboxItem.attempts + 1,
                error=None,
                claimed_until=None,
            )
        )


async def get(session: AsyncSession, inbox_id: int) -> InboxRecord | None:
    row = await session.get(InboxItem, inbox_id)
    return _record(row) if row else None


async def pending(session: AsyncSession, platform: str | None = None, limit: int = 100) -> list[InboxRecord]:
    """Events stored but not yet processed (e.g. after a crash), oldest first."""
    stmt = select(InboxItem).where(InboxItem.status == "pending").order_by(InboxItem.id).limit(limit)
    if platform:
        stmt = stmt.where(InboxItem.platform == platform)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def failures(session: AsyncSession, limit: int = 50) -> list[InboxRecord]:
    """Events that failed — for good, or waiting for another attempt — newest first."""
    stmt = (
        select(InboxItem)
        .where(InboxItem.status != "processed", InboxItem.error.is_not(None))
        .order_by(InboxItem.id.desc())
        .limit(limit)
    )
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def retry(session: AsyncSession, inbox_ids: Sequence[int]) -> int:
    """Put events that failed for good back in the queue (once their cause is fixed), with
    their attempts counted from zero. Returns how many."""
    res = await session.execute(
        update(InboxItem)
        .where(InboxItem.id.in_(list(inbox_ids)), InboxItem.status == "failed")
        .values(status="pending", attempts=0, claimed_until=None)
    )
    return int(res.rowcount or 0)


async def mark_processed(session: AsyncSession, inbox_id: int) -> None:
    await mark_processed_many(session, [inbox_id])


async def mark_failed(
    session: AsyncSession, inbox_id: int, error: str, *, final: bool, retry_at: datetime | None = None
) -> None:
    """Record a processing error; a non-final failure leaves the event pending, to be tried again
    from ``retry_at`` on (at once when None)."""
    await session.execute(
        update(InboxItem)
        .where(InboxItem.id == inbox_id)
        .values(
            status="failed" if final else "pending",
            attempts=InboxItem.attempts + 1,
            error=error[:MAX_ERROR],
            claimed_until=None if final else retry_at,
        )
    )
