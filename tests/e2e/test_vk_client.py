"""Dozor's VK client against the fake VK API: encoding, tokens, retries and error classes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.vk.client import VkClient, encode
from bot.vk.errors import VkApiError
from bot.vk.ratelimit import WINDOW, RateLimiter
from moderation.errors import ActionFailed
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk


async def test_a_call_is_a_form_post_with_the_version_and_the_token_in_the_header(
    vk: FakeVk, vk_client: VkClient
) -> None:
    answer = await vk_client.call("groups.getById", {"group_id": GROUP_ID, "fields": ["members_count"]})
    assert answer["groups"][0]["id"] == GROUP_ID
    [call] = vk.call_log("groups.getById")
    assert call.token == "group"
    assert call.params == {"group_id": str(GROUP_ID), "fields": "members_count", "v": "5.199"}


async def test_user_token_methods_go_with_the_user_token(vk: FakeVk, vk_client: VkClient) -> None:
    await vk_client.call("groups.ban", {"group_id": GROUP_ID, "owner_id": 5})
    assert [c.token for c in vk.call_log("groups.ban")] == ["user"]


async def test_no_user_token_keeps_the_action_waiting_for_one(vk: FakeVk) -> None:
    client = VkClient(GROUP_TOKEN, api_url=vk.api_url)
    try:
        with pytest.raises(ActionFailed) as err:
            await client.call("wall.deleteComment", {"owner_id": -GROUP_ID, "comment_id": 3})
    finally:
        await client.close()
    assert err.value.needs == "vk_user_token" and not err.value.permanent
    assert "DOZOR_VK_USER_TOKEN" in str(err.value)
    assert vk.calls("wall.deleteComment") == []  # nothing sent with the wrong token


async def test_errors_6_and_10_are_retried_with_backoff(vk: FakeVk, vk_client: VkClient) -> None:
    vk.fail_next("messages.send", 6)
    vk.fail_next("messages.send", 10)
    vk.add_chat(2000000001, {1: True})
    answer = await vk_client.call("messages.send", {"peer_ids": 2000000001, "random_id": 7, "message": "hi"})
    assert answer[0]["conversation_message_id"] == 1
    assert len(vk.calls("messages.send")) == 3


async def test_a_lasting_server_error_becomes_a_transient_failure(vk: FakeVk, vk_client: VkClient) -> None:
    vk.fail_next("groups.getById", 10, times=10)
    with pytest.raises(VkApiError) as err:
        await vk_client.call("groups.getById")
    assert err.value.code == 10 and not err.value.permanent and err.value.retry_after is None
    assert len(vk.calls("groups.getById")) == vk_client.retries + 1


async def test_http_errors_and_garbage_are_retried(vk: FakeVk, vk_client: VkClient) -> None:
    vk.fail_http("groups.getById", 502, times=2)
    answer = await vk_client.call("groups.getById")
    assert answer["groups"][0]["id"] == GROUP_ID and len(vk.calls("groups.getById")) == 3


async def test_an_unreachable_vk_is_transient(vk_client: VkClient) -> None:
    vk_client.api_url = "http://127.0.0.1:9/method"  # discard port: connection refused
    with pytest.raises(ActionFailed) as err:
        await vk_client.call("groups.getById")
    assert not err.value.permanent and "unreachable" in str(err.value)


@pytest.mark.parametrize(
    ("method", "code", "permanent", "retry_after", "needs", "hint"),
    [
        ("messages.send", 9, False, 60.0, None, "flood control"),
        ("messages.send", 29, False, 3600.0, None, "flood control"),
        ("groups.ban", 14, True, None, None, "captcha"),
        ("messages.send", 5, True, None, None, "DOZOR_VK_GROUP_TOKEN"),
        ("wall.deleteComment", 5, False, None, "vk_user_token", "DOZOR_VK_USER_TOKEN"),
        ("wall.deleteComment", 15, False, None, "vk_user_token", "DOZOR_VK_USER_TOKEN"),
        ("groups.ban", 27, False, None, "vk_user_token", "DOZOR_VK_USER_TOKEN"),
        ("messages.send", 15, True, None, None, "dozor doctor"),
        ("groups.ban", 17, True, None, None, "validate the account"),
        ("messages.send", 27, True, None, None, "user token"),
        ("messages.send", 30, True, None, None, "private"),
        ("messages.delete", 100, True, None, None, "parameter"),
        ("messages.send", 917, True, None, None, "add the community to the chat"),
        ("messages.delete", 924, True, None, None, "delete it by hand"),
        ("messages.removeChatUser", 925, True, None, None, "make it an admin"),
        ("messages.send", 4242, True, None, None, "VK refused it"),
    ],
)
async def test_error_classes(
    vk: FakeVk,
    vk_client: VkClient,
    method: str,
    code: int,
    permanent: bool,
    retry_after: float | None,
    needs: str | None,
    hint: str,
) -> None:
    vk.fail_next(method, code)
    with pytest.raises(VkApiError) as err:
        await vk_client.call(method, {"peer_id": 1})
    failure = err.value
    assert (failure.code, failure.permanent, failure.retry_after, failure.needs) == (
        code,
        permanent,
        retry_after,
        needs,
    )
    assert hint in str(failure)
    assert len(vk.calls(method)) == 1  # only 1/6/10 are retried on the spot
    assert failure.alert is (code == 14)


async def test_the_token_is_never_in_a_url_a_message_or_a_log(
    vk: FakeVk, vk_client: VkClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    vk.fail_next("groups.ban", 100, f"Invalid param: access_token={USER_TOKEN} is odd")
    with pytest.raises(VkApiError) as err:
        await vk_client.call("groups.ban", {"group_id": GROUP_ID, "owner_id": 5})
    vk.fail_next("groups.getById", 10, f"token {GROUP_TOKEN} broke", times=10)
    with pytest.raises(VkApiError) as err2:
        await vk_client.call("groups.getById")
    for text in (str(err.value), str(err2.value), caplog.text):
        assert USER_TOKEN not in text and GROUP_TOKEN not in text
    assert "***" in str(err.value)
    for call in vk.call_log():
        assert GROUP_TOKEN not in str(call.params) and USER_TOKEN not in str(call.params)


def test_form_encoding() -> None:
    assert encode({"a": [1, 2], "b": True, "c": False, "d": None, "e": {"x": 1}, "f": "т"}) == {
        "a": "1,2",
        "b": "1",
        "c": "0",
        "e": '{"x":1}',
        "f": "т",
    }


async def test_the_rate_limiter_holds_a_token_to_its_requests_per_second() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(3, clock=lambda: now[0], sleep=sleep)
    for _ in range(7):
        await limiter.acquire()
    # 3 at t=100, 3 at t=101.1, the 7th at t=102.2: two waits of the window (a second and a margin)
    assert sum(slept) == pytest.approx(2 * WINDOW) and now[0] == pytest.approx(100 + 2 * WINDOW)


async def test_the_rate_limiter_lets_a_more_urgent_caller_go_first() -> None:
    """Deletes (priority 0) are not held up behind bans and messages (1) waiting for a slot."""
    limiter = RateLimiter(1)
    order: list[str] = []

    async def call(name: str, priority: int) -> None:
        await limiter.acquire(priority)
        order.append(name)

    await limiter.acquire()  # the window's one slot is taken: everyone below waits ~1 s
    waiting = [asyncio.ensure_future(call(f"ban{n}", 1)) for n in range(2)]
    await asyncio.sleep(0.05)
    waiting.append(asyncio.ensure_future(call("delete", 0)))
    await asyncio.wait_for(asyncio.gather(*waiting), timeout=10)
    assert order == ["delete", "ban0", "ban1"]
