"""The benchmarks in a tiny configuration, asserting the service's invariants (marked ``chaos``).

The real ``dozor run`` as a process, the fake Bot API (or the fake VK API) in another, PostgreSQL
started here: ``benchmarks/e2e_bench.py`` on SQLite, two processes on one PostgreSQL,
``benchmarks/chaos.py`` with one kill -9, PostgreSQL stopped for 3 s and a platform answering
429/500/late, and ``benchmarks/vk_bench.py`` in both VK modes on VK's request limits. Each
benchmark runs once per module; the tests read its figures. Together they take about two minutes.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from benchmarks.chaos import ChaosResult, chaos
from benchmarks.e2e.backends import Backends
from benchmarks.e2e.fake_vk_api import LimitedVk
from benchmarks.e2e_bench import Result, scenario
from benchmarks.vk_bench import VkResult
from benchmarks.vk_bench import scenario as vk_scenario
from tests.e2e.fake_vk import GROUP_TOKEN, USER_TOKEN
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


# ---------------------------------------------------------------------------- VK
VK_COMMENTS = 200


def _vk_scenario(tmp: Path, **kwargs: object) -> VkResult:
    async def run() -> VkResult:
        backends = Backends(tmp)
        try:
            return await vk_scenario(backends, tmp, **kwargs)  # type: ignore[arg-type]
        finally:
            backends.close()

    result = asyncio.run(run())
    print("\n".join(result.lines()))
    return result


@pytest.fixture(scope="module")
def vk_callback(tmp_path_factory: pytest.TempPathFactory) -> VkResult:
    """200 wall comments POSTed to the Callback URL as fast as taken, PostgreSQL, VK's real limits."""
    _require_postgres()
    tmp = tmp_path_factory.mktemp("vkbench-callback")
    return _vk_scenario(tmp, backend="postgres", mode="callback", comments=VK_COMMENTS, budget=300)


@pytest.fixture(scope="module")
def vk_longpoll(tmp_path_factory: pytest.TempPathFactory) -> VkResult:
    """200 wall comments fetched by Bots Long Poll, SQLite, VK's real limits."""
    tmp = tmp_path_factory.mktemp("vkbench-longpoll")
    return _vk_scenario(tmp, backend="sqlite", mode="longpoll", comments=VK_COMMENTS, budget=300)


@pytest.mark.parametrize("mode", ["vk_callback", "vk_longpoll"])
def test_vk_wave_every_spam_comment_removed_once_and_no_event_lost(
    mode: str, request: pytest.FixtureRequest
) -> None:
    result: VkResult = request.getfixturevalue(mode)
    assert result.delivered == result.comments and result.lost == {}, result.lines()
    assert result.settled, f"removals, mutes and bans still pending after 300 s: {result.lines()}"
    removals = result.removals
    assert removals.spam > 0 and removals.not_removed == 0, result.lines()
    assert removals.removed_twice == 0, result.lines()
    assert result.restrictions and not any(result.restrictions_doubled.values()), result.lines()
    # the fake held each token to VK's limit: what was served fits in it
    assert result.busiest["user"] <= 3 and result.busiest["group"] <= 20, result.lines()


async def test_the_fake_vk_refuses_requests_past_a_tokens_limit_with_error_6() -> None:
    async with LimitedVk(group_rps=20, user_rps=3) as vk:
        async with aiohttp.ClientSession() as http:

            async def call(token: str, method: str, **form: str) -> dict[str, Any]:
                headers = {"Authorization": f"Bearer {token}"}
                async with http.post(f"{vk.api_url}/{method}", data=form, headers=headers) as resp:
                    return dict(await resp.json())

            group = await asyncio.gather(*(call(GROUP_TOKEN, "groups.getById") for _ in range(25)))
            execute = "return [" + ",".join(['API.groups.ban({"group_id":1,"owner_id":5})'] * 25) + "];"
            user = [await call(USER_TOKEN, "execute", code=execute) for _ in range(4)]
    refused = [a for a in group if "error" in a]
    assert len(refused) == 5 and {a["error"]["error_code"] for a in refused} == {6}
    assert ["error" in a for a in user] == [False, False, False, True]  # an execute of 25 is one request
    assert vk.refused == {"group 200100": 5, "user": 1} and vk.executes == 3
