"""Many VK communities in one process, each with its own tokens and way of receiving.

The real runner on one fake VK serving two communities: ``GROUP_ID`` by Long Poll (the
single-community variables) and ``OTHER`` by the Callback API (``DOZOR_VK_COMMUNITIES``). Each
community's moderators' chat has the same peer id in its own community — VK numbers chats per
community — so only the right token reaches the right chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runner import Runner
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models import communities, rules
from models.db import Database
from moderation.engine import Engine
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, USER_TOKEN, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import RULES, all_cases, free_port, settled, wait_until
from tests.e2e.vk_service import setup_vk_community, vk_section

OTHER = 300_200
OTHER_TOKEN = "vk1.a.OtherCommunityTokenOtherCommunityTokenOtherCommunity"
CODE, SECRET = "c0de4other", "otherSecret42"


@pytest.fixture
async def served(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[tuple[Runner, str]]:
    await setup_vk_community(sqlite_database)
    async with sqlite_database.transaction() as session:
        other = await communities.ensure(session, "vk", str(OTHER), title="Other", language="en")
        await communities.update_fields(session, other.id, modchat_id=str(CHAT_PEER))
        await rules.put(session, other.id, "complaint", RULES["complaint"])
    vk.other_groups = {OTHER: OTHER_TOKEN}
    vk.managers = {s.MODERATOR: "administrator"}
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True})
    port = free_port()
    more = [
        {"group_id": OTHER, "group_token": OTHER_TOKEN, "user_token": USER_TOKEN, "mode": "callback"}
        | {"confirmation_code": CODE, "secret": SECRET}
    ]
    settings = load_settings(
        database={"url": sqlite_database.url},
        http={"host": "127.0.0.1", "port": port},
        vk=vk_section(vk, communities=more),
        moderation={"language": "en"},
    )
    runner = Runner(settings, engine=Engine(None), adapters=[VkAdapter(settings.vk, wait=1)], poll_timeout=1)
    await runner.start()
    await wait_until(lambda: vk.a_checks, what="the first a_check of the Long Poll community")
    yield runner, f"http://127.0.0.1:{port}{settings.vk.callback_path}"
    await runner.stop()


async def test_each_community_is_served_through_its_own_token(
    served: tuple[Runner, str], sqlite_database: Database, vk: FakeVk
) -> None:
    runner, url = served
    assert await vk.post_callback(url, {"type": "confirmation", "group_id": OTHER}) == (200, CODE)
    vk.push_event(s.wall_reply_new("I want a refund, the order never came", comment_id=5101))
    other_comment = s.wall_comment("refund please, nothing arrived", comment_id=5102, owner_id=-OTHER)
    other_comment["post_owner_id"] = -OTHER
    status = await vk.post_callback(
        url, s.event("wall_reply_new", other_comment, group_id=OTHER), secret=SECRET
    )
    assert status == (200, "ok")
    cards = lambda: [c for c in vk.call_log("messages.send") if "refund" in c.params.get("message", "")]  # noqa: E731
    await wait_until(lambda: len(cards()) == 2, what="a card in each community's moderators' chat")
    await wait_until(lambda: settled(sqlite_database, runner), what="everything settled")
    by_group = {c.group: c.params["message"] for c in cards()}
    assert set(by_group) == {GROUP_ID, OTHER}
    assert "order never came" in by_group[GROUP_ID] and "nothing arrived" in by_group[OTHER]
    assert {c.params["peer_ids"] for c in cards()} == {str(CHAT_PEER)}  # same number, two chats
    cases = {c.message_id: c for c in await all_cases(sqlite_database)}
    assert cases["5101"].community_id != cases["5102"].community_id


async def test_a_callback_for_a_community_not_served_here_or_with_its_secret_wrong_is_refused(
    served: tuple[Runner, str], vk: FakeVk
) -> None:
    _, url = served
    assert (await vk.post_callback(url, {"type": "confirmation", "group_id": 999}))[0] == 403
    comment = s.event("wall_reply_new", s.wall_comment("hi", owner_id=-OTHER), group_id=OTHER)
    assert (await vk.post_callback(url, comment, secret="s3cretKey42"))[0] == 403  # another's secret
