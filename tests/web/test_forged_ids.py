"""Forged numbers in the workspace's addresses and forms — too big for 64 bits, other scripts'
digits — are "not found", never a server error or a query the database refuses (issue 21)."""

from __future__ import annotations

import logging

import pytest

from bot.runner import Runner
from models.db import Database
from tests.e2e.fake_telegram import FakeTelegram
from tests.web.harness import ANNA, GROUP_A, complain, sign
from tests.web.test_security import _field, _page, base_of, browser, sign_in

HUGE = "9" * 40


async def test_forged_ids_in_addresses_and_forms_are_not_found(
    service: tuple[Runner, dict[str, int]],
    database: Database,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    runner, ids = service
    base = base_of(runner)
    esc = await complain(database, runner, telegram, GROUP_A, "A: I want a refund", message_id=501)
    a = ids["A"]
    async with browser(base) as client:
        await sign_in(client, base, sign(ANNA, start=f"c{HUGE}"))  # a forged hint too
        status, html = await _page(client, f"{base}/")
        assert status == 200
        csrf = _field(html, "csrf")
        for url in (
            f"/c/{a}/case/{HUGE}",
            f"/c/{a}/case/²",
            f"/c/{HUGE}/history",
            f"/c/{a}/history?before={HUGE}",
            f"/c/{a}/history?before=²",
            f"/c/{a}/report?days=²",
            f"/appeal/{HUGE}.x",
            "/appeal/².x",
        ):
            status, _ = await _page(client, base + url)
            assert status in (200, 302, 403, 404), (url, status)
        for url, form in (
            (f"/c/{a}/e/{HUGE}/decide", {"choice": "ban"}),
            (f"/c/{a}/e/{esc.id}/answer", {"text": "hi", "saved": HUGE}),
            (f"/c/{a}/e/{esc.id}/answer", {"text": "hi", "saved": "²"}),
            (f"/c/{a}/rules/backtest", {"rules": "", "days": "²"}),
            (f"/c/{a}/settings/switches", {"join_check": "²", "digest": "off"}),
        ):
            async with client.post(base + url, data={"csrf": csrf, **form}, allow_redirects=False) as r:
                await r.read()
                assert r.status < 500, (url, form, r.status)
    assert not [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and "web" in r.name]
