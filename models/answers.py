"""Saved answers: ready texts moderators post from an escalation card (``/answers``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import SavedAnswer


@dataclass(frozen=True, slots=True)
class SavedAnswerRecord:
    id: int
    community_id: int
    name: str
    text: str
    quick: bool
    created_by: str | None
    created_at: datetime


def _record(row: object) -> SavedAnswerRecord:
    return to_record(SavedAnswerRecord, row)


async def put(
    session: AsyncSession, community_id: int, name: str, text: str, *, created_by: str | None = None
) -> SavedAnswerRecord:
    """Add an answer, or replace the text of the one with this name (its quick mark stays)."""
    row = await _row(session, community_id, name)
    if row is None:
        row = SavedAnswer(
            community_id=community_id, name=name, text=text, quick=False, created_by=created_by,
            created_at=utcnow(),
        )  # fmt: skip
        session.add(row)
    else:
        row.text = text
    await session.flush()
    return _record(row)


async def _row(session: AsyncSession, community_id: int, name: str) -> SavedAnswer | None:
    stmt = select(SavedAnswer).where(SavedAnswer.community_id == community_id, SavedAnswer.name == name)
    return (await session.scalars(stmt)).one_or_none()


async def get(session: AsyncSession, community_id: int, name: str) -> SavedAnswerRecord | None:
    row = await _row(session, community_id, name)
    return _record(row) if row else None


async def by_id(session: AsyncSession, answer_id: int) -> SavedAnswerRecord | None:
    row = await session.get(SavedAnswer, answer_id)
    return _record(row) if row else None


async def list_for(
    session: AsyncSession, community_id: int, *, quick_only: bool = False
) -> list[SavedAnswerRecord]:
    stmt = select(SavedAnswer).where(SavedAnswer.community_id == community_id).order_by(SavedAnswer.name)
    if quick_only:
        stmt = stmt.where(SavedAnswer.quick.is_(True))
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def remove(session: AsyncSession, community_id: int, name: str) -> bool:
    res = await session.execute(
        delete(SavedAnswer).where(SavedAnswer.community_id == community_id, SavedAnswer.name == name)
    )
    return res.rowcount == 1


async def set_quick(session: AsyncSession, community_id: int, name: str, quick: bool) -> bool:
    res = await session.execute(
        update(SavedAnswer)
        .where(SavedAnswer.community_id == community_id, SavedAnswer.name == name)
        .values(quick=quick)
    )
    return res.rowcount == 1
