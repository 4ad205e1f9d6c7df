"""Join checks: a newcomer restricted until they press the check button, removed at the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import JoinCheck


@dataclass(frozen=True, slots=True)
class JoinCheckRecord:
    id: int
    community_id: int
    user_id: str
    name: str
    message_id: str | None
    status: str
    deadline: datetime
    created_at: datetime


def _record(row: object) -> JoinCheckRecord:
    return to_record(JoinCheckRecord, row)


async def start(
    session: AsyncSession, community_id: int, user_id: str, name: str, *, deadline: datetime, now: datetime
) -> JoinCheckRecord:
    """A pending check for this member (a member who rejoins starts a fresh one)."""
    stmt = select(JoinCheck).where(JoinCheck.community_id == community_id, JoinCheck.user_id == user_id)
    row = (await session.scalars(stmt)).one_or_none()
    if row is None:
        row = JoinCheck(community_id=community_id, user_id=user_id, created_at=now)
        session.add(row)
    row.name, row.status, row.deadline, row.message_id = name, "pending", deadline, None
    await session.flush()
    return _record(row)


async def get(session: AsyncSession, check_id: int) -> JoinCheckRecord | None:
    row = await session.get(JoinCheck, check_id)
    return _record(row) if row else None


async def pending_for(session: AsyncSession, community_id: int, user_id: str) -> JoinCheckRecord | None:
    stmt = select(JoinCheck).where(
        JoinCheck.community_id == community_id, JoinCheck.user_id == user_id, JoinCheck.status == "pending"
    )
    row = (await session.scalars(stmt)).one_or_none()
    return _record(row) if row else None


async def settle(session: AsyncSession, check_id: int, status: str) -> bool:
    """Move a pending check to "passed" or "removed"; True for exactly one caller."""
    res = await session.execute(
        update(JoinCheck).where(JoinCheck.id == check_id, JoinCheck.status == "pending").values(status=status)
    )
    return res.rowcount == 1


async def set_message(session: AsyncSession, check_id: int, message_id: str) -> None:
    await session.execute(update(JoinCheck).where(JoinCheck.id == check_id).values(message_id=message_id))


async def due(session: AsyncSession, now: datetime) -> list[JoinCheckRecord]:
    """Pending checks whose deadline has passed."""
    stmt = (
        select(JoinCheck)
        .where(JoinCheck.status == "pending", JoinCheck.deadline <= now)
        .order_by(JoinCheck.id)
    )
    return [_record(r) for r in (await session.scalars(stmt)).all()]
