"""A real inbox store for the VK receiving tests: events and state in one transaction.

The same contract as the shared receiver's ``store`` (platform seam), written on the real
``models.inbox`` and ``models.state`` so the tests exercise the database, not a stand-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from bot.vk.callback import Store
from models import inbox
from models import state as service_state
from models.db import Database
from models.inbox import InboxRecord
from models.tables import InboxItem


def inbox_store(db: Database) -> Store:
    async def store(
        platform: str, events: Sequence[tuple[str, dict[str, Any]]], *, state: tuple[str, str] | None = None
    ) -> int:
        new = 0
        async with db.transaction() as session:
            for key, payload in events:
                if await inbox.record(session, platform, key, payload) is not None:
                    new += 1
            if state is not None:
                await service_state.put(session, *state)
        return new

    return store


async def inbox_rows(db: Database) -> list[InboxRecord]:
    async with db.transaction() as session:
        ids = (await session.scalars(select(InboxItem.id).order_by(InboxItem.id))).all()
        found = [await inbox.get(session, i) for i in ids]
    return [r for r in found if r is not None]
