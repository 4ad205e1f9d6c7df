"""The inbox: every platform event is stored here before the platform is acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import InboxItem
from models.upsert import insert_ignore

MAX_ERROR = 2000


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


async def get(session: AsyncSession, inbox_id: int) -> InboxRecord | None:
    row = await session.get(InboxItem, inbox_id)
    return _record(row) if row else None


async def pending(session: AsyncSession, platform: str | None = None, limit: int = 100) -> list[InboxRecord]:
    """Events stored but not yet processed (e.g. after a crash), oldest first."""
    stmt = select(InboxItem).where(InboxItem.status == "pending").order_by(InboxItem.id).limit(limit)
    if platform:
        stmt = stmt.where(InboxItem.platform == platform)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def mark_processed(session: AsyncSession, inbox_id: int) -> None:
    await session.execute(
        update(InboxItem)
        .where(InboxItem.id == inbox_id)
        .values(status="processed", processed_at=utcnow(), attempts=InboxItem.attempts + 1, error=None)
    )


async def mark_failed(session: AsyncSession, inbox_id: int, error: str, *, final: bool) -> None:
    """Record a processing error; a non-final failure leaves the event pending for another try."""
    await session.execute(
        update(InboxItem)
        .where(InboxItem.id == inbox_id)
        .values(
            status="failed" if final else "pending",
            attempts=InboxItem.attempts + 1,
            error=error[:MAX_ERROR],
        )
    )
