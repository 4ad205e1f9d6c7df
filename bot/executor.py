"""The action executor: runs outbox rows through the platform's Actions port.

Two lanes, each with its own workers, so that enforcement never waits behind chatter:
``enforce`` (delete, mute, ban and their reversals) and ``notify`` (messages, edits, files).
Rows are leased in batches and performed concurrently, each platform call under a timeout;
in the notify lane one chat's messages go out in the order they were planned.

A row is marked done in a transaction that also runs the use-case hooks (store a card's message
id, mark the case executed). Transient failures are retried with exponential backoff, 429/flood
control after the platform's ``retry_after``; permanent failures are marked failed and handed to
``hooks.failed``; an action waiting for a credential the operator has not set yet is kept.

What a crash can repeat: a row leased when the process died is leased again once its lease runs
out. Enforcement is idempotent on every platform (deleting a deleted message, banning a banned
user) and simply runs again. A message is different: when the previous attempt may have reached
the platform and the platform cannot deduplicate, it is not sent again — at most once; where it
can (``Capabilities.dedup_messages``), it is sent again with the same key — exactly once.

The executor knows no platform: it reads each row's typed action (``moderation.actions``),
groups what a platform says it can carry in one request (``Actions.batch_key``, up to
``Capabilities.batch``) and hands it to that platform's ``Actions.perform``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot import backoff, metrics
from bot.groupcommit import GroupCommit
from models import outbox
from models.base import utcnow
from models.db import Database
from models.outbox import WAITING, OutboxRecord
from moderation.actions import ENFORCING, VISIBLE, Action, Delete, Send, from_payload, kinds_of, to_payload
from moderation.errors import ActionFailed, StorageError
from moderation.ports import Actions, Done, Outcome, connection

log = logging.getLogger(__name__)


class ExecutorHooks(Protocol):
    """Use-case reactions to an outbox row's outcome, run inside the marking transaction."""

    async def done(
        self, session: AsyncSession, finished: Sequence[tuple[OutboxRecord, dict[str, Any] | None]]
    ) -> None: ...

    async def failed(self, session: AsyncSession, record: OutboxRecord, error: str) -> None: ...

    async def waiting(self, session: AsyncSession, record: OutboxRecord, needs: str, error: str) -> None: ...


ENFORCE = kinds_of(ENFORCING)  # the enforcement lane; every other kind is a message
EXPIRE_EVERY = 1.0  # seconds between two looks for expired messages
CLAIM_PER_WORKER = 25  # enforcement rows claimed per free worker: room to batch a flood's deletes


@dataclass(frozen=True)
class Lane:
    name: str
    kinds: frozenset[str] | None  # None: every kind but ``exclude``
    exclude: frozenset[str] | None
    workers: int
    in_order_per_chat: bool
    batches: bool = False  # claim more rows and carry out what the platform can batch in one request
    first: frozenset[str] = frozenset()  # kinds claimed before the rest: what readers see
    expires: bool = False  # drops the messages that are past being worth sending (``outbox.expire``)


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed outbox row and the action it holds (None: the row could not be read)."""

    row: OutboxRecord
    action: Action | None
    unreadable: ActionFailed | None = None


def job(row: OutboxRecord) -> Job:
    try:
        return Job(row, from_payload(row.kind, row.payload))
    except ActionFailed as exc:
        return Job(row, None, exc)


def calls(jobs: Sequence[Job], ports: Mapping[str, Actions]) -> list[list[Job]]:
    """Jobs grouped into platform requests: actions with the same ``batch_key`` on one platform
    go together, up to the platform's ``capabilities.batch``; every other job is a request of
    its own. A row an earlier worker began (``started_at``) goes alone. In claim order."""
    grouped: list[list[Job]] = []
    open_groups: dict[tuple[str, str | None, Hashable], list[Job]] = {}
    for j in jobs:
        port = connection(ports, j.row.platform, j.row.via)
        key = port.batch_key(j.action) if port is not None and j.action is not None else None
        if port is None or key is None or j.row.started_at is not None:
            grouped.append([j])
            continue
        place = (j.row.platform, j.row.via, key)
        group = open_groups.get(place)
        if group is None or len(group) >= port.capabilities.batch:
            group = open_groups[place] = []
            grouped.append(group)
        group.append(j)
    return grouped


class Executor:
    """Runs due outbox rows.

    Args:
        db: the database holding the outbox.
        actions: the Actions implementation for each platform (keyed by ``Platform`` value).
        hooks: use-case reactions to outcomes.
        max_attempts: transient failures after which a row is given up as failed.
        call_timeout: seconds one platform call may take before it counts as a transient failure.
        workers: concurrent calls per lane ({"enforce": n, "notify": n}).
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
        lease: timedelta = timedelta(seconds=45),
        call_timeout: float = 30.0,
        wait_retry: timedelta = timedelta(minutes=10),
        workers: Mapping[str, int] | None = None,
    ) -> None:
        self.db = db
        self.actions = dict(actions)
        self.hooks = hooks
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.lease = lease
        self.call_timeout = call_timeout
        self.wait_retry = wait_retry
        sizes = {"enforce": 8, "notify": 4, **(workers or {})}
        self.lanes = (
            Lane(
                "enforce",
                ENFORCE,
                None,
                sizes["enforce"],
                in_order_per_chat=False,
                batches=True,
                first=kinds_of([Delete]),
            ),
            Lane("notify", None, ENFORCE, sizes["notify"], in_order_per_chat=True, expires=True),
        )
        self._gates = {lane.name: asyncio.Semaphore(lane.workers) for lane in self.lanes}
        self._wakes: list[asyncio.Event] = []
        self._chat_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._finished = GroupCommit(self._record_finished)
        self.in_flight = 0  # rows claimed and being performed right now

    def wake(self) -> None:
        """New rows were planned: look now rather than at the next poll."""
        for wake in self._wakes:
            wake.set()

    async def _claim(self, lane: Lane, limit: int, now: datetime) -> list[OutboxRecord]:
        """Lease up to ``limit`` due rows of the lane: its ``first`` kinds before the others."""
        async with self.db.transaction() as session:
            rows: list[OutboxRecord] = []
            if lane.first:
                rows = await outbox.claim_due(session, now, now + self.lease, kinds=lane.first, limit=limit)
            if len(rows) < limit:
                rest = (lane.kinds - lane.first) if lane.kinds is not None else None
                rows += await outbox.claim_due(
                    session, now, now + self.lease, kinds=rest, exclude=lane.exclude, limit=limit - len(rows)
                )
            return rows

    async def run_once(self, now: datetime | None = None) -> int:
        """Perform every due row once, lanes one after the other. Returns how many were attempted."""
        now = now or utcnow()
        attempted = 0
        for lane in self.lanes:
            if lane.expires:
                await self._expire(now)
            while rows := await self._claim(lane, 50, now):
                await asyncio.gather(*(self._run(call, lane) for call in self._calls(rows, lane)))
                attempted += len(rows)
        return attempted

    async def _expire(self, now: datetime) -> None:
        """Drop the messages whose time has passed, all in one statement (a flood's notices that
        the chat's limits held back would otherwise go out one by one, hours late)."""
        async with self.db.transaction() as session:
            dropped = await outbox.expire(session, now)
        for platform, kind in dropped:
            metrics.ACTIONS.labels(platform, kind, "expired").inc()
        if dropped:
            log.info("%d held-back message(s) dropped: no longer worth sending", len(dropped))

    def _calls(self, rows: Sequence[OutboxRecord], lane: Lane) -> list[list[Job]]:
        jobs = [job(row) for row in rows]
        return calls(jobs, self.actions) if lane.batches else [[j] for j in jobs]

    async def _run(self, call: list[Job], lane: Lane) -> None:
        self.in_flight += len(call)
        try:
            async with self._gates[lane.name]:
                await self._in_lane(call, lane)
        except StorageError as exc:  # the outcome could not be recorded: the lease runs out, then again
            log.error("outbox %s (%s): %s", _ids(call), call[0].row.kind, exc)
        except Exception:  # recording the outcome failed in an unforeseen way: the lease runs out
            log.exception("outbox %s (%s): recording its outcome failed", _ids(call), call[0].row.kind)
        finally:
            self.in_flight -= len(call)

    async def _in_lane(self, call: list[Job], lane: Lane) -> None:
        if not lane.in_order_per_chat:
            await self._perform(call)
            return
        # Rows are claimed in planning order and asyncio locks are fair: one chat's messages
        # go out in order while other chats' messages go out beside them.
        row = call[0].row
        key = (row.platform, str(row.payload.get("chat_id", "")))
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        async with lock:
            await self._perform(call)
        if not lock.locked() and not lock._waiters:  # type: ignore[attr-defined]
            self._chat_locks.pop(key, None)

    async def _perform(self, call: list[Job]) -> None:
        """One platform request: one row, or a batch of rows the platform carries out together."""
        first = call[0]
        port = connection(self.actions, first.row.platform, first.row.via)
        try:
            if first.unreadable is not None:
                raise first.unreadable
            if port is None:
                raise ActionFailed(
                    f"no adapter is running for platform {first.row.platform!r}", permanent=True
                )
            if first.row.started_at is not None and self._visible_once(first, port):
                await self._finish(first.row, Done(in_doubt=True))
                log.warning(
                    "outbox %s (%s) was being sent when the previous run stopped; not sent again, "
                    "so nobody sees it twice",
                    first.row.id,
                    first.row.kind,
                )
                return
            actions = [j.action for j in call if j.action is not None]
            keys = [f"dozor-outbox-{j.row.id}" for j in call]
            async with asyncio.timeout(self.call_timeout):
                outcomes: Sequence[Outcome] = await port.perform(actions, keys)
        except ActionFailed as exc:
            outcomes = [exc] * len(call)
        except TimeoutError:
            if self._visible_once(first, port):
                # It may have been posted and answered too late: sending it again could show it
                # twice, so it counts as done, in doubt (at most once).
                log.warning(
                    "outbox %s (%s): no answer in %.0fs; not sent again",
                    first.row.id,
                    first.row.kind,
                    self.call_timeout,
                )
                await self._finish(first.row, Done(in_doubt=True))
                return
            outcomes = [ActionFailed(f"the platform did not answer in {self.call_timeout:.0f}s")] * len(call)
        except StorageError:
            raise
        except Exception as exc:  # unexpected: retried like a transient failure, then given up
            log.exception("outbox %s (%s) raised", _ids(call), first.row.kind)
            outcomes = [ActionFailed(f"{type(exc).__name__}: {exc}")] * len(call)
        done = [(j, o) for j, o in zip(call, outcomes, strict=True) if isinstance(o, Done)]
        await asyncio.gather(*(self._finish(j.row, o, j.action) for j, o in done))
        for j, outcome in zip(call, outcomes, strict=True):
            if isinstance(outcome, ActionFailed):
                await self._failure(j.row, outcome)

    @staticmethod
    def _visible_once(j: Job, port: Actions | None) -> bool:
        """A message people would see twice if repeated, on a platform that cannot tell."""
        return isinstance(j.action, VISIBLE) and not (port is not None and port.capabilities.dedup_messages)

    async def _finish(self, row: OutboxRecord, done: Done, action: Action | None = None) -> None:
        """Record a row done. Rows finishing side by side share one transaction (group commit):
        on SQLite, where writers take turns, one commit per action would hold enforcement up."""
        await self._finished.add((row, done, action))
        metrics.ACTIONS.labels(row.platform, row.kind, "done").inc()
        if row.created_at is not None:
            metrics.ACTION_LATENCY.labels(row.platform, row.kind).observe(
                (utcnow() - row.created_at).total_seconds()
            )

    async def _record_finished(self, finished: Sequence[tuple[OutboxRecord, Done, Action | None]]) -> None:
        async with self.db.transaction() as session:
            marked = await outbox.mark_done_many(session, [(row.id, d.result()) for row, d, _ in finished])
            done = [(row, d.result()) for row, d, _ in finished if row.id in marked]
            for row, d, action in finished:
                if row.id in marked and isinstance(action, Send) and action.delete_after and d.message_id:
                    # Housekeeping of Dozor's own message: it belongs to no case, so the case is
                    # settled without waiting for it, and its failure fails no case.
                    own = Delete(action.chat_id, (d.message_id,), action.surface, action.thread_id)
                    await outbox.enqueue(
                        session,
                        platform=row.platform,
                        via=row.via,
                        kind="delete",
                        community_id=row.community_id,
                        not_before=utcnow() + timedelta(seconds=action.delete_after),
                        payload=to_payload(own),
                    )
            if self.hooks and done:
                await self.hooks.done(session, done)

    async def _failure(self, row: OutboxRecord, exc: ActionFailed) -> None:
        error, attempts = str(exc), row.attempts + 1
        async with self.db.transaction() as session:
            if exc.needs:
                first = not (row.last_error or "").startswith(WAITING)
                log.warning("outbox %s (%s) waits for %s: %s", row.id, row.kind, exc.needs, error)
                await outbox.mark_retry(
                    session, row.id, f"{WAITING}{exc.needs}: {error}", utcnow() + self.wait_retry, count=False
                )
                if first and self.hooks:
                    await self.hooks.waiting(session, row, exc.needs, error)
                outcome = "waiting"
            elif exc.retry_after is not None and not exc.permanent:
                # "Later", not "failed": flood control and the per-chat message limits hold a row
                # back without spending its attempts (a busy group's notices wait, then go out).
                log.info("outbox %s (%s) held back %.1fs: %s", row.id, row.kind, exc.retry_after, error)
                later = utcnow() + timedelta(seconds=exc.retry_after)
                await outbox.mark_retry(session, row.id, error, later, count=False)
                outcome = "deferred"
            elif exc.permanent or attempts >= self.max_attempts:
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
                outcome = "failed"
            else:
                delay = backoff.delay(attempts, base=self.base_delay, cap=self.max_delay)
                log.info("outbox %s (%s) will retry in %.1fs: %s", row.id, row.kind, delay, error)
                await outbox.mark_retry(session, row.id, error, utcnow() + timedelta(seconds=delay))
                outcome = "retry"
        metrics.ACTIONS.labels(row.platform, row.kind, outcome).inc()

    async def run_forever(self, stop: asyncio.Event, poll: float = 1.0) -> None:
        """Run every lane until ``stop`` is set."""
        with contextlib.suppress(StorageError):
            async with self.db.transaction() as session:
                await outbox.release_waiting(session, utcnow())
        await asyncio.gather(*(self._lane(lane, stop, poll) for lane in self.lanes))

    async def _lane(self, lane: Lane, stop: asyncio.Event, poll: float) -> None:
        """Keep up to ``lane.workers`` rows in flight; claim more as slots free up."""
        running: set[asyncio.Task[None]] = set()
        wake = asyncio.Event()
        self._wakes.append(wake)
        outage = backoff.Backoff(base=1.0, cap=backoff.OUTAGE_PAUSE)
        swept = 0.0
        try:
            while not stop.is_set():
                wait = poll
                free = lane.workers - len(running)
                if free > 0:
                    try:
                        if lane.expires and time.monotonic() - swept >= EXPIRE_EVERY:
                            await self._expire(utcnow())
                            swept = time.monotonic()
                        # Enforcement claims more rows than it has workers: what the platform can
                        # batch becomes one request, so a flood of spam is removed in few requests.
                        limit = free * (CLAIM_PER_WORKER if lane.batches else 1)
                        rows = await self._claim(lane, limit, utcnow())
                        for call in self._calls(rows, lane):
                            task = asyncio.ensure_future(self._run(call, lane))
                            running.add(task)
                            task.add_done_callback(running.discard)
                        if rows and len(rows) == limit:
                            wait = 0.0 if len(running) < lane.workers else poll
                        else:
                            wait = await self._until_next(lane, poll)
                        outage.succeeded()
                    except Exception as exc:  # a lane never dies: its rows stay in the outbox
                        wait = outage.failed()
                        if isinstance(exc, StorageError):
                            log.error("%s; actions resume in %.0fs", exc, wait)
                        else:
                            log.exception("the %s lane failed; it resumes in %.0fs", lane.name, wait)
                wake.clear()
                waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait()), *running}
                if wait > 0:
                    await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                for w in waiters:
                    if w not in running:
                        w.cancel()
            if running:  # let calls in hand finish (their outcome is recorded), briefly
                await asyncio.wait(running, timeout=self.call_timeout)
        finally:
            self._wakes.remove(wake)
            for task in running:
                task.cancel()

    async def _until_next(self, lane: Lane, poll: float) -> float:
        async with self.db.transaction() as session:
            next_at = await outbox.next_due_at(session, kinds=lane.kinds, exclude=lane.exclude)
        return poll if next_at is None else max(0.0, min(poll, (next_at - utcnow()).total_seconds()))


def _ids(call: Sequence[Job]) -> str:
    return ",".join(str(j.row.id) for j in call)
