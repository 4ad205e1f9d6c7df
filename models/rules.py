"""Admin-written rules, one per row, stored as their YAML source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import Rule

MODES = {"enforce", "shadow"}


@dataclass(frozen=True, slots=True)
class RuleRecord:
    id: int
    community_id: int
    name: str
    source: str
    mode: str
    version: int
    enabled: bool
    author_id: str | None
    created_at: datetime
    updated_at: datetime


def _record(row: object) -> RuleRecord:
    return to_record(RuleRecord, row)


async def list_for(
    session: AsyncSession, community_id: int, *, enabled_only: bool = False
) -> list[RuleRecord]:
    """A community's rules in name order."""
    stmt = select(Rule).where(Rule.community_id == community_id).order_by(Rule.name)
    if enabled_only:
        stmt = stmt.where(Rule.enabled.is_(True))
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def stamp(session: AsyncSession, community_id: int) -> tuple[Any, ...]:
    """What changes whenever any rule of the community changes: ids, versions, modes, switches."""
    stmt = (
        select(Rule.id, Rule.version, Rule.mode, Rule.enabled, Rule.updated_at)
        .where(Rule.community_id == community_id)
        .order_by(Rule.id)
    )
    return tuple(tuple(row) for row in (await session.execute(stmt)).all())


async def get(session: AsyncSession, community_id: int, name: str) -> RuleRecord | None:
    stmt = select(Rule).where(Rule.community_id == community_id, Rule.name == name)
    row = (await session.scalars(stmt)).one_or_none()
    return _record(row) if row else None


async def put(
    session: AsyncSession,
    community_id: int,
    name: str,
    source: str,
    *,
    mode: str = "enforce",
    author_id: str | None = None,
) -> RuleRecord:
    """Add a rule, or replace the source of the rule with that name (its version goes up)."""
    if mode not in MODES:
        raise ValueError(f"rule mode must be one of {sorted(MODES)}, not {mode!r}")
    stmt = select(Rule).where(Rule.community_id == community_id, Rule.name == name)
    row = (await session.scalars(stmt)).one_or_none()
    now = utcnow()
    if row is None:
        row = Rule(
            community_id=community_id,
            name=name,
            source=source,
            mode=mode,
            version=1,
            enabled=True,
            author_id=author_id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    else:
        row.source = source
        row.mode = mode
        row.version = row.version + 1
        row.author_id = author_id
        row.updated_at = now
    await session.flush()
    return _record(row)


async def remove(session: AsyncSession, community_id: int, name: str) -> bool:
    res = await session.execute(delete(Rule).where(Rule.community_id == community_id, Rule.name == name))
    return res.rowcount == 1


async def set_mode(session: AsyncSession, community_id: int, name: str, mode: str) -> bool:
    """Switch a rule between "enforce" and "shadow". False when there is no such rule."""
    if mode not in MODES:
        raise ValueError(f"rule mode must be one of {sorted(MODES)}, not {mode!r}")
    res = await session.execute(
        update(Rule)
        .where(Rule.community_id == community_id, Rule.name == name)
        .values(mode=mode, updated_at=utcnow())
    )
    return res.rowcount == 1
