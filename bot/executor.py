"""The action executor: runs outbox rows through the platform's Actions port.

A row is claimed (leased), performed, then marked done in a transaction that also runs the
use-case hooks (store a card's message id, mark the case executed). Transient failures are
retried with exponential backoff, 429/flood control after the platform's ``retry_after``;
permanent failures are marked failed and handed to ``hooks.failed``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from models import outbox
from models.base import utcnow
from models.db import Database
from models.outbox import OutboxRecord
from moderation.errors import ActionFailed, StorageError
from moderation.ports import Actions, Button

log = logging.getLogger(__name__)


class ExecutorHooks(Protocol):
    """Use-case reactions to an outbox row's outcome, run inside the marking transaction."""

    async def done(
        self, session: AsyncSession, record: OutboxRecord, result: dict[str, Any] | None
    ) -> None: ...

    async def failed(self, session: AsyncSession, record: OutboxRecord, error: str) -> None: ...


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _buttons(rows: Sequence[Sequence[Mapping[str, str]]] | None) -> list[list[Button]]:
    return [[Button(text=b["text"], data=b["data"]) for b in row] for row in rows or ()]


async def perform(actions: Actions, kind: str, p: Mapping[str, Any]) -> dict[str, Any] | None:
    """Carry out one planned action. Returns what is worth keeping (a sent message's id)."""
    if kind == "delete":
        await actions.delete_messages(p["chat_id"], [str(m) for m in p["message_ids"]])
    elif kind == "restrict":
        await actions.restrict(p["chat_id"], p["user_id"], _when(p.get("until")))
    elif kind == "unrestrict":
        await actions.unrestrict(p["chat_id"], p["user_id"])
    elif kind == "ban":
        await actions.ban(
            p["chat_id"], p["user_id"], _when(p.get("until")), sender_chat=p.get("sender_chat", False)
        )
    elif kind == "unban":
        await actions.unban(p["chat_id"], p["user_id"], sender_chat=p.get("sender_chat", False))
    elif kind == "send":
        message_id = await actions.send_message(
            p["chat_id"],
            p["text"],
            reply_to=p.get("reply_to"),
            thread_id=p.get("thread_id"),
            buttons=_buttons(p.get("buttons")),
        )
        return {"message_id": message_id}
    elif kind == "edit":
        await actions.edit_message(
            p["chat_id"], p["message_id"], p["text"], buttons=_buttons(p.get("buttons"))
        )
    elif kind == "document":
        send_document = getattr(actions, "send_document", None)
        if send_document is None:
            raise ActionFailed("this platform cannot send files", permanent=True)
        message_id = await send_document(
            p["chat_id"], p["filename"], base64.b64decode(p["content_b64"]), caption=p.get("caption", "")
        )
        return {"message_id": message_id}
    else:
        raise ActionFailed(f"unknown outbox action {kind!r}", permanent=True)
    return None


class Executor:
    """Runs due outbox rows.

    Args:
        db: the database holding the outbox.
        actions: the Actions implementation for each platform (keyed by ``Platform`` value).
        hooks: use-case reactions to outcomes.
        max_attempts: transient failures after which a row is given up as failed.
    """

    def __init__(
        self,
        db: Database,
        actions: Mapping[str, Actions],
        hooks: ExecutorHooks | None = None,
        *,
        max_attempts: int = 8,
        base_delay: float = 2.0,
        max_delay: float = 600.0,
        lease: timedelta = timedelta(minutes=2),
        batch: int = 50,
    ) -> None:
        self.db = db
        self.actions = dict(actions)
        self.hooks = hooks
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.lease = lease
        self.batch = batch
        self._wake = asyncio.Event()
        self.in_flight = 0  # rows claimed and being performed right now

    def wake(self) -> None:
        """New rows were planned: look now rather than at the next poll."""
        self._wake.set()

    async def run_once(self, now: datetime | None = None) -> int:
        """Perform every due row once. Returns how many were attempted."""
        now = now or utcnow()
        async with self.db.transaction() as session:
            rows = await outbox.due(session, now, limit=self.batch)
        attempted = 0
        for row in rows:
            self.in_flight += 1  # before the claim: a claimed row no longer looks due
            try:
                async with self.db.transaction() as session:
                    if not await outbox.claim(session, row.id, now, now + self.lease):
                        continue
                attempted += 1
                await self._run(row)
            finally:
                self.in_flight -= 1
        return attempted

    async def _run(self, row: OutboxRecord) -> None:
        actions = self.actions.get(row.platform)
        try:
            if actions is None:
                raise ActionFailed(f"no adapter is running for platform {row.platform!r}", permanent=True)
            result = await perform(actions, row.kind, row.payload)
        except ActionFailed as exc:
            await self._failure(row, str(exc), permanent=exc.permanent, retry_after=exc.retry_after)
            return
        except Exception as exc:  # unexpected: retried like a transient failure, then given up
            log.exception("outbox %s (%s) raised", row.id, row.kind)
            await self._failure(row, f"{type(exc).__name__}: {exc}", permanent=False, retry_after=None)
            return
        async with self.db.transaction() as session:
            if not await outbox.mark_done(session, row.id, result):
                return
            delete_after = row.payload.get("delete_after")
            if row.kind == "send" and delete_after and result:
                # Housekeeping of Dozor's own message: it belongs to no case, so the case is
                # settled without waiting for it, and its failure fails no case.
                await outbox.enqueue(
                    session,
                    platform=row.platform,
                    kind="delete",
                    community_id=row.community_id,
                    not_before=utcnow() + timedelta(seconds=float(delete_after)),
                    payload={"chat_id": row.payload["chat_id"], "message_ids": [result["message_id"]]},
                )
            if self.hooks:
                await self.hooks.done(session, row, result)

    async def _failure(
        self, row: OutboxRecord, error: str, *, permanent: bool, retry_after: float | None
    ) -> None:
        attempts = row.attempts + 1
        async with self.db.transaction() as session:
            if permanent or attempts >= self.max_attempts:
                log.warning(
                    "outbox %s (%s) failed for good after %d attempt(s): %s",
                    row.id,
                    row.kind,
                    attempts,
                    error,
                )
                await outbox.mark_failed(session, row.id, error)
                if self.hooks:
                    await self.hooks.failed(session, row, error)
                return
            delay = (
                retry_after
                if retry_after is not None
                else min(self.max_delay, self.base_delay * 2 ** (attempts - 1))
            )
            log.info("outbox %s (%s) will retry in %.1fs: %s", row.id, row.kind, delay, error)
            await outbox.mark_retry(session, row.id, error, utcnow() + timedelta(seconds=delay))

    async def run_forever(self, stop: asyncio.Event, poll: float = 1.0) -> None:
        """Run until ``stop`` is set, sleeping until the next due row, a wake-up, or ``poll``."""
        while not stop.is_set():
            try:
                await self.run_once()
                async with self.db.transaction() as session:
                    next_at = await outbox.next_due_at(session)
                wait = poll if next_at is None else max(0.0, min(poll, (next_at - utcnow()).total_seconds()))
            except StorageError as exc:
                log.error("%s; retrying in 5s", exc)
                wait = 5.0
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(stop, self._wake), timeout=wait)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
