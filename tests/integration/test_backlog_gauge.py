"""``dozor_inbox_backlog`` tells the truth while the worker is busy, scraped from ``/metrics``."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from bot.httpserver import HttpServer
from bot.pipeline import Pipeline
from bot.receiver import Receiver
from models import inbox
from models.db import Database
from tests.integration.test_pipeline import Word, words

ISSUE_BACKLOG = 449  # what the gauge read as 0 in issue 21


async def _healthy() -> str | None:
    return None


@dataclass
class Service:
    receiver: Receiver
    server: HttpServer
    db: Database

    async def metric(self, name: str) -> float:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{self.server.port}/metrics") as resp,
        ):
            text = await resp.text()
        found = re.findall(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
        return float(found[0]) if found else 0.0  # a labelled series appears once first counted

    async def gauge(self) -> float:
        return await self.metric("dozor_inbox_backlog")

    async def reads(self, value: int, within: float = 5.0) -> None:
        """Until the scraped gauge reads ``value``: counted every second, so 5 s is generous on
        a busy machine."""
        deadline = asyncio.get_running_loop().time() + within
        while (seen := await self.gauge()) != value:
            assert asyncio.get_running_loop().time() < deadline, f"the gauge read {seen}, not {value}"
            await asyncio.sleep(0.1)

    async def waiting(self) -> int:
        async with self.db.transaction() as session:
            return await inbox.backlog(session)

    async def store(self, count: int) -> None:
        for start in range(0, count, 100):  # as webhook requests arrive: several transactions
            events = [(f"e{i}", {"text": f"m{i}"}) for i in range(start, min(count, start + 100))]
            await self.receiver.store("shell", events)


PER_EVENT = 0.02  # seconds: the slow worker takes at most 50 events a second


@contextlib.asynccontextmanager
async def worker(db: Database, mode: str) -> AsyncIterator[Receiver]:
    """A receiver whose inbox worker runs until the block ends: ``held`` in its first batch (a
    slow platform, a long transaction), or ``slow`` (``PER_EVENT`` an event; event m1 fails)."""
    gate = asyncio.Event()

    async def handle(update: Word, _key: str) -> None:
        if mode == "held":
            await gate.wait()
        elif update.text == "m1":
            raise ValueError("this one event cannot be processed (test)")
        else:
            await asyncio.sleep(PER_EVENT)

    receiver = Receiver(Pipeline(db, handle, {"shell": words}), batch=50)
    stop = asyncio.Event()
    running = asyncio.get_running_loop().create_task(receiver.run(stop))
    try:
        yield receiver
    finally:
        gate.set()
        stop.set()
        await asyncio.wait_for(running, 30)


@pytest.fixture
async def service(database: Database, request: pytest.FixtureRequest) -> AsyncIterator[Service]:
    """``/metrics`` and a receiver whose worker is ``held`` or ``slow`` (see ``worker``)."""
    server = HttpServer("127.0.0.1", 0, health=_healthy)
    await server.start()
    try:
        async with worker(database, request.param) as receiver:
            yield Service(receiver, server, database)
    finally:
        await server.stop()


@pytest.mark.parametrize("service", ["held"], indirect=True)
async def test_the_gauge_reads_every_waiting_event_while_the_worker_is_stuck(service: Service) -> None:
    await service.reads(0)  # the gauge is process-wide: start from this inbox's own count
    await service.store(ISSUE_BACKLOG)
    await service.reads(ISSUE_BACKLOG)
    assert await service.waiting() == ISSUE_BACKLOG  # exact: nothing leaves while it is stuck


@pytest.mark.parametrize("service", ["slow"], indirect=True)
async def test_the_gauge_follows_a_draining_backlog_within_a_second_of_work(service: Service) -> None:
    """While the worker drains 300 events at ≤ 50 a second, the gauge is at most one count
    (1 s) plus the count's own time behind the inbox: off by at most 50 × 1.5 = 75 events."""
    await service.reads(0)
    await service.store(300)
    await asyncio.sleep(1.5)  # the first count after the store
    tolerance = 1.5 / PER_EVENT
    readings = []
    for _ in range(4):
        gauge = await service.gauge()
        waiting = await service.waiting()
        readings.append((gauge, waiting))
        if waiting == 0:
            break
        assert abs(gauge - waiting) <= tolerance, readings
        await asyncio.sleep(0.7)
    assert any(waiting > tolerance for _, waiting in readings), (
        f"the backlog drained too fast to test: {readings}"
    )


@pytest.mark.parametrize("service", ["held"], indirect=True)
async def test_a_second_process_on_the_same_database_counts_the_events_the_first_stored(
    service: Service,
) -> None:
    """Each process reports the inbox's own count, not what it stored itself."""
    other_db = Database(service.db.url)
    try:
        async with worker(other_db, "held") as other:
            await service.store(ISSUE_BACKLOG)
            deadline = asyncio.get_running_loop().time() + 5
            while other.backlog != ISSUE_BACKLOG:
                late = asyncio.get_running_loop().time() >= deadline
                assert not late, f"the other process counted {other.backlog}"
                await asyncio.sleep(0.1)
    finally:
        await other_db.dispose()


@pytest.mark.parametrize("service", ["slow"], indirect=True)
async def test_a_failed_event_is_counted(service: Service) -> None:
    failed = 'dozor_events_failed_total{platform="shell"}'
    before = await service.metric(failed)
    await service.store(3)  # m1 fails
    deadline = asyncio.get_running_loop().time() + 10
    while await service.metric(failed) < before + 1:
        assert asyncio.get_running_loop().time() < deadline, "the failure was not counted"
        await asyncio.sleep(0.1)
