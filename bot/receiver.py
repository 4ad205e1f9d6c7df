"""The inbox worker shared by every adapter: store events first, process them in batches.

Adapters call ``store`` (webhook requests, polling batches) and acknowledge the platform only
after it returned. ``run`` leases the oldest pending events in batches and hands them to the
pipeline; after each batch ``on_processed`` runs (the runner wakes the outbox executor there).
The database is the queue: a restart, a second process or a crash loses nothing.

Back-pressure: when more than ``max_backlog`` events wait, ``store`` raises ``Overloaded`` —
webhooks answer 429/503 with ``Retry-After`` and pollers pause — so a flood waits at the
platform instead of in Dozor's memory. A database outage is waited out with growing pauses.

The backlog is counted in the inbox itself every ``count_every`` seconds, busy or idle, beside
the processing loop: ``dozor_inbox_backlog`` and the back-pressure bound see every process's
events on a shared PostgreSQL, not only this one's, and are never more than a second old. Between
counts the bound moves by what this process stores and processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from bot import metrics, stopping
from bot.backoff import OUTAGE_PAUSE, Backoff
from bot.groupcommit import GroupCommit
from bot.pipeline import Pipeline
from models import inbox
from moderation.errors import DozorError, StorageError

log = logging.getLogger(__name__)


class Overloaded(DozorError):
    """Too many events wait to be processed; the platform should deliver this one later."""

    def __init__(self, backlog: int, retry_after: int) -> None:
        super().__init__(f"{backlog} events wait to be processed; try again in {retry_after}s")
        self.retry_after = retry_after


class Receiver:
    """Stores events and processes them.

    Args:
        pipeline: stores and processes events.
        on_processed: called after each processed batch (e.g. ``executor.wake``).
        batch: events leased and processed together.
        max_backlog: pending events above which ``store`` refuses new ones.
        lease: how long a batch is this worker's before another may take it.
        count_every: seconds between counts of the waiting events (one cheap indexed query).
    """

    def __init__(
        self,
        pipeline: Pipeline,
        on_processed: Callable[[], None] | None = None,
        *,
        batch: int = 200,
        max_backlog: int = 5000,
        lease: timedelta = timedelta(seconds=30),
        poll: float = 1.0,
        max_outage_pause: float = OUTAGE_PAUSE,
        count_every: float = 1.0,
    ) -> None:
        self.pipeline = pipeline
        self.on_processed = on_processed
        self.batch = batch
        self.max_backlog = max_backlog
        self.lease = lease
        self.poll = poll
        self.max_outage_pause = max_outage_pause
        self.count_every = count_every
        self.backlog = 0  # pending events as last counted, plus those stored since
        self._wake = asyncio.Event()
        self.idle = asyncio.Event()  # set when the last look found nothing to do
        self._groups: dict[str, GroupCommit[list[tuple[str, dict[str, Any]]], dict[str, int]]] = {}

    async def store(
        self,
        platform: str,
        events: Sequence[tuple[str, dict[str, Any]]],
        *,
        cursor: tuple[str, str] | None = None,
    ) -> int:
        """Commit events (and an adapter's cursor) to the inbox. Returns how many were new.

        Raises:
            Overloaded: the backlog is over its bound; nothing was stored.
            StorageError: the database is unavailable; nothing was stored.
        """
        if self.backlog >= self.max_backlog:
            metrics.REFUSED.labels(platform).inc(len(events))
            raise Overloaded(self.backlog, retry_after=5)
        if cursor is not None:  # an adapter's cursor is committed with exactly its own batch
            stored = await self.pipeline.store(platform, events, cursor=cursor)
        else:
            stored = await self._group(platform).add(list(events))
        new = sum(1 for key, _ in dict(events).items() if key in stored)
        if new:
            self.backlog += new
            metrics.RECEIVED.labels(platform).inc(new)
            self.idle.clear()
            self._wake.set()
        return new

    def _group(self, platform: str) -> GroupCommit[list[tuple[str, dict[str, Any]]], dict[str, int]]:
        """Webhook requests of one platform arriving side by side share one inbox transaction;
        each learns the keys it stored newly (a failure fails them all: none is acknowledged)."""
        group = self._groups.get(platform)
        if group is None:

            async def store(batches: Sequence[list[tuple[str, dict[str, Any]]]]) -> dict[str, int]:
                return await self.pipeline.store(platform, [e for events in batches for e in events])

            group = self._groups[platform] = GroupCommit(store)
        return group

    async def run(self, stop: asyncio.Event) -> None:
        """Process stored events until ``stop``; what is left stays pending in the inbox."""
        with contextlib.suppress(StorageError):
            await self._count_backlog()
        counting = asyncio.ensure_future(self._keep_counting(stop))
        try:
            await self._work(stop)
        finally:
            counting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await counting

    async def _work(self, stop: asyncio.Event) -> None:
        outage = Backoff(base=1.0, cap=self.max_outage_pause)
        while not stop.is_set():
            self._wake.clear()
            try:
                items = await self.pipeline.claim(self.batch, self.lease)
                if items:
                    self.idle.clear()  # a store may have raced the last look that found nothing
                    outcome = await self.pipeline.process(items)
                    metrics.observe_processed(items)
                    metrics.observe_failed(items, outcome.failed)
            except Exception as exc:  # the inbox worker never dies: what it had stays pending
                pause = outage.failed()
                if isinstance(exc, StorageError):
                    log.error("%s; processing resumes in %.0fs, nothing is lost", exc, pause)
                else:
                    log.exception("the inbox worker failed; it resumes in %.0fs, nothing is lost", pause)
                await stopping.pause(stop, pause)
                continue
            if outage.failures:
                log.info("the database is back; processing resumed")
                outage.succeeded()
            if items:
                self.backlog = max(0, self.backlog - len(items))
                if self.on_processed is not None:
                    self.on_processed()
                continue
            self.idle.set()
            await stopping.first_set(stop, self._wake, seconds=self.poll)

    async def _keep_counting(self, stop: asyncio.Event) -> None:
        """Count the waiting events every ``count_every`` seconds until ``stop``."""
        while not stop.is_set():
            await stopping.pause(stop, self.count_every)
            try:
                await self._count_backlog()
            except StorageError:
                pass  # the worker reports the outage; the gauge keeps its last count meanwhile
            except Exception:  # counting must never stop: log it and count again next time
                log.exception("counting the inbox backlog failed")

    async def _count_backlog(self) -> None:
        async with self.pipeline.db.transaction() as session:
            self.backlog = await inbox.backlog(session)
        metrics.BACKLOG.set(self.backlog)
