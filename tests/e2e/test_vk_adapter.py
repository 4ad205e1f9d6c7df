"""``VkAdapter`` against the fake VK API: start-up checks and what it adds to the runner."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.receiver import Receiver
from bot.vk.adapter import VkAdapter
from config.settings import VkSettings
from models.db import Database
from moderation.errors import ConfigError
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk
from tests.e2e.vk_store import receiver_for


def settings(vk: FakeVk, **extra: object) -> VkSettings:
    return VkSettings(group_id=GROUP_ID, group_token=GROUP_TOKEN, api_url=vk.api_url, **extra)  # type: ignore[arg-type]


async def test_connect_checks_the_token_belongs_to_the_community(vk: FakeVk) -> None:
    vk.group_id = 1
    adapter = VkAdapter(settings(vk))
    try:
        with pytest.raises(ConfigError, match="belongs to community 1, not DOZOR_VK_GROUP_ID"):
            await adapter.connect()
    finally:
        await adapter.close()


async def test_connect_refuses_a_rejected_token_without_showing_it(vk: FakeVk) -> None:
    vk.group_token = "vk1.a.SomethingElse"
    adapter = VkAdapter(settings(vk))
    try:
        with pytest.raises(ConfigError) as err:
            await adapter.connect()
    finally:
        await adapter.close()
    assert "DOZOR_VK_GROUP_TOKEN" in str(err.value) and GROUP_TOKEN not in str(err.value)


async def test_a_broken_user_token_is_reported_at_start_but_does_not_stop_the_service(
    vk: FakeVk, caplog: pytest.LogCaptureFixture
) -> None:
    vk.user_token = "vk1.a.RevokedRevokedRevokedRevokedRevokedRevokedRevoked"
    adapter = VkAdapter(settings(vk, user_token=USER_TOKEN))
    try:
        await adapter.connect()
    finally:
        await adapter.close()
    assert list(adapter.ports) == [f"vk:{GROUP_ID}"]
    assert "DOZOR_VK_USER_TOKEN" in caplog.text and USER_TOKEN not in caplog.text


async def test_callback_mode_adds_its_route_and_long_poll_mode_a_job(
    vk: FakeVk, sqlite_database: Database
) -> None:
    receiver: Receiver = receiver_for(sqlite_database)
    callback = VkAdapter(settings(vk, mode="callback", confirmation_code="a1b2c3d4", secret="s3cret"))
    app = web.Application()
    callback.add_routes(app, receiver)
    assert [r.resource.canonical for r in app.router.routes()] == ["/vk/callback"]
    assert callback.jobs(receiver, stop=None) == []  # type: ignore[arg-type]

    poll = VkAdapter(settings(vk))
    await poll.connect()
    try:
        app = web.Application()
        poll.add_routes(app, receiver)
        assert list(app.router.routes()) == []
        stop = asyncio.Event()
        [job] = poll.jobs(receiver, stop)
        task = asyncio.ensure_future(job)
        stop.set()
        await asyncio.wait_for(task, 3)
        assert "longpoll mode, WITHOUT a moderator's user token" in poll.describe()
    finally:
        await poll.close()


async def test_an_officer_edit_makes_the_managers_be_read_again(vk: FakeVk) -> None:
    adapter = VkAdapter(settings(vk))
    await adapter.connect()
    try:
        port = adapter.ports[f"vk:{GROUP_ID}"]
        vk.managers = {s.MODERATOR: "moderator"}
        assert not (await port.get_role(str(GROUP_ID), str(s.USER))).is_admin
        vk.managers[s.USER] = "editor"
        edit = {"admin_id": s.MODERATOR, "user_id": s.USER, "level_old": 0, "level_new": 2}
        [change] = adapter.translate(s.event("group_officers_edit", edit))
        assert change.status == "admin"  # type: ignore[union-attr]
        assert (await port.get_role(str(GROUP_ID), str(s.USER))).is_admin
    finally:
        await adapter.close()
    assert len(vk.calls("groups.getMembers")) == 2
