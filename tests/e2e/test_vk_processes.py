"""Two Dozor processes on one PostgreSQL serving one VK community by Bots Long Poll: one polls at
a time, the other takes over when it stops, and no comment is deleted twice.

Two real runners in this test process stand for the two processes: each has its own VK client,
limiters, lease holder and inbox worker; they share only the database and the fake VK.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.runner import Runner
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models.db import Database
from moderation.engine import Engine
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import FakeVk
from tests.e2e.service import free_port, settled, wait_until
from tests.e2e.vk_service import setup_vk_community, vk_section

pytestmark = pytest.mark.postgres
SPAM = 60


def _runner(db_url: str, vk: FakeVk) -> Runner:
    settings = load_settings(
        database={"url": db_url},
        http={"host": "127.0.0.1", "port": free_port()},
        vk=vk_section(vk),
        moderation={"language": "en"},
    )
    adapter = VkAdapter(settings.vk, wait=1, lease_ttl=3.0)
    return Runner(settings, engine=Engine(None), adapters=[adapter], poll_timeout=1)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    from tests.conftest import fresh_database_url

    return fresh_database_url("postgres", request, tmp_path)  # type: ignore[arg-type]


async def test_one_process_polls_the_other_takes_over_and_nothing_is_deleted_twice(
    pg_url: str, vk: FakeVk
) -> None:
    db = Database(pg_url)
    await setup_vk_community(db)
    first, second = _runner(pg_url, vk), _runner(pg_url, vk)
    await first.start()
    await second.start()
    try:
        await wait_until(lambda: len(vk.a_checks) >= 3, what="polling under way")
        keys = {a["key"] for a in vk.a_checks}
        assert len(keys) == 1, f"both processes poll: keys {keys}"
        for n in range(SPAM // 2):
            vk.push_event(s.wall_reply_new(f"casino {n}", from_id=6_200_000 + n, comment_id=9700 + n))
        deleted = lambda: vk.call_log("wall.deleteComment")  # noqa: E731
        await wait_until(lambda: len(deleted()) >= SPAM // 2, within=60, what="the first half deleted")

        await first.stop()  # the poller goes away: the other takes over from the stored ts
        polled_before = len(vk.a_checks)
        for n in range(SPAM // 2, SPAM):
            vk.push_event(s.wall_reply_new(f"casino {n}", from_id=6_200_000 + n, comment_id=9700 + n))
        await wait_until(
            lambda: len(deleted()) >= SPAM, within=60, what="the second half deleted by the other"
        )
        await wait_until(lambda: settled(db, second), what="everything settled")
        assert len({a["key"] for a in vk.a_checks[polled_before:]}) >= 1
    finally:
        await first.stop()
        await second.stop()
        await db.dispose()
    times = Counter(c.params["comment_id"] for c in deleted())
    assert set(times) == {str(9700 + n) for n in range(SPAM)}
    assert [c for c, n in times.items() if n > 1] == []
