"""`dozor doctor`'s VK checks against the fake VK API: plain words on what to fix."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.vk.client import VkClient
from bot.vk.doctor import diagnose
from config.settings import VkSettings
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk


def settings(vk: FakeVk, **extra: object) -> VkSettings:
    return VkSettings(group_id=GROUP_ID, group_token=GROUP_TOKEN, api_url=vk.api_url, **extra)  # type: ignore[arg-type]


async def test_a_good_long_poll_setup(vk: FakeVk, vk_client: VkClient) -> None:
    vk.managers = {vk.user_token_owner: "moderator"}
    report = await diagnose(settings(vk, user_token=USER_TOKEN), vk_client)
    assert report.problems == [], report.render()
    assert any("user token works: id5550009, moderator" in line for line in report.ok)
    assert report.render().endswith("Everything looks right.")


def _wrong_community(vk: FakeVk) -> None:
    vk.group_id = 1


def _lp_off(vk: FakeVk) -> None:
    vk.lp_settings["is_enabled"] = False


def _old_version(vk: FakeVk) -> None:
    vk.lp_settings["api_version"] = "5.131"


def _no_events(vk: FakeVk) -> None:
    vk.lp_settings["events"]["wall_reply_new"] = 0


def _no_rights(vk: FakeVk) -> None:
    vk.token_rights = ["photos"]


def _bad_token(vk: FakeVk) -> None:
    vk.fail_next("groups.getById", 5)


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (_bad_token, "create a new one in the community's settings"),
        (_wrong_community, "belongs to community 1, not to DOZOR_VK_GROUP_ID"),
        (_lp_off, "Bots Long Poll is off"),
        (_old_version, "API version 5.131; set it to 5.199"),
        (_no_events, "switch them on: wall_reply_new"),
        (_no_rights, "lacks the rights manage, messages"),
    ],
)
async def test_problems_say_what_to_fix(
    vk: FakeVk, vk_client: VkClient, breakage: Callable[[FakeVk], None], problem: str
) -> None:
    vk.managers = {vk.user_token_owner: "moderator"}
    breakage(vk)
    report = await diagnose(settings(vk, user_token=USER_TOKEN), vk_client)
    assert any(problem in line for line in report.problems), report.render()


async def test_a_user_token_of_a_non_manager_is_a_problem_and_none_is_a_note(
    vk: FakeVk, vk_client: VkClient
) -> None:
    report = await diagnose(settings(vk, user_token=USER_TOKEN), vk_client)
    assert any("not a manager of the community" in line for line in report.problems)
    client = VkClient(GROUP_TOKEN, api_url=vk.api_url)
    try:
        report = await diagnose(settings(vk), client)
    finally:
        await client.close()
    assert report.problems == [] and any("DOZOR_VK_USER_TOKEN is not set" in n for n in report.notes)


async def test_callback_mode_needs_a_confirmed_server(vk: FakeVk, vk_client: VkClient) -> None:
    extra = {"mode": "callback", "confirmation_code": "a1b2c3d4", "secret": "s3cret"}
    report = await diagnose(settings(vk, **extra), vk_client)
    assert any("no Callback API server points at" in p for p in report.problems)
    vk.callback_servers = [
        {
            "id": 1,
            "title": "Dozor",
            "url": "https://dozor.example/vk/callback",
            "status": "wait",
            "secret_key": "s3cret",
        }
    ]
    report = await diagnose(settings(vk, **extra), vk_client)
    assert any("not confirmed" in p for p in report.problems)
    vk.callback_servers[0]["status"] = "ok"
    report = await diagnose(settings(vk, **extra), vk_client)
    assert not any("Callback" in p for p in report.problems), report.render()
    assert any("is confirmed" in line for line in report.ok)


def test_cli_checks_vk_when_it_is_configured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("DOZOR_"):
            monkeypatch.delenv(key)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "no platform is configured" in out
    assert "DOZOR_TELEGRAM_TOKEN" in out and "DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN" in out

    server = FakeVk()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(5)
    try:
        monkeypatch.setenv("DOZOR_VK_GROUP_ID", str(GROUP_ID))
        monkeypatch.setenv("DOZOR_VK_GROUP_TOKEN", GROUP_TOKEN)
        monkeypatch.setenv("DOZOR_VK_API_URL", server.api_url)
        assert main(["doctor"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"VK community {GROUP_ID}:") and "DOZOR_VK_USER_TOKEN is not set" in out
        server.lp_settings["is_enabled"] = False
        assert main(["doctor"]) == 1
        out = capsys.readouterr().out
        assert "Bots Long Poll is off" in out and GROUP_TOKEN not in out
    finally:
        asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
