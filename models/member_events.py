"""Members joining and leaving, kept for the owner's report and the raid signal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import MemberEvent

KINDS = ("joined", "left")


async def add(session: AsyncSession, community_id: int, user_id: str, kind: str, at: datetime) -> None:
    if kind not in KINDS:
        raise ValueError(f"member event kind must be one of {KINDS}, not {kind!r}")
    session.add(MemberEvent(community_id=community_id, user_id=user_id, kind=kind, at=at))
    await session.flush()


async def count(
    session: AsyncSession, community_id: int, kind: str, since: datetime, until: datetime | None = None
) -> int:
    stmt = (
        select(func.count())
        .select_from(MemberEvent)
        .where(MemberEvent.community_id == community_id, MemberEvent.kind == kind, MemberEvent.at >= since)
    )
    if until is not None:
        stmt = stmt.where(MemberEvent.at < until)
    return int((await session.execute(stmt)).scalar_one())
