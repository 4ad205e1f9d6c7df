"""Moderators: people allowed to decide a community's escalations besides its verified admins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import Moderator
from models.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class ModeratorRecord:
    community_id: int
    user_id: str
    name: str
    can_delete: bool
    can_restrict: bool
    added_by: str | None


def _record(row: object) -> ModeratorRecord:
    return to_record(ModeratorRecord, row)


async def add(
    session: AsyncSession,
    community_id: int,
    user_id: str,
    *,
    name: str = "",
    can_delete: bool = True,
    can_restrict: bool = True,
    added_by: str | None = None,
) -> None:
    """Make someone a moderator of one community (no-op when they already are)."""
    await session.execute(
        insert_ignore(session, Moderator, ["community_id", "user_id"]).values(
            community_id=community_id,
            user_id=user_id,
            name=name,
            can_delete=can_delete,
            can_restrict=can_restrict,
            added_by=added_by,
        )
    )


async def get(session: AsyncSession, community_id: int, user_id: str) -> ModeratorRecord | None:
    stmt = select(Moderator).where(Moderator.community_id == community_id, Moderator.user_id == user_id)
    row = (await session.scalars(stmt)).one_or_none()
    return _record(row) if row else None


async def list_for(session: AsyncSession, community_id: int) -> list[ModeratorRecord]:
    stmt = select(Moderator).where(Moderator.community_id == community_id).order_by(Moderator.id)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def remove(session: AsyncSession, community_id: int, user_id: str) -> bool:
    res = await session.execute(
        delete(Moderator).where(Moderator.community_id == community_id, Moderator.user_id == user_id)
    )
    return res.rowcount == 1
