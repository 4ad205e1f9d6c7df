"""Giveaways: published draws kept for anyone to check (conditions, seed, fingerprint, winners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import Giveaway


@dataclass(frozen=True, slots=True)
class GiveawayRecord:
    id: int
    community_id: int
    created_by: str | None
    conditions: dict[str, Any]
    seed: str
    fingerprint: str
    candidates: list[Any]
    winners: list[Any]
    created_at: datetime


def _record(row: object) -> GiveawayRecord:
    return to_record(GiveawayRecord, row)


async def create(session: AsyncSession, **fields: Any) -> GiveawayRecord:
    row = Giveaway(**fields)
    session.add(row)
    await session.flush()
    return _record(row)


async def get(session: AsyncSession, giveaway_id: int) -> GiveawayRecord | None:
    row = await session.get(Giveaway, giveaway_id)
    return _record(row) if row else None
