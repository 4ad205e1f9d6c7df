"""A spam wave on VK is removed in few requests: the real runner, the fake VK (Bots Long Poll).

Removals go through ``execute`` (25 calls a request) on the moderator's token, which VK allows
about 3 requests a second; each comment is deleted once.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.runner import Runner
from models.db import Database
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import FakeVk
from tests.e2e.service import all_cases, settled, wait_until
from tests.e2e.vk_service import SECRET, make_vk_runner, setup_vk_community

WAVE = 60


async def test_a_wave_of_spam_comments_is_deleted_in_few_requests_each_once(
    sqlite_database: Database, vk: FakeVk
) -> None:
    await setup_vk_community(sqlite_database)
    runner: Runner
    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    try:
        await wait_until(lambda: vk.a_checks, what="the first a_check")
        for n in range(WAVE):
            vk.push_event(
                s.wall_reply_new(f"casino bonus {n} for you", from_id=6_000_000 + n, comment_id=9000 + n)
            )
        deleted = lambda: [c for c in vk.call_log("wall.deleteComment")]  # noqa: E731
        await wait_until(lambda: len(deleted()) >= WAVE, within=60, what=f"{WAVE} comments deleted")
        await wait_until(lambda: settled(sqlite_database, runner), what="everything settled")
    finally:
        await runner.stop()
    times = Counter(c.params["comment_id"] for c in deleted())
    assert set(times) == {str(9000 + n) for n in range(WAVE)} and set(times.values()) == {1}
    requests_deleting = {c.execute for c in deleted()}
    assert None not in requests_deleting or len(requests_deleting) < WAVE  # batched, not one by one
    user_requests = [c for c in vk.call_log() if c.token == "user" and c.execute is None]
    assert len(user_requests) <= WAVE // 5, f"{len(user_requests)} requests on the moderator's token"


async def test_events_are_stored_before_any_name_is_looked_up_and_a_silent_vk_holds_no_decision(
    sqlite_database: Database, vk: FakeVk
) -> None:
    """Callback mode: ``ok`` comes back without a call to VK; names are asked once per batch,
    afterwards, and when VK does not answer the batch goes on without them within its deadline."""
    await setup_vk_community(sqlite_database)
    vk.names = {6_100_001: ("Ivan", "Petrov")}
    runner, url = make_vk_runner(sqlite_database.url, vk, callback=True)
    await runner.start()
    try:
        before = len(vk.call_log())
        status = await vk.post_callback(
            url, s.wall_reply_new("casino for all", from_id=6_100_001), secret=SECRET
        )
        assert status == (200, "ok")
        await wait_until(lambda: settled(sqlite_database, runner), what="the first comment decided")
        named = await all_cases(sqlite_database)
        assert [c.author_name for c in named] == ["Ivan Petrov"]
        assert [c.method for c in vk.call_log()[before:]].count("users.get") == 1

        vk.fail_http("users.get", 502, times=50)  # VK stops answering users.get
        loop = asyncio.get_running_loop()
        posted = loop.time()
        await vk.post_callback(
            url, s.wall_reply_new("casino again", from_id=6_100_002, comment_id=9501), secret=SECRET
        )
        await wait_until(
            lambda: any(c.params.get("comment_id") == "9501" for c in vk.call_log("wall.deleteComment"))
        )
        assert loop.time() - posted < 5.0  # the 0.5 s deadline, not the client's retries
    finally:
        await runner.stop()
