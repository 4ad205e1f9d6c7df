"""Running the real Dozor service (``bot.runner.Runner``) for a VK community against the fake VK API."""

from __future__ import annotations

from typing import Any

from bot.runner import Runner
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models import communities, rules
from models.db import Database
from moderation.engine import Engine
from tests.e2e.fake_vk import GROUP_ID, GROUP_TOKEN, USER_TOKEN, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import LADDER, RULES, free_port

CODE = "a1b2c3d4"
SECRET = "s3cretKey42"


def vk_section(vk: FakeVk, *, user_token: bool = True, **more: Any) -> dict[str, Any]:
    """The ``vk`` settings that point Dozor at the fake's community (with the moderator's token)."""
    section: dict[str, Any] = {"group_id": GROUP_ID, "group_token": GROUP_TOKEN, "api_url": vk.api_url}
    if user_token:
        section["user_token"] = USER_TOKEN
    return section | more


def make_vk_runner(
    db_url: str, vk: FakeVk, *, callback: bool = False, user_token: bool = True, engine: Engine | None = None
) -> tuple[Runner, str]:
    """A runner serving only the fake's community; returns it and the Callback URL (callback mode)."""
    port = free_port()
    section = vk_section(vk, user_token=user_token)
    if callback:
        section |= {"mode": "callback", "confirmation_code": CODE, "secret": SECRET}
    settings = load_settings(
        database={"url": db_url},
        http={"host": "127.0.0.1", "port": port},
        vk=section,
        moderation={"language": "en"},
    )
    adapter = VkAdapter(settings.vk, wait=1)
    runner = Runner(settings, engine=engine or Engine(None), adapters=[adapter], poll_timeout=1)
    return runner, f"http://127.0.0.1:{port}{settings.vk.callback_path}"


async def setup_vk_community(
    db: Database, *, modchat: str | None = str(CHAT_PEER), language: str = "en", title: str = "Test community"
) -> int:
    """The fake's community with the test rules, a short warn ladder and its moderators' chat."""
    async with db.transaction() as s:
        c = await communities.ensure(s, "vk", str(GROUP_ID), title=title, language=language)
        await communities.update_fields(s, c.id, modchat_id=modchat, settings={"policy": {"ladder": LADDER}})
        for name, source in RULES.items():
            await rules.put(s, c.id, name, source)
        return c.id
