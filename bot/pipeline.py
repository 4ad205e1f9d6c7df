"""Inbox processing: store platform events first, acknowledge, then hand them to the use cases.

``store`` commits raw events to the inbox (unique per platform event key) — with the adapter's
cursor (VK's long-poll ``ts``) in the same transaction — and only then may an adapter
acknowledge the platform. ``process`` translates a batch of stored events and runs the use
cases: events of different communities concurrently, each community's events in arrival order,
consecutive comments of one community decided together in one transaction. An event that fails
is tried again later, alone, and marked failed after ``max_attempts``, with the reason on its
inbox row. What fails an event is anything but a database outage: a bug, a payload the adapter
cannot read, or a value the database refuses (``StorageRefused``: an id out of range, text too
long); its batch-mates go on. Only an outage the database confirms by not answering leaves the
whole batch pending (``StorageError``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot import backoff
from bot.payloads import scrub
from handlers.updates import Update
from models import inbox, outage, state
from models.base import utcnow
from models.db import Database
from models.inbox import InboxRecord
from moderation.errors import StorageError, StorageRefused
from moderation.events import Event

log = logging.getLogger(__name__)

Translator = Callable[[dict[str, Any]], Sequence[Update]]
Handle = Callable[[Update, str], Awaitable[None]]
Moderate = Callable[[Sequence[tuple[Event, str]]], Awaitable[None]]
Prepare = Callable[[list[dict[str, Any]]], Awaitable[None]]


def lane_of(update: Update) -> str:
    """Updates of one lane are handled in order; different lanes may run concurrently."""
    community = getattr(update, "community_id", None) or getattr(update, "chat_id", "")
    return f"{update.platform}:{community}"


@dataclass
class Outcome:
    """What became of a processed batch."""

    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # inbox id → error


class Pipeline:
    """Connects adapters (raw events) to the use cases.

    Args:
        db: the database holding the inbox.
        handle: runs one update (``Dozor.handle``).
        translators: platform name → function turning a stored payload into updates.
        moderate: decides several comments of one community at once (``Dozor.moderate``);
            without it every comment goes through ``handle``.
        prepare: platform name → what completes a batch of stored payloads before they are
            translated (VK's people's names, looked up once per batch); best effort, bounded.
        max_attempts: failures after which an event is given up as failed.
        concurrency: communities processed at the same time (1 on SQLite: one writer).
    """

    def __init__(
        self,
        db: Database,
        handle: Handle,
        translators: Mapping[str, Translator],
        *,
        moderate: Moderate | None = None,
        prepare: Mapping[str, Prepare] | None = None,
        max_attempts: int = 5,
        concurrency: int | None = None,
        retry_delay: float = 0.5,
        max_retry_delay: float = 60.0,
    ) -> None:
        self.db = db
        self.handle = handle
        self.moderate = moderate
        self.translators = dict(translators)
        self.prepare = dict(prepare or {})
        self.max_attempts = max_attempts
        self.concurrency = concurrency or (1 if db.dialect == "sqlite" else 4)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay

    async def store(
        self,
        platform: str,
        events: Sequence[tuple[str, dict[str, Any]]],
        *,
        cursor: tuple[str, str] | None = None,
    ) -> dict[str, int]:
        """Store events (and the adapter's ``cursor`` key/value) in one transaction.

        Text that no database can hold (NUL, lone surrogates) is replaced first, so the event is
        still moderated. Returns ``event key → inbox id`` of the events not stored before.

        An event the database refuses (``StorageRefused``: a key too long for its column, a number
        PostgreSQL's JSON cannot hold) does not hold its batch-mates back: they are stored one by
        one, and the refused one is set aside as a failed inbox row with the database's reason and
        the payload as text — acknowledged, visible to the operator, never retried.

        Raises:
            StorageError: the database is unavailable; do not acknowledge the platform.
        """
        clean = [(key, scrub(payload)) for key, payload in events]
        try:
            async with self.db.transaction() as session:
                ids = await inbox.record_many(session, platform, clean)
                if cursor is not None:
                    await state.put(session, *cursor)
        except StorageRefused as exc:
            if len(clean) > 1:
                log.warning(
                    "the database refused a batch of %d %s events; storing them one by one",
                    len(clean),
                    platform,
                )
                return await self._one_by_one(platform, clean, cursor)
            return await self._set_aside(platform, *clean[0], exc, cursor)
        if len(ids) < len(clean):
            log.info("%d duplicate %s event(s) ignored", len(clean) - len(ids), platform)
        return ids

    async def _one_by_one(
        self, platform: str, events: list[tuple[str, dict[str, Any]]], cursor: tuple[str, str] | None
    ) -> dict[str, int]:
        """Store each event alone; the cursor goes with the last, once all before it are in."""
        ids: dict[str, int] = {}
        for n, event in enumerate(events, 1):
            ids |= await self.store(platform, [event], cursor=cursor if n == len(events) else None)
        return ids

    async def _set_aside(
        self,
        platform: str,
        key: str,
        payload: dict[str, Any],
        refusal: StorageRefused,
        cursor: tuple[str, str] | None,
    ) -> dict[str, int]:
        """Keep an event the database refused as a failed row: its reason and its payload as text."""
        log.error("%s event %s cannot be stored and is set aside as failed: %s", platform, key[:200], refusal)
        try:
            async with self.db.transaction() as session:
                inbox_id = await inbox.record_refused(session, platform, key, payload, str(refusal))
                if cursor is not None:
                    await state.put(session, *cursor)
        except StorageRefused as again:  # not even as text: the log is its only record
            log.error("%s event %s is dropped (%s): %.2000r", platform, key[:200], again, payload)
            if cursor is not None:  # the adapter moves on past it
                async with self.db.transaction() as session:
                    await state.put(session, *cursor)
            return {}
        return {key: inbox_id} if inbox_id is not None else {}

    async def receive(self, platform: str, event_key: str, payload: dict[str, Any]) -> int | None:
        """Store one event; returns its inbox id, or None when it was stored before (a re-delivery)."""
        return (await self.store(platform, [(event_key, payload)])).get(event_key)

    async def claim(self, limit: int, lease: timedelta) -> list[InboxRecord]:
        """Lease the oldest pending events for this process."""
        now = utcnow()
        async with self.db.transaction() as session:
            return await inbox.claim(session, now, now + lease, limit=limit)

    async def process(self, items: Sequence[InboxRecord]) -> Outcome:
        """Run stored events through the use cases and record the outcome on their inbox rows.

        Raises:
            StorageError: the database went away; the events stay pending (their lease runs out).
        """
        outcome = Outcome()
        lanes: dict[str, list[tuple[InboxRecord, Update]]] = {}
        for platform, prepare in self.prepare.items():
            payloads = [item.payload for item in items if item.platform == platform]
            if payloads:
                try:
                    await prepare(payloads)
                except Exception:  # best effort: the events go on as they were stored
                    log.exception(
                        "preparing %d %s event(s) failed; they go on without it", len(payloads), platform
                    )
        for item in items:
            try:
                updates = self.translators[item.platform](item.payload)
            except Exception as exc:  # a payload the adapter cannot read fails alone
                log.exception("translating %s event %s failed", item.platform, item.event_key)
                outcome.failed[item.id] = f"{type(exc).__name__}: {exc}"
                continue
            if not updates:
                outcome.done.append(item.id)
            for update in updates:
                lanes.setdefault(lane_of(update), []).append((item, update))
        gate = asyncio.Semaphore(self.concurrency)

        async def run(lane: list[tuple[InboxRecord, Update]]) -> None:
            async with gate:
                await self._lane(lane, outcome)

        await asyncio.gather(*(run(lane) for lane in lanes.values()))
        done = [i for i in dict.fromkeys(outcome.done) if i not in outcome.failed]
        async with self.db.transaction() as session:
            await inbox.mark_processed_many(session, done)
            for item in items:
                error = outcome.failed.get(item.id)
                if error is not None:
                    final = item.attempts + 1 >= self.max_attempts
                    delay = backoff.delay(item.attempts + 1, base=self.retry_delay, cap=self.max_retry_delay)
                    retry_at = utcnow() + timedelta(seconds=delay)
                    await inbox.mark_failed(session, item.id, scrub(error), final=final, retry_at=retry_at)
        return outcome

    async def _lane(self, lane: list[tuple[InboxRecord, Update]], outcome: Outcome) -> None:
        """One community's updates, in order; consecutive comments are decided together."""
        start = 0
        while start < len(lane):
            end = start
            if self.moderate is not None:
                while end < len(lane) and isinstance(lane[end][1], Event):
                    end += 1
            if end - start > 1:
                segment = lane[start:end]
                try:
                    await self.moderate([(u, i.event_key) for i, u in segment])  # type: ignore[misc]
                    outcome.done.extend(i.id for i, _ in segment)
                except Exception as exc:  # find the culprit: each comment alone
                    if isinstance(exc, StorageError) and not await self.db.answers():
                        raise
                    log.warning("a batch of %d comments failed; deciding them one by one", len(segment))
                    for item, update in segment:
                        await self._one(item, update, outcome)
                start = end
            else:
                await self._one(*lane[start], outcome)
                start += 1

    async def _one(self, item: InboxRecord, update: Update, outcome: Outcome) -> None:
        """Run one update; a failure fails this event alone, except a real database outage.

        An outage (``StorageError``) is confirmed by asking the database something trivial: when
        it does not answer, the whole batch stays pending for later. When it does, the event is
        tried once more (a pooled connection the server had closed is gone by then), and a second
        failure is this event's own: it fails, however the error looked.
        """
        for again in (True, False):
            try:
                await self.handle(update, item.event_key)
            except StorageError as exc:
                if not await self.db.answers():
                    raise  # a real outage: nothing of the batch is marked, nothing is lost
                if again:
                    continue
                why = f"the database answers others but refused this event: {outage.reason(exc)}"
                log.warning("processing %s event %s failed: %s", item.platform, item.event_key, why)
                outcome.failed[item.id] = why
                return
            except Exception as exc:  # one bad event must not stop the rest
                log.exception(
                    "processing %s event %s failed (attempt %d)",
                    item.platform,
                    item.event_key,
                    item.attempts + 1,
                )
                outcome.failed[item.id] = f"{type(exc).__name__}: {exc}"
                return
            outcome.done.append(item.id)
            return

    async def drain_pending(self, *, batch: int = 200) -> int:
        """Process every pending event that is due, oldest first. Returns how many were taken."""
        count = 0
        while items := await self.claim(batch, timedelta(minutes=5)):
            await self.process(items)
            count += len(items)
        return count
