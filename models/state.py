"""Small durable service state (e.g. the VK long-poll ``ts``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.tables import ServiceState


async def get(session: AsyncSession, key: str) -> str | None:
    row = await session.get(ServiceState, key)
    return row.value if row else None


async def put(session: AsyncSession, key: str, value: str) -> None:
    row = await session.get(ServiceState, key)
    if row is None:
        session.add(ServiceState(key=key, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()
