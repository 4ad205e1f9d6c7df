"""VK and the workspace: a banned member reads the appeal link in the ban's comment (VK shows it
to them; they can neither comment nor write to the community), appeals on the page, and a
moderator who signed in with ``/web`` from the VK moderators' chat reverses the ban there."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import select

from bot.runner import Runner
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models import communities, rules
from models.db import Database
from models.tables import Escalation
from moderation.engine import Engine
from tests.e2e import vk_samples as s
from tests.e2e.conftest import vk
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import free_port, settled, wait_until
from tests.e2e.vk_service import vk_section
from tests.web.test_security import _field, browser

__all__ = ["vk"]
VK_ADMIN = 5_550_777


@pytest.fixture
async def service(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[tuple[Runner, str]]:
    async with sqlite_database.transaction() as session:
        c = await communities.ensure(session, "vk", str(GROUP_ID), title="Shop", language="en")
        await communities.update_fields(session, c.id, modchat_id=str(CHAT_PEER))
        await rules.put(session, c.id, "scam", "name: scam\nbody: [scam]\naction: ban\nreason: scam\n")
    vk.managers = {VK_ADMIN: "administrator"}
    vk.add_chat(CHAT_PEER, {VK_ADMIN: True})
    port = free_port()
    settings = load_settings(
        database={"url": sqlite_database.url},
        http={"host": "127.0.0.1", "port": port},
        vk=vk_section(vk),
        moderation={"language": "en"},
        web={"url": f"http://127.0.0.1:{port}/web"},
    )
    runner = Runner(settings, engine=Engine(None), adapters=[VkAdapter(settings.vk, wait=1)], poll_timeout=1)
    await runner.start()
    await wait_until(lambda: len(vk.a_checks) >= 1, what="Long Poll listening")  # events before it are older
    yield runner, f"http://127.0.0.1:{port}/web"
    await runner.stop()


async def test_a_banned_vk_member_appeals_on_the_page_and_a_moderator_reverses_it_in_the_workspace(
    service: tuple[Runner, str], sqlite_database: Database, vk: FakeVk
) -> None:
    runner, base = service
    vk.push_event(s.wall_reply_new("scam offer, write me", from_id=s.USER, comment_id=951))
    await wait_until(lambda: s.USER in vk.bans, what="the ban")
    comment = vk.bans[s.USER]["comment"]
    link = re.search(r"https?://\S+/appeal/\S+", comment).group()  # type: ignore[union-attr]
    await wait_until(lambda: settled(sqlite_database, runner))

    async with browser(base) as client:
        # a tampered link opens nothing
        async with client.get(link[:-1] + ("0" if link[-1] != "0" else "1")) as page:
            assert page.status == 404
        async with client.get(link) as page:
            html = await page.text()
            assert page.status == 200 and "scam offer, write me" in html
        data = {"csrf": _field(html, "csrf"), "why": "It was a joke among friends <b>really</b>"}
        async with client.post(link, data=data, allow_redirects=False) as answer:
            assert answer.status == 303
        await wait_until(lambda: settled(sqlite_database, runner))
        async with client.get(link) as page:
            assert "being considered" in await page.text()
    card = next(m for m in vk.messages.values() if m.get("peer_ids", m.get("peer_id")) == str(CHAT_PEER))
    assert "Appeal" in card["text"] and "It was a joke among friends <b>really</b>" in card["text"]

    # the moderator asks for a link in the VK moderators' chat; it comes privately
    vk.push_event(s.message_new("/web", from_id=VK_ADMIN, peer_id=CHAT_PEER))
    await wait_until(lambda: _private(vk, VK_ADMIN), what="the private link")
    sign_in = re.search(r"https?://\S+", _private(vk, VK_ADMIN)[-1]).group()  # type: ignore[union-attr]
    async with sqlite_database.transaction() as session:
        appeal = (await session.scalars(select(Escalation).where(Escalation.kind == "appeal"))).one()
    async with browser(base) as moderator:
        async with moderator.get(sign_in) as page:
            html = await page.text()
        data = {"csrf": _field(html, "csrf"), "token": _field(html, "token")}
        async with moderator.post(f"{base}/login/link", data=data) as page:
            html = await page.text()
            assert "scam offer" in html and "It was a joke" not in html  # the queue shows the case
        decide = f"{base}/c/{appeal.community_id}/e/{appeal.id}/decide"
        async with moderator.post(decide, data={"csrf": _field(html, "csrf"), "choice": "approve"}) as page:
            assert page.status == 200
    await wait_until(lambda: vk.calls("groups.unban"), what="the ban lifted")
    async with aiohttp.ClientSession() as client, client.get(link) as page:
        assert "succeeded" in await page.text()


async def test_a_vk_moderator_who_does_not_allow_messages_hears_so_in_the_chat(
    service: tuple[Runner, str], vk: FakeVk
) -> None:
    vk.fail_next("messages.send", 901)
    vk.push_event(s.message_new("/web", from_id=VK_ADMIN, peer_id=CHAT_PEER))
    await wait_until(
        lambda: any("allow messages from the community" in m["text"] for m in vk.messages.values()),
        what="the advice in the chat",
    )


def _private(vk: FakeVk, user: int) -> list[str]:
    return [m["text"] for m in vk.messages.values() if m.get("peer_ids", m.get("peer_id")) == str(user)]
