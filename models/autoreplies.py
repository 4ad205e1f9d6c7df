"""Auto-replies: keyword/FAQ triggers, their answers, and when each last fired per chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import AutoReply


@dataclass(frozen=True, slots=True)
class AutoReplyRecord:
    id: int
    community_id: int
    trigger: str
    answer: str
    cooldown_seconds: int
    last_fired: dict[str, Any]
    created_by: str | None

    def fired_at(self, chat_id: str) -> datetime | None:
        """When this trigger last answered in ``chat_id``."""
        value = self.last_fired.get(chat_id)
        return datetime.fromisoformat(value) if value else None


def _record(row: object) -> AutoReplyRecord:
    return to_record(AutoReplyRecord, row)


async def list_for(session: AsyncSession, community_id: int) -> list[AutoReplyRecord]:
    stmt = select(AutoReply).where(AutoReply.community_id == community_id).order_by(AutoReply.trigger)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def put(
    session: AsyncSession,
    community_id: int,
    trigger: str,
    answer: str,
    *,
    cooldown_seconds: int = 300,
    created_by: str | None = None,
) -> AutoReplyRecord:
    """Add a trigger, or replace the answer of an existing one."""
    stmt = select(AutoReply).where(AutoReply.community_id == community_id, AutoReply.trigger == trigger)
    row = (await session.scalars(stmt)).one_or_none()
    if row is None:
        row = AutoReply(
            community_id=community_id,
            trigger=trigger,
            answer=answer,
            cooldown_seconds=cooldown_seconds,
            last_fired={},
            created_by=created_by,
        )
        session.add(row)
    else:
        row.answer = answer
        row.cooldown_seconds = cooldown_seconds
    await session.flush()
    return _record(row)


async def remove(session: AsyncSession, community_id: int, trigger: str) -> bool:
    res = await session.execute(
        delete(AutoReply).where(AutoReply.community_id == community_id, AutoReply.trigger == trigger)
    )
    return res.rowcount == 1


async def mark_fired(session: AsyncSession, reply: AutoReplyRecord, chat_id: str, when: datetime) -> bool:
    """Record that ``reply`` answered in ``chat_id`` at ``when``.

    The row is locked while read on PostgreSQL so two processes cannot both fire within the
    cooldown; SQLite serialises writers anyway.

    Returns:
        False when it fired in this chat within its cooldown after all (another process won).
    """
    row = (
        await session.scalars(select(AutoReply).where(AutoReply.id == reply.id).with_for_update())
    ).one_or_none()
    if row is None:
        return False
    fired = dict(row.last_fired or {})
    last = fired.get(chat_id)
    if last and (when - datetime.fromisoformat(last)).total_seconds() < row.cooldown_seconds:
        return False
    fired[chat_id] = when.isoformat()
    await session.execute(update(AutoReply).where(AutoReply.id == reply.id).values(last_fired=fired))
    return True
