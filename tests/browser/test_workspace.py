"""The workspace in real headless Chromium over the running service (fake Bot API).

Screenshots of the queue, a case, the rules page and the report are taken on every run; with
``DOZOR_SCREENSHOTS=1`` they are written to ``docs/`` for the README.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from models.tables import Rule
from tests.browser.conftest import Service
from tests.e2e import tg_samples as s
from tests.e2e.service import settled, wait_until
from tests.web.harness import ANNA, GROUP_A, MODCHAT_A, complain, sign

pytestmark = pytest.mark.browser
DEADLINE = 15_000  # ms: generous; the machine is shared


def _open_mini_app(page: Any, service: Service, init_data: str) -> None:
    """What Telegram does: open the app's URL with the signed data in the fragment."""
    page.goto(f"{service.base}/login#tgWebAppData={quote(init_data, safe='')}")


def _sent(service: Service, chat: int) -> list[dict[str, Any]]:
    return [m for m in service.telegram.calls("sendMessage") if int(m["chat_id"]) == chat]


def test_mini_app_sign_in_forged_refused_valid_admitted_answer_from_the_queue(
    service: Service, chromium: Any, docs: Path
) -> None:
    esc = service.run(
        complain(
            service.db,
            service.runner,
            service.telegram,
            GROUP_A,
            "Where is my refund? Order 77",
            message_id=801,
        )
    )
    forged = chromium.new_context()
    page = forged.new_page()
    _open_mini_app(page, service, sign(ANNA, token="123456789:AAForgedForgedForgedForgedForgedForg"))
    page.wait_for_url(re.compile(r"/login\?refused=1"), timeout=DEADLINE)
    assert "did not confirm" in page.inner_text("main")
    stale = sign(ANNA, auth_date=int(time.time()) - 3 * 3600, start=f"c{service.ids['A']}")
    _open_mini_app(page, service, stale)
    page.wait_for_url(re.compile(r"/login\?refused=1"), timeout=DEADLINE)
    forged.close()

    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-US")
    page = context.new_page()
    _open_mini_app(page, service, sign(ANNA, start=f"c{service.ids['A']}"))
    page.wait_for_url(re.compile(r"/web/$"), timeout=DEADLINE)
    item = page.locator(f'li.item[data-id="{esc.id}"]')
    item.wait_for(timeout=DEADLINE)
    assert "Where is my refund?" in item.inner_text()
    # a new complaint appears without a reload
    second = service.run(
        complain(
            service.db,
            service.runner,
            service.telegram,
            GROUP_A,
            "Still no refund for order 78!",
            message_id=802,
        )
    )
    page.locator(f'li.item[data-id="{second.id}"]').wait_for(timeout=DEADLINE)
    page.screenshot(path=str(docs / "workspace-queue.png"), full_page=True)

    item.locator("textarea").fill("Anna here: your refund for order 77 went out today.")
    item.locator("form.answer button.primary").click()
    page.wait_for_url(re.compile(r"msg=result_done"), timeout=DEADLINE)
    service.run(wait_until(lambda: settled(service.db, service.runner), what="the answer posted"))
    posted = [m for m in _sent(service, GROUP_A) if "order 77 went out" in m["text"]]
    assert posted and str(posted[0]["reply_parameters"]["message_id"]) == "801"
    edits = [e for e in service.telegram.calls("editMessageText") if int(e["chat_id"]) == MODCHAT_A]
    assert edits and "order 77 went out" in edits[-1]["text"] and "Anna" in edits[-1]["text"]
    # the answered item left the queue; the other one is still there
    assert page.locator(f'li.item[data-id="{esc.id}"]').count() == 0
    assert page.locator(f'li.item[data-id="{second.id}"]').count() == 1

    page.goto(f"{service.base}/c/{service.ids['A']}/case/{esc.case_id}")
    assert "order 77 went out" in page.inner_text("main")
    page.screenshot(path=str(docs / "workspace-case.png"), full_page=True)

    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="ru-RU"
    )
    small = phone.new_page()
    _open_mini_app(small, service, sign(ANNA, start=f"c{service.ids['A']}"))
    small.wait_for_url(re.compile(r"/web/$"), timeout=DEADLINE)
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert small.locator("li.item button.primary").first.is_visible()
    small.screenshot(path=str(docs / "workspace-phone.png"), full_page=True)
    phone.close()
    context.close()


def test_a_one_time_link_signs_in_once(service: Service, chromium: Any) -> None:
    service.telegram.push_update(s.text_update("/web", sender=ANNA, chat=s.group(MODCHAT_A, title="Mods A")))
    service.run(wait_until(lambda: _sent(service, ANNA["id"]), what="the private link"))
    link = re.search(r"https?://\S+", _sent(service, ANNA["id"])[-1]["text"]).group()  # type: ignore[union-attr]
    first = chromium.new_context()
    page = first.new_page()
    page.goto(link)
    page.click("#continue")
    page.wait_for_url(re.compile(r"/web/$"), timeout=DEADLINE)
    assert "Anna" in page.inner_text("header")
    again = chromium.new_context()
    replay = again.new_page()
    replay.goto(link)
    assert "used already or has expired" in replay.inner_text("main")
    replay.goto(f"{service.base}/")
    replay.wait_for_url(re.compile(r"/login"), timeout=DEADLINE)
    first.close()
    again.close()


def test_edit_and_backtest_a_rule_then_save_it_and_read_the_report(
    service: Service, chromium: Any, docs: Path
) -> None:
    for n, text in enumerate(
        ("casino tonight!", "hello all", "best casino bonus", "lottery win now"), start=900
    ):
        service.telegram.push_update(
            s.text_update(text, sender=s.user(80 + n % 5, "Guest", None), chat=s.group(GROUP_A), message_id=n)
        )
    service.run(wait_until(lambda: settled(service.db, service.runner), what="the messages decided"))
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-US")
    page = context.new_page()
    _open_mini_app(page, service, sign(ANNA, start=f"c{service.ids['A']}"))
    page.wait_for_url(re.compile(r"/web/$"), timeout=DEADLINE)
    page.goto(f"{service.base}/c/{service.ids['A']}/rules")
    editor = page.locator("#rules")
    original = editor.input_value()
    assert "name: casino" in original
    # a mistake is shown at its line while typing
    editor.fill(original + "---\nname: lottery\nbody: [lottery\naction: delete\n")
    page.wait_for_selector("#rules-status.error", timeout=DEADLINE)  # (the CSP forbids evaluated strings)
    status = page.inner_text("#rules-status")
    assert re.search(r"Line \d+", status), status
    assert page.locator("#gutter .bad").count() == 1
    editor.fill(original + "---\nname: lottery\nbody: [lottery]\naction: delete\nreason: lottery spam\n")
    page.wait_for_selector("#rules-status.ok", timeout=DEADLINE)
    page.fill("input[name=sample]", "lottery win now")
    page.click("#try")
    assert "delete" in page.inner_text("pre.verdict")
    page.click("#backtest")
    summary = page.inner_text(".backtest")
    assert "would change" in summary and "allow → delete" in summary
    page.screenshot(path=str(docs / "workspace-rules.png"), full_page=True)
    page.click("#save-rules")
    page.wait_for_selector("p.flash", timeout=DEADLINE)
    assert "lottery" in page.inner_text("p.flash")

    async def versions() -> dict[str, int]:
        async with service.db.transaction() as session:
            rows = (await session.scalars(select(Rule).where(Rule.community_id == service.ids["A"]))).all()
        return {r.name: r.version for r in rows}

    assert service.run(versions()) == {"casino": 1, "complaint": 1, "lottery": 1}

    page.goto(f"{service.base}/c/{service.ids['A']}/report?days=7")
    chart = page.locator("figure.chart svg")
    chart.wait_for(timeout=DEADLINE)
    assert chart.locator("rect").count() >= 7
    assert "Messages" in page.inner_text("table.report")
    page.screenshot(path=str(docs / "workspace-report.png"), full_page=True)
    context.close()
