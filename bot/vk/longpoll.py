"""Bots Long Poll mode: each batch and the ``ts`` after it are stored in one transaction.

On start the loop asks ``groups.getLongPollServer`` for a fresh server and key and resumes
from the ``ts`` stored with the last batch (``service_state`` key ``vk:longpoll:ts:<group_id>``),
so a restart neither loses nor repeats an event. VK's ``failed`` answers:

- 1: the history is outdated or partly lost; go on from the ``ts`` VK returns;
- 2: the key expired; get a new key, keep the ``ts``;
- 3: the key and the history are gone; get a new key and ``ts``.

Network errors and a database that cannot take a batch pause the loop with growing waits; the
``ts`` is not advanced until the batch is stored, so the same events are fetched again.

Several processes on one PostgreSQL poll a community one at a time: the poller holds a lease
(``bot.coordination``), renewed between requests; when it dies, another takes over from the
stored ``ts`` once the lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot import stopping
from bot.backoff import Backoff
from bot.coordination import Coordination
from bot.receiver import Overloaded
from bot.vk import EVENT_TYPES, PLATFORM, event_key
from bot.vk.callback import Store
from bot.vk.client import VkClient
from models import state as service_state
from models.db import Database
from moderation.errors import ActionFailed, StorageError

log = logging.getLogger(__name__)

ReadState = Callable[[str], Awaitable[str | None]]
LEASE_TTL = 60.0  # seconds another process waits to take over a community whose poller died


def ts_key(group_id: int) -> str:
    """The ``service_state`` key of a community's Long Poll ``ts``."""
    return f"vk:longpoll:ts:{group_id}"


class LongPoll:
    """Receives one community's events by Bots Long Poll.

    Args:
        client: the VK client (community token).
        group_id: the community.
        store: ``bot.receiver``'s store (events and the ``ts`` cursor in one transaction).
        read_state: reads a ``service_state`` value (the stored ``ts``).
        wait: seconds VK holds an ``a_check`` open when there is nothing new (VK's maximum is 90).
        backoff / max_backoff: pauses after a failure, doubled up to the maximum.
    """

    def __init__(
        self,
        client: VkClient,
        group_id: int,
        store: Store,
        read_state: ReadState,
        *,
        wait: int = 25,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        coordination: Coordination | None = None,
        lease_ttl: float = LEASE_TTL,
    ) -> None:
        self.client = client
        self.group_id = group_id
        self.store = store
        self.read_state = read_state
        self.wait = wait
        self.coordination = coordination
        self.lease_ttl = lease_ttl
        self._held_until = 0.0  # monotonic time the lease was last renewed for
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.server = ""
        self.key = ""
        self.ts = ""
        self._failures = Backoff(base=backoff, cap=max_backoff)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set (honoured within moments, even mid-request)."""
        try:
            await self._poll(stop)
        finally:
            if self.coordination is not None:
                await self.coordination.let_go(self.lease)

    @property
    def lease(self) -> str:
        """The lease of polling this community: one process at a time (``bot.coordination``)."""
        return f"vk:longpoll:{self.group_id}"

    async def _poll(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if not await self._holds():
                    log.debug("vk: another process polls community %s; waiting", self.group_id)
                    self.key = ""  # take over from the stored ts when the lease comes here
                    self.ts = ""
                    await stopping.pause(stop, self.lease_ttl / 3)
                    continue
                if not self.key:
                    await self._start()
                answer = await stopping.unless_stopped(self._a_check(), stop)
                if answer is None:
                    return
                await self._handle(answer)
                self._failures.succeeded()
            except (ActionFailed, StorageError, Overloaded, OSError, _PollError) as exc:
                await self._pause(exc, stop)

    async def _holds(self) -> bool:
        """Whether this process polls the community now, renewing its lease when it is due."""
        if self.coordination is None or not self.coordination.shared:
            return True
        now = time.monotonic()
        if now < self._held_until - self.lease_ttl * 2 / 3:
            return True
        if await self.coordination.hold(self.lease, self.lease_ttl):
            self._held_until = now + self.lease_ttl
            return True
        self._held_until = 0.0
        return False

    async def _start(self) -> None:
        """A fresh server and key; the stored ``ts`` when there is one, else VK's current one.

        The key is kept only once the ``ts`` is settled: a failure in between starts over.
        """
        server = await self.client.call(
            "groups.getLongPollServer", {"group_id": self.group_id}, what="start the Long Poll"
        )
        ts = self.ts
        if not ts:
            stored = await self.read_state(ts_key(self.group_id))
            if stored:
                log.info("vk: Long Poll resumes from the stored ts %s", stored)
                ts = stored
            else:
                # The very first start: begin at VK's newest ts and keep it at once, so that events
                # arriving before a crash in the first quiet minutes are fetched after the restart.
                ts = str(server["ts"])
                await self.store(PLATFORM, [], cursor=(ts_key(self.group_id), ts))
        self.server, self.key, self.ts = str(server["server"]), str(server["key"]), ts

    async def _renew_key(self, *, keep_ts: bool) -> None:
        # On failure the old key stays: the next a_check fails again and brings us back here.
        server = await self.client.call(
            "groups.getLongPollServer", {"group_id": self.group_id}, what="renew the Long Poll key"
        )
        self.server, self.key = str(server["server"]), str(server["key"])
        if not (keep_ts and self.ts):
            self.ts = str(server["ts"])

    async def _a_check(self) -> dict[str, Any]:
        params = {"act": "a_check", "key": self.key, "ts": self.ts, "wait": str(self.wait)}
        timeout = aiohttp.ClientTimeout(total=self.wait + 15, connect=10)
        try:
            async with self.client.session.get(self.server, params=params, timeout=timeout) as resp:
                if resp.status != 200:
                    raise _PollError(f"the Long Poll server answered HTTP {resp.status}")
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise _PollError(f"the Long Poll request failed ({type(exc).__name__})") from exc
        if not isinstance(body, dict):
            raise _PollError("the Long Poll server answered something that is not an object")
        return body

    async def _handle(self, answer: dict[str, Any]) -> None:
        failed = answer.get("failed")
        if failed is not None:
            await self._failed(int(failed), answer)
            return
        updates = answer.get("updates") or []
        new_ts = str(answer.get("ts") or self.ts)
        events = [
            (event_key(self.group_id, u["event_id"]), u)
            for u in updates
            if isinstance(u, dict) and u.get("type") in EVENT_TYPES and u.get("event_id")
        ]
        if events or new_ts != self.ts:
            # events and ts in one transaction: after a crash either both are there or neither
            await self.store(PLATFORM, events, cursor=(ts_key(self.group_id), new_ts))
        self.ts = new_ts

    async def _failed(self, failed: int, answer: dict[str, Any]) -> None:
        if failed == 1:
            log.warning(
                "vk: Long Poll history was lost from ts %s; going on from %s", self.ts, answer.get("ts")
            )
            self.ts = str(answer.get("ts") or self.ts)
        elif failed == 2:
            log.info("vk: Long Poll key expired; getting a new one")
            await self._renew_key(keep_ts=True)
        else:  # 3, and anything VK adds later: start over
            log.warning("vk: Long Poll key and history are gone (failed %s); starting from VK's ts", failed)
            await self._renew_key(keep_ts=False)

    async def _pause(self, exc: Exception, stop: asyncio.Event) -> None:
        wait = self._failures.failed()
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            wait = max(wait, float(retry_after))
        log.warning("vk: Long Poll paused for %.1f s: %s", wait, exc)
        await stopping.pause(stop, wait)


class _PollError(Exception):
    """The Long Poll server could not be reached or answered garbage: pause and try again."""


def state_reader(db: Database) -> ReadState:
    """A ``read_state`` over the database (``models.state``)."""

    async def read(key: str) -> str | None:
        async with db.transaction() as session:
            return await service_state.get(session, key)

    return read
