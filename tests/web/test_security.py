"""The workspace over HTTP, against the running service: who gets in, who sees what, and that
forged requests change nothing. (The browser tests in ``tests/browser`` drive the same pages.)"""

from __future__ import annotations

import re
import time
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.runner import Runner
from models import answers
from models.db import Database
from models.tables import Escalation
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.service import settled, wait_until
from tests.web.harness import ANNA, GROUP_A, GROUP_B, MODCHAT_A, complain, make_runner, setup, sign


def base_of(runner: Runner) -> str:
    assert runner.http is not None
    return f"http://127.0.0.1:{runner.http.port}/web"


def browser(base: str) -> aiohttp.ClientSession:
    """A client that keeps cookies as a browser does on this (local, so secure) origin."""
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[base.rsplit("/web", 1)[0]])
    return aiohttp.ClientSession(cookie_jar=jar, headers={"Origin": base.rsplit("/web", 1)[0]})


async def sign_in(client: aiohttp.ClientSession, base: str, init_data: str) -> aiohttp.ClientResponse:
    async with client.get(f"{base}/login") as page:
        token = _field(await page.text(), "csrf")
    async with client.post(
        f"{base}/login/telegram", data={"csrf": token, "init_data": init_data}, allow_redirects=False
    ) as answer:
        await answer.read()
        return answer


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)


async def _page(client: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as response:
        return response.status, await response.text()


async def _decided(db: Database, escalation_id: int) -> str:
    async with db.transaction() as session:
        esc = await session.get(Escalation, escalation_id)
        return esc.status if esc else "?"


async def test_a_forged_or_stale_mini_app_sign_in_is_refused_and_a_valid_one_admits(
    service: tuple[Runner, dict[str, int]],
) -> None:
    runner, _ = service
    base = base_of(runner)
    forged = sign(ANNA, token="123456789:AAForgedForgedForgedForgedForgedForg")
    stale = sign(ANNA, auth_date=int(time.time()) - 2 * 3600)
    tampered = sign(ANNA).replace("anna", "boris")
    for init_data in (forged, stale, tampered, "", "user=%7B%7D&hash=00"):
        async with browser(base) as client:
            answer = await sign_in(client, base, init_data)
            assert answer.status == 303 and answer.headers["Location"].endswith("/login?refused=1")
            status, _ = await _page(client, f"{base}/")
            assert status == 303, "no session after a refused sign-in"
    async with browser(base) as client:
        answer = await sign_in(client, base, sign(ANNA))
        assert answer.status == 303 and answer.headers["Location"] == "/web/"
        cookie = answer.headers["Set-Cookie"]
        assert all(word in cookie for word in ("HttpOnly", "Secure", "SameSite=Lax", "Max-Age"))
        status, html = await _page(client, f"{base}/")
        assert status == 200 and "Anna" in html


async def test_a_moderator_of_one_community_cannot_see_or_act_on_anothers(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    runner, ids = service
    base = base_of(runner)
    esc_a = await complain(database, runner, telegram, GROUP_A, "A: I want a refund", message_id=501)
    esc_b = await complain(database, runner, telegram, GROUP_B, "B: I want a refund too", message_id=502)
    async with browser(base) as client:
        # opened from group A's moderators' chat (the Mini App link names it); B is Boris's
        await sign_in(client, base, sign(ANNA, start=f"c{ids['A']}"))
        _, html = await _page(client, f"{base}/")
        assert "A: I want a refund" in html and "B: I want a refund too" not in html
        csrf = _field(html, "csrf")
        pages = ("history", "rules", "settings", "report", "history.csv", f"case/{esc_b.case_id}")
        for page in pages:
            url = f"/c/{ids['B']}/{page}"
            status, _ = await _page(client, base + url)
            assert status == 403, url
        # B's case through A's address is not there either
        status, _ = await _page(client, f"{base}/c/{ids['A']}/case/{esc_b.case_id}")
        assert status == 404
        # acting on B's item: by B's URL, or by A's URL with B's item
        for url in (f"/c/{ids['B']}/e/{esc_b.id}/decide", f"/c/{ids['A']}/e/{esc_b.id}/decide"):
            async with client.post(
                base + url, data={"csrf": csrf, "choice": "ban"}, allow_redirects=False
            ) as r:
                await r.read()
        async with client.post(
            f"{base}/c/{ids['A']}/e/{esc_b.id}/answer",
            data={"csrf": csrf, "text": "hi"},
            allow_redirects=False,
        ) as r:
            await r.read()
        await wait_until(lambda: settled(database, runner))
    assert await _decided(database, esc_b.id) == "open"
    assert not [m for m in telegram.calls("sendMessage") if m["chat_id"] == GROUP_B and m.get("text") == "hi"]
    assert telegram.calls("banChatMember") == []
    assert await _decided(database, esc_a.id) == "open"


async def test_a_post_without_or_with_a_wrong_csrf_token_changes_nothing(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    runner, ids = service
    base = base_of(runner)
    esc = await complain(database, runner, telegram, GROUP_A, "I want a refund now", message_id=601)
    url = f"{base}/c/{ids['A']}/e/{esc.id}/answer"
    async with browser(base) as client:
        await sign_in(client, base, sign(ANNA, start=f"c{ids['A']}"))
        _, html = await _page(client, f"{base}/")
        csrf = _field(html, "csrf")
        for data in ({"text": "no token"}, {"text": "wrong token", "csrf": "x" * 32}):
            async with client.post(url, data=data, allow_redirects=False) as r:
                assert r.status == 403
        foreign = {"Origin": "https://evil.example"}
        data = {"csrf": csrf, "text": "other origin"}
        async with client.post(url, data=data, headers=foreign, allow_redirects=False) as r:
            assert r.status == 403
        await wait_until(lambda: settled(database, runner))
        assert await _decided(database, esc.id) == "open"
        async with client.post(
            url, data={"csrf": csrf, "text": "Sorry, refund sent."}, allow_redirects=False
        ) as r:
            assert r.status == 303
        await wait_until(lambda: settled(database, runner))
    posted = [m for m in telegram.calls("sendMessage") if m["chat_id"] == GROUP_A]
    assert any(m["text"] == "Sorry, refund sent." for m in posted)
    edits = [e for e in telegram.calls("editMessageText") if e["chat_id"] == MODCHAT_A]
    assert edits and "Sorry, refund sent." in edits[-1]["text"] and "Anna" in edits[-1]["text"]
    assert await _decided(database, esc.id) == "answered"


async def test_a_stored_script_in_a_comment_is_shown_as_text(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    runner, ids = service
    base = base_of(runner)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> refund'
    esc = await complain(database, runner, telegram, GROUP_A, hostile, message_id=701)
    async with browser(base) as client:
        await sign_in(client, base, sign(ANNA, start=f"c{ids['A']}"))
        for url in ("/", f"/c/{ids['A']}/case/{esc.case_id}", f"/c/{ids['A']}/history?q=script"):
            async with client.get(base + url) as response:
                html = await response.text()
                csp = response.headers["Content-Security-Policy"]
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, url
            assert "<script>alert" not in html and "<img src=x" not in html, url
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp


async def test_a_one_time_link_works_once_and_the_chat_hears_when_it_cannot_be_sent(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    runner, _ = service
    base = base_of(runner)
    modchat = s.group(MODCHAT_A, title="Mods A")
    telegram.push_update(s.text_update("/web", sender=ANNA, chat=modchat))
    await wait_until(lambda: _private(telegram, ANNA["id"]), what="the private link")
    link = re.search(r"https?://\S+", _private(telegram, ANNA["id"])[-1]["text"]).group()  # type: ignore[union-attr]
    await wait_until(lambda: _said_in(telegram, MODCHAT_A), what="the answer in the chat")
    answer = _said_in(telegram, MODCHAT_A)[-1]
    assert "private messages" in answer["text"]
    [[button]] = answer["reply_markup"]["inline_keyboard"]
    assert button["url"].startswith("https://t.me/dozor_test_bot/workspace?startapp=c")
    async with browser(base) as client:
        _, page = await _page(client, link)  # opening the page does not spend the link
        _, page = await _page(client, link)
        token = _field(page, "token")
        data = {"csrf": _field(page, "csrf"), "token": token}
        async with client.post(f"{base}/login/link", data=data, allow_redirects=False) as r:
            assert r.status == 303
        status, html = await _page(client, f"{base}/")
        assert status == 200 and "Anna" in html
    async with browser(base) as replay:
        _, page = await _page(replay, link)
        assert "used already or has expired" in page
        async with replay.get(f"{base}/login") as r:
            csrf = _field(await r.text(), "csrf")
        async with replay.post(
            f"{base}/login/link", data={"csrf": csrf, "token": token}, allow_redirects=False
        ) as r:
            assert r.status == 410
        status, _ = await _page(replay, f"{base}/")
        assert status == 303
    # someone who never started the bot: Telegram refuses, and the chat says what to do
    telegram.fail_next("sendMessage", 403, "Forbidden: bot can't initiate conversation with a user")
    telegram.push_update(s.text_update("/web", sender=ANNA, chat=modchat))
    await wait_until(
        lambda: any("cannot write to you privately" in m["text"] for m in _said_in(telegram, MODCHAT_A))
    )


def _private(telegram: FakeTelegram, user_id: int) -> list[dict[str, Any]]:
    return [m for m in telegram.calls("sendMessage") if int(m["chat_id"]) == user_id]


def _said_in(telegram: FakeTelegram, chat: int) -> list[dict[str, Any]]:
    return [m for m in telegram.calls("sendMessage") if int(m["chat_id"]) == chat]


async def test_without_a_url_the_workspace_is_absent(database: Database, telegram: FakeTelegram) -> None:
    await setup(database, telegram)
    runner = make_runner(database.url, telegram, web=False)
    await runner.start()
    try:
        async with aiohttp.ClientSession() as client:
            for path in ("/web/", "/web/login", "/login", "/"):
                async with client.get(f"http://127.0.0.1:{runner.http.port}{path}") as r:  # type: ignore[union-attr]
                    assert r.status == 404, path
    finally:
        await runner.stop()


async def test_the_removal_notice_button_opens_an_appeal_in_the_private_chat(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    _runner, _ = service
    telegram.push_update(
        s.text_update("casino bonus here", sender=s.user(74, "Dan", None), chat=s.group(GROUP_A))
    )
    await wait_until(
        lambda: [
            m for m in telegram.calls("sendMessage") if m.get("reply_markup") and int(m["chat_id"]) == GROUP_A
        ]
    )
    notice = next(
        m for m in telegram.calls("sendMessage") if m.get("reply_markup") and int(m["chat_id"]) == GROUP_A
    )
    [[button]] = notice["reply_markup"]["inline_keyboard"]
    start = button["url"].split("?start=")[1]
    assert button["url"].startswith("https://t.me/dozor_test_bot?start=appeal_")
    private = {"id": 74, "type": "private", "first_name": "Dan"}
    telegram.push_update(s.text_update(f"/start {start}", sender=s.user(74, "Dan", None), chat=private))

    async def appealed() -> bool:
        async with database.transaction() as session:
            rows = (await session.scalars(select(Escalation).where(Escalation.kind == "appeal"))).all()
        return len(rows) == 1

    await wait_until(appealed, what="the appeal")
    await wait_until(lambda: any("appeal" in m["text"] for m in _private(telegram, 74)))


async def test_a_saved_answer_goes_out_once_and_the_second_try_says_who_was_first(
    service: tuple[Runner, dict[str, int]], database: Database, telegram: FakeTelegram
) -> None:
    runner, ids = service
    base = base_of(runner)
    async with database.transaction() as session:
        saved = await answers.put(session, ids["A"], "sorry", "{{author}}, sorry for the wait!")
    esc = await complain(database, runner, telegram, GROUP_A, "refund please", message_id=801)
    url = f"{base}/c/{ids['A']}/e/{esc.id}/answer"
    async with browser(base) as client:
        await sign_in(client, base, sign(ANNA, start=f"c{ids['A']}"))
        _, html = await _page(client, f"{base}/")
        data = {"csrf": _field(html, "csrf"), "saved": str(saved.id)}
        async with client.post(url, data=data, allow_redirects=False) as first:
            assert first.status == 303
        async with client.post(url, data=data, allow_redirects=False) as second:
            assert second.status == 409 and "Already answered by Anna" in await second.text()
    await wait_until(lambda: settled(database, runner))
    sent = [m["text"] for m in telegram.calls("sendMessage") if int(m["chat_id"]) == GROUP_A]
    assert sent.count("Carol, sorry for the wait!") == 1
