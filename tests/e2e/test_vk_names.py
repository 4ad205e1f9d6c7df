"""People's names for VK events (``bot.vk.names``) against the fake VK API."""

from __future__ import annotations

from bot.vk.client import VkClient
from bot.vk.names import NAMES_KEY, Names
from bot.vk.translate import translate
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import FakeVk


async def test_names_are_asked_once_per_batch_in_chunks_of_1000_and_cached(
    vk: FakeVk, vk_client: VkClient
) -> None:
    vk.names = {5_000_000 + i: (f"N{i}", "Surname") for i in range(1500)}
    batch = [(f"k{i}", s.wall_reply_new("hi", from_id=5_000_000 + i)) for i in range(1500)]
    names = Names(vk_client)
    await names.annotate(batch)
    assert sorted(len(c["user_ids"].split(",")) for c in vk.calls("users.get")) == [500, 1000]
    assert batch[7][1][NAMES_KEY] == {"5000007": "N7 Surname"}
    [event] = translate(batch[7][1])
    assert (event.author.id, event.author.name) == ("5000007", "N7 Surname")

    again = s.wall_reply_new("/report spam", from_id=5_000_003, reply_to_user=5_000_004, reply_to_comment=1)
    await names.annotate([again])
    assert len(vk.calls("users.get")) == 2  # both cached: VK is not asked
    [_, call] = translate(again)
    assert call.author.name == "N3 Surname"
    assert call.reply_to_author.name == "N4 Surname"


async def test_a_failing_vk_leaves_events_unnamed_and_is_not_asked_again_at_once(
    vk: FakeVk, vk_client: VkClient
) -> None:
    vk.names = {s.USER: ("Ivan", "Petrov")}
    vk.fail_next("users.get", 10, times=10)  # VK's internal error, every retry
    names = Names(vk_client, timeout=2.0)
    event = s.wall_reply_new("hello")
    await names.annotate([event])
    assert NAMES_KEY not in event
    [translated] = translate(event)
    assert translated.author.name == f"id{s.USER}"
    asked = len(vk.calls("users.get"))
    await names.annotate([s.wall_reply_new("hello again")])
    assert len(vk.calls("users.get")) == asked  # paused after the failure
