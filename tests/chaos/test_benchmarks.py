"""The benchmarks in a tiny configuration, asserting the service's invariants (marked ``chaos``).

The real ``dozor run`` as a process, the fake Bot API in another, PostgreSQL started here:
``benchmarks/e2e_bench.py`` on SQLite, two processes on one PostgreSQL, and ``benchmarks/chaos.py``
with one kill -9, PostgreSQL stopped for 3 s and a platform answering 429/500/late. Each
benchmark runs once per module; the tests read its figures. Together they take about a minute.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.chaos import ChaosResult, chaos
from benchmarks.e2e.backends import Backends
from benchmarks.e2e_bench import Result, scenario
from tests.postgres import PostgresServer, PostgresUnavailable

pytestmark = pytest.mark.chaos

DEAF_LIMIT = 60.0  # seconds the webhook may stay closed after a restart before the test fails


def _require_postgres() -> None:
    try:
        PostgresServer.find_binaries()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but is not installed: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")


def _scenario(tmp: Path, **kwargs: object) -> Result:
    async def run() -> Result:
        backends = Backends(tmp)
        try:
            return await scenario(backends, tmp, **kwargs)  # type: ignore[arg-type]
        finally:
            backends.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """200 updates as fast as the service takes them, one process on SQLite."""
    tmp = tmp_path_factory.mktemp("bench-single")
    return _scenario(
        tmp, backend="sqlite", mode="max", messages=200, rate=0, history=0, processes=1, budget=300
    )


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """300 updates split between two processes on one PostgreSQL."""
    _require_postgres()
    tmp = tmp_path_factory.mktemp("bench-pair")
    return _scenario(
        tmp, backend="postgres", mode="max", messages=300, rate=0, history=0, processes=2, budget=300
    )


@pytest.fixture(scope="module")
def chaotic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosResult]:
    """300 updates at 30/s with one kill -9, PostgreSQL down 3 s, 429/500/late answers."""
    _require_postgres()
    tmp = tmp_path_factory.mktemp("bench-chaos")
    result = asyncio.run(
        chaos(
            tmp, updates=300, kills=1, pg_down=3.0, rate=30.0, p429=0.05, p500=0.05, phang=0.01,
            hang=2.0, settle=75.0, deaf_limit=DEAF_LIMIT, seed=3, wait_for_actions=False,
        )
    )  # fmt: skip
    print("\n".join(result.lines()))
    yield result


def test_one_process_moderates_every_update_and_deletes_every_spam_once(single: Result) -> None:
    assert single.accepted == single.messages, single.lines()
    assert single.unprocessed == 0, single.lines()
    assert single.spam > 0 and single.spam_not_deleted == 0, single.lines()
    assert not any(single.doubled.values()), single.lines()
    assert all(s is not None and s < 10 for s in single.stop_seconds), "SIGTERM did not stop it within 10 s"


def test_two_processes_on_one_database_perform_every_action_once(pair: Result) -> None:
    assert pair.accepted == pair.messages and pair.unprocessed == 0, pair.lines()
    assert pair.spam_not_deleted == 0, pair.lines()
    assert pair.doubled and not any(pair.doubled.values()), pair.lines()


def test_kill_outage_and_platform_faults_lose_nothing(chaotic: ChaosResult) -> None:
    assert chaotic.accepted == chaotic.updates, chaotic.lines()
    assert chaotic.settled, f"the inbox did not drain within 75 s: {chaotic.lines()}"
    assert chaotic.lost == {}, chaotic.lines()


def test_kill_never_shows_a_message_twice(chaotic: ChaosResult) -> None:
    assert chaotic.visible_doubles == 0, chaotic.lines()


def test_webhook_answers_again_soon_after_a_kill(chaotic: ChaosResult) -> None:
    # wait_webhook raised already if it stayed closed longer than DEAF_LIMIT; this names the figure
    assert chaotic.deaf and max(chaotic.deaf) < DEAF_LIMIT, chaotic.lines()


def test_database_outage_is_waited_out_without_exiting(chaotic: ChaosResult) -> None:
    assert not chaotic.exited_during_outage, chaotic.lines()
    assert chaotic.pg_recovery is not None and chaotic.pg_recovery < 30, chaotic.lines()
