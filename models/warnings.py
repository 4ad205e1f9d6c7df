"""Warnings: each counts toward the ladder until it expires or is revoked."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import MemberWarning


async def add(
    session: AsyncSession,
    community_id: int,
    user_id: str,
    *,
    issued_at: datetime,
    expires_at: datetime,
    case_id: int | None = None,
) -> int:
    """Record a warning; returns its id."""
    row = issued(community_id, user_id, issued_at=issued_at, expires_at=expires_at, case_id=case_id)
    stmt = insert(MemberWarning.__table__).values(**row).returning(MemberWarning.id)
    return int((await session.execute(stmt)).scalar_one())


def issued(
    community_id: int, user_id: str, *, issued_at: datetime, expires_at: datetime, case_id: int | None
) -> dict[str, Any]:
    """A warning row, for ``add_many``."""
    return {
        "community_id": community_id,
        "user_id": user_id,
        "case_id": case_id,
        "issued_at": issued_at,
        "expires_at": expires_at,
        "revoked": False,
    }


async def add_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Record several warnings (``issued`` rows) in one statement."""
    if rows:
        await session.execute(insert(MemberWarning.__table__), list(rows))


async def live_count(session: AsyncSession, community_id: int, user_id: str, now: datetime) -> int:
    """Unexpired, unrevoked warnings of a member at ``now``."""
    stmt = (
        select(func.count())
        .select_from(MemberWarning)
        .where(
            MemberWarning.community_id == community_id,
            MemberWarning.user_id == user_id,
            MemberWarning.expires_at > now,
            MemberWarning.revoked.is_(False),
        )
    )
    return int((await session.execute(stmt)).scalar_one())


async def live_between(
    session: AsyncSession, community_id: int, user_ids: Collection[str], since: datetime
) -> dict[str, list[datetime]]:
    """Expiry times of the unrevoked warnings of these members that are live at ``since`` or later.

    Lets a batch count each member's live warnings at any moment after ``since`` in memory.
    """
    if not user_ids:
        return {}
    stmt = select(MemberWarning.user_id, MemberWarning.expires_at).where(
        MemberWarning.community_id == community_id,
        MemberWarning.user_id.in_(list(user_ids)),
        MemberWarning.expires_at > since,
        MemberWarning.revoked.is_(False),
    )
    found: dict[str, list[datetime]] = {}
    for user_id, expires_at in (await session.execute(stmt)).all():
        found.setdefault(user_id, []).append(expires_at)
    return found


async def revoke_for_case(session: AsyncSession, case_id: int) -> int:
    """Revoke the warnings a case issued (the case was overturned). Returns how many."""
    res = await session.execute(
        update(MemberWarning).where(MemberWarning.case_id == case_id).values(revoked=True)
    )
    return int(res.rowcount or 0)


async def warned_since(session: AsyncSession, community_id: int, since: datetime) -> set[str]:
    """Users given a warning (not revoked) at or after ``since``."""
    stmt = select(MemberWarning.user_id).where(
        MemberWarning.community_id == community_id,
        MemberWarning.issued_at >= since,
        MemberWarning.revoked.is_(False),
    )
    return set((await session.scalars(stmt)).all())
