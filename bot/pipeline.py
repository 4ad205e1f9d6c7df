"""Inbox processing: store a platform event first, acknowledge, then hand it to the use cases.

``receive`` commits the raw event to the inbox (unique per platform event key); only then may an
adapter acknowledge the platform. ``process`` translates it and runs the use cases; an event
that fails is retried on the next ``drain_pending`` and marked failed after ``max_attempts``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from bot.payloads import scrub
from handlers.updates import Update
from models import inbox
from models.db import Database
from moderation.errors import StorageError

log = logging.getLogger(__name__)

Translator = Callable[[dict[str, Any]], Sequence[Update]]
Handle = Callable[[Update, str], Awaitable[None]]


class Pipeline:
    """Connects adapters (raw events) to the use cases (``handle``)."""

    def __init__(
        self, db: Database, handle: Handle, translators: Mapping[str, Translator], *, max_attempts: int = 5
    ) -> None:
        self.db = db
        self.handle = handle
        self.translators = dict(translators)
        self.max_attempts = max_attempts

    async def receive(self, platform: str, event_key: str, payload: dict[str, Any]) -> int | None:
        """Store the event; returns its inbox id, or None when it was stored before (a re-delivery).

        Text the databases cannot hold (NUL, lone surrogates) is replaced first, so the event is
        stored and moderated rather than failing on every attempt.
        """
        async with self.db.transaction() as session:
            inbox_id = await inbox.record(session, platform, event_key, scrub(payload))
        if inbox_id is None:
            log.info("duplicate %s event %s ignored", platform, event_key)
        return inbox_id

    async def submit(self, platform: str, event_key: str, payload: dict[str, Any]) -> int | None:
        """Receive, then process at once. Returns the inbox id (None for a duplicate)."""
        inbox_id = await self.receive(platform, event_key, payload)
        if inbox_id is not None:
            await self.process(inbox_id)
        return inbox_id

    async def process(self, inbox_id: int) -> bool:
        """Run one stored event through the use cases. Returns True when it is done with.

        Errors are recorded on the inbox row, never raised: one bad event must not stop the rest.
        """
        async with self.db.transaction() as session:
            item = await inbox.get(session, inbox_id)
        if item is None or item.status != "pending":
            return True
        try:
            translate = self.translators[item.platform]
            for update in translate(item.payload):
                await self.handle(update, item.event_key)
        except StorageError:
            raise  # the database is down: leave the event pending, the caller retries later
        except Exception as exc:  # one bad event must not stop the service
            final = item.attempts + 1 >= self.max_attempts
            log.exception(
                "processing %s event %s failed (attempt %d)", item.platform, item.event_key, item.attempts + 1
            )
            async with self.db.transaction() as session:
                await inbox.mark_failed(session, inbox_id, f"{type(exc).__name__}: {exc}", final=final)
            return final
        async with self.db.transaction() as session:
            await inbox.mark_processed(session, inbox_id)
        return True

    async def drain_pending(self, platform: str | None = None) -> int:
        """Process every pending event, oldest first (start-up recovery). Returns how many ran."""
        count = 0
        async with self.db.transaction() as session:
            items = await inbox.pending(session, platform, limit=10_000)
        for item in items:
            await self.process(item.id)
            count += 1
        return count
