"""End to end on the fake VK API: ``/report`` under a post, the digest with its chart, chat commands.

The real runner and VkAdapter (Bots Long Poll) against ``FakeVk``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.runner import Runner
from models import communities
from models.db import Database
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, settled, wait_until
from tests.e2e.vk_service import make_vk_runner, setup_vk_community

COMMUNITY_CHAT = 2000000002  # a chat of the community that is not the moderators'


@pytest.fixture
async def runner(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[Runner]:
    await setup_vk_community(sqlite_database)
    vk.managers = {s.MODERATOR: "administrator"}
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True})
    vk.add_chat(COMMUNITY_CHAT, {s.MODERATOR: True, s.USER: False})
    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    await wait_until(lambda: vk.a_checks, what="the first a_check")
    yield runner
    await runner.stop()


def _in_chat(vk: FakeVk, peer: int) -> list[dict]:
    return [m for (p, _), m in vk.messages.items() if p == peer]


async def test_report_typed_as_a_reply_to_a_wall_comment_reaches_the_moderators_and_is_thanked(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.wall_reply_new("you are all idiots here", from_id=s.OTHER, comment_id=960))
    vk.push_event(
        s.wall_reply_new(
            "/report insults",
            from_id=s.USER,
            comment_id=961,
            reply_to_comment=960,
            reply_to_user=s.OTHER,
        )
    )
    await wait_until(
        lambda: any("Thank you" in c["message"] for c in vk.calls("wall.createComment")),
        what="the thank-you under the post",
    )
    await wait_until(
        lambda: any(m.get("keyboard") for m in _in_chat(vk, CHAT_PEER)), what="the report's card"
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the report settled")

    [thanks] = [c for c in vk.calls("wall.createComment") if "Thank you" in c["message"]]
    assert (thanks["owner_id"], thanks["post_id"], thanks["from_group"], thanks["reply_to_comment"]) == (
        str(-GROUP_ID),
        str(s.POST),
        str(GROUP_ID),
        "961",
    )
    [card] = [m for m in _in_chat(vk, CHAT_PEER) if m.get("keyboard") and "idiots" in m["text"]]
    assert "insults" in card["text"]
    cases = await all_cases(sqlite_database)
    reported = [c for c in cases if c.source == "report"]
    assert [(c.message_id, c.thread_id, c.author_id) for c in reported] == [
        ("960", str(s.POST), str(s.OTHER))
    ]
    assert not [c for c in cases if c.status == "failed"]


async def test_the_daily_digest_posts_its_text_and_png_chart_to_the_vk_moderators_chat(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    for n in range(3):
        vk.push_event(s.wall_reply_new(f"nice post {n}", from_id=s.USER))
    vk.push_event(s.message_new("/digest daily", from_id=s.MODERATOR))
    await wait_until(
        lambda: any("daily" in m["text"] for m in _in_chat(vk, CHAT_PEER)), what="/digest answered"
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the command settled")

    later = datetime.now(UTC) + timedelta(minutes=5)
    await wait_until(lambda: vk.calls("docs.save"), what="the chart uploaded: the first digest comes at once")
    await wait_until(lambda: settled(sqlite_database, runner), what="the digest settled")
    assert await runner.dozor.digest_due(now=later) == 0  # planned once

    [text] = [m for m in _in_chat(vk, CHAT_PEER) if m["text"].startswith("📈")]
    assert "• Messages: 3" in text["text"]
    [upload] = vk.uploads.values()
    assert upload["filename"].endswith(".png") and upload["content"][:8] == b"\x89PNG\r\n\x1a\n"
    [doc] = [m for m in _in_chat(vk, CHAT_PEER) if m.get("attachment")]
    assert doc["attachment"].startswith(f"doc{-GROUP_ID}_") and doc["message"].startswith("Messages per day")


async def test_a_command_in_a_community_chat_belongs_to_the_community(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.message_new("/rules", from_id=s.MODERATOR, peer_id=COMMUNITY_CHAT))
    vk.push_event(s.message_new("/stats", from_id=s.MODERATOR, peer_id=COMMUNITY_CHAT))
    await wait_until(lambda: len(_in_chat(vk, COMMUNITY_CHAT)) >= 2, what="both commands answered")
    await wait_until(lambda: settled(sqlite_database, runner), what="the commands settled")

    rules, stats = (m["text"] for m in _in_chat(vk, COMMUNITY_CHAT))
    assert rules.startswith("Rules:") and "• casino [enforce" in rules  # the community's own rules
    assert stats.startswith("Statistics for 7 days")
    async with sqlite_database.transaction() as session:
        known = await communities.list_all(session)
    assert [(c.platform, c.platform_id) for c in known] == [("vk", str(GROUP_ID))]


async def test_a_giveaway_among_commenters_of_one_post_is_drawn_and_its_proof_sent_as_a_file(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.wall_reply_new("count me in", from_id=s.USER, post_id=s.POST))
    vk.push_event(s.wall_reply_new("me too", from_id=s.OTHER, post_id=s.POST + 1))  # another post
    vk.push_event(s.message_new(f"/giveaway 1 post={s.POST}", from_id=s.MODERATOR))
    await wait_until(
        lambda: any("Giveaway #1" in m["text"] for m in _in_chat(vk, CHAT_PEER)), what="the draw"
    )
    vk.push_event(s.message_new("/giveaway proof 1", from_id=s.MODERATOR))
    await wait_until(lambda: vk.calls("docs.save"), what="the proof uploaded")
    await wait_until(lambda: settled(sqlite_database, runner), what="the giveaway settled")

    [result] = [m["text"] for m in _in_chat(vk, CHAT_PEER) if m["text"].startswith("🎁 Giveaway #1")]
    assert f"🏆 id{s.USER}" in result and f"id{s.OTHER}" not in result
    [proof] = vk.uploads.values()
    assert proof["filename"] == "giveaway-1.txt" and f"candidates = ['{s.USER}']" in proof["content"].decode()


async def test_export_asked_twice_sends_the_file_twice_even_when_nothing_changed(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    for _ in range(2):
        vk.push_event(s.message_new("/export", from_id=s.MODERATOR))
    await wait_until(lambda: len(vk.calls("docs.save")) == 2, what="both files uploaded")
    await wait_until(lambda: settled(sqlite_database, runner), what="the exports settled")

    sent = [m for m in _in_chat(vk, CHAT_PEER) if m.get("attachment")]
    assert len(sent) == 2 and all(m["message"].startswith("Cases of the last 30 days") for m in sent)


async def test_export_typed_under_a_post_goes_to_the_moderators_chat_and_says_so_there(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.wall_reply_new("/export", from_id=s.MODERATOR, comment_id=980))
    await wait_until(lambda: vk.calls("docs.save"), what="the file uploaded")
    await wait_until(lambda: settled(sqlite_database, runner), what="the export settled")
    [sent] = [m for m in _in_chat(vk, CHAT_PEER) if m.get("attachment")]
    assert sent["message"].startswith("Cases of the last 30 days")
    [note] = [c for c in vk.calls("wall.createComment") if c.get("reply_to_comment") == "980"]
    assert note["message"] == "📎 The file is in the moderators' chat."

    # without a moderators' chat the file has nowhere to go: the admin is told what to do
    async with sqlite_database.transaction() as session:
        [community] = await communities.list_all(session)
        await communities.update_fields(session, community.id, modchat_id=None)
    vk.push_event(s.wall_reply_new("/export", from_id=s.MODERATOR, comment_id=981))
    await wait_until(
        lambda: any(c.get("reply_to_comment") == "981" for c in vk.calls("wall.createComment")),
        what="the answer under the post",
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the second export settled")
    [told] = [c for c in vk.calls("wall.createComment") if c.get("reply_to_comment") == "981"]
    assert told["message"].startswith("/export sends a file, and VK takes no files under posts")
    assert len(vk.calls("docs.save")) == 1
