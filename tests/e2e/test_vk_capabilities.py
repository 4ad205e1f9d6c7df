"""A command the platform cannot honour says so instead of confirming (the real runner on fake VK).

VK cannot hold a newcomer until they press a button, and a join happens on the community's page
where no greeting can be posted: ``/joincheck`` and ``/welcome`` say so and save nothing. Raid
mode works there in VK's own way: a newcomer's comment is hidden until a moderator decides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.runner import Runner
from models import communities, members
from models.db import Database
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, settled, wait_until
from tests.e2e.vk_service import make_vk_runner, setup_vk_community

NEWCOMER = 5_550_077


@pytest.fixture
async def runner(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[Runner]:
    community_id = await setup_vk_community(sqlite_database)
    async with sqlite_database.transaction() as session:  # a trusted regular
        await members.ensure(session, community_id, str(s.USER), now=datetime.now(UTC) - timedelta(days=30))
        await members.update_fields(session, community_id, str(s.USER), trusted=True)
    vk.managers = {s.MODERATOR: "administrator"}
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True})
    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    await wait_until(lambda: vk.a_checks, what="the first a_check")
    yield runner
    await runner.stop()


def _answers(vk: FakeVk) -> list[str]:
    return [m["text"] for (peer, _), m in vk.messages.items() if peer == CHAT_PEER]


async def _settings(db: Database) -> dict:
    async with db.transaction() as session:
        community = await communities.find(session, "vk", str(GROUP_ID))
        assert community is not None
        return community.settings


async def test_joincheck_and_welcome_say_they_cannot_be_done_on_vk_and_save_nothing(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.message_new("/joincheck 5", from_id=s.MODERATOR))
    vk.push_event(s.message_new("/welcome Hi {{name}}!", from_id=s.MODERATOR))
    await wait_until(lambda: len(_answers(vk)) >= 2, what="both answers in the moderators' chat")
    joincheck, welcome = _answers(vk)[-2:]
    assert "not possible here" in joincheck and "/raid on" in joincheck
    assert "nowhere here to show a welcome" in welcome
    stored = await _settings(sqlite_database)
    assert not stored.get("join_check_minutes") and not stored.get("welcome")


async def test_raid_mode_on_vk_hides_a_newcomers_comment_until_a_moderator_decides(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.message_new("/raid on", from_id=s.MODERATOR))
    await wait_until(lambda: any("Raid mode is on" in t for t in _answers(vk)), what="raid mode on")
    assert "hidden until a moderator decides" in _answers(vk)[-1]
    vk.push_event(s.event("group_join", {"user_id": NEWCOMER, "join_type": "join"}))
    vk.push_event(s.wall_reply_new("hello everyone, nice to be here", from_id=NEWCOMER, comment_id=4401))
    vk.push_event(s.wall_reply_new("and a regular says hi", from_id=s.USER, comment_id=4402))
    await wait_until(lambda: vk.calls("wall.deleteComment"), what="the newcomer's comment hidden")
    await wait_until(lambda: settled(sqlite_database, runner), what="everything settled")
    assert [c["comment_id"] for c in vk.calls("wall.deleteComment")] == ["4401"]
    held = [c for c in await all_cases(sqlite_database) if c.message_id == "4401"]
    assert [c.action for c in held] == ["hold"]
    assert any("raid" in str(r) for r in held[0].reasons)
    cards = [m for (peer, _), m in vk.messages.items() if peer == CHAT_PEER and m.get("keyboard")]
    assert any("nice to be here" in m["text"] for m in cards)
