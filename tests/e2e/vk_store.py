"""The real inbox behind the VK receiving tests: a ``Receiver`` over a ``Pipeline``, and readers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.pipeline import Pipeline
from bot.receiver import Receiver
from bot.vk.translate import translate
from models import inbox
from models.db import Database
from models.inbox import InboxRecord
from models.tables import InboxItem


class Recorder:
    """The use cases' stand-in: remembers which events reached it."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, str]] = []

    async def __call__(self, update: Any, event_key: str) -> None:
        self.seen.append((update, event_key))


def receiver_for(db: Database, **kwargs: Any) -> Receiver:
    """The shared receiver storing into ``db`` (its ``store`` is what the VK adapter is given)."""
    return Receiver(Pipeline(db, Recorder(), {"vk": translate}), **kwargs)


async def inbox_rows(db: Database) -> list[InboxRecord]:
    async with db.transaction() as session:
        ids = (await session.scalars(select(InboxItem.id).order_by(InboxItem.id))).all()
        found = [await inbox.get(session, i) for i in ids]
    return [r for r in found if r is not None]
