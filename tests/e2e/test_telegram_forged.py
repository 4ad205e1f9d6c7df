"""End to end on PostgreSQL: the forged button press of issue 21 through the real service.

Callback data ``esc:<40 nines>:ban`` once reached ``escalations.get`` with an id out of int64
range; asyncpg's refusal was taken for an outage, the batch was never marked and was claimed
again every 30 s with whatever else was pending. Here the real ``Runner`` polls the fake Bot API
with the real aiogram client: the press is answered as a stale card, the spam around it in the
same batch is removed once, the inbox drains, and nothing logs "database unavailable".
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import Database
from models.tables import InboxItem
from tests.conftest import fresh_database_url
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.e2e.service import all_cases, make_runner, settled, setup_community, wait_until

FORGED = "esc:9999999999999999999999999999999999999999:ban"
FORGER = s.user(13, "Mallory", "mallory")
SPAMMER = s.user(66, "Spammer", None)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url("postgres", request, tmp_path)


@pytest.fixture
async def pg_database(pg_url: str) -> AsyncIterator[Database]:
    db = Database(pg_url)
    yield db
    await db.dispose()


@pytest.mark.postgres
async def test_the_forged_press_is_a_stale_card_and_the_inbox_drains(
    pg_database: Database, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await setup_community(pg_database)
    card = s.message(
        "⚠️ Case #1", chat=s.group(s.MODCHAT), sender=s.user(BOT_ID, "Dozor", BOT_USERNAME), message_id=5000
    )
    # One getUpdates batch: spam, the forged press, spam.
    telegram.push_update(s.text_update("best casino bonus", sender=SPAMMER, message_id=811))
    telegram.push_update(s.callback(FORGED, card=card, sender=FORGER, query_id="q-forged"))
    telegram.push_update(s.text_update("best casino bonus again", sender=SPAMMER, message_id=812))
    runner = make_runner(pg_database.url, telegram)
    await runner.start()
    try:
        await wait_until(lambda: telegram.calls("answerCallbackQuery"), what="the forged press answered")
        await wait_until(lambda: settled(pg_database, runner), what="inbox and outbox settled")
    finally:
        await runner.stop()

    [answer] = telegram.calls("answerCallbackQuery")
    assert answer["callback_query_id"] == "q-forged" and "out of date" in answer["text"]
    assert sorted(telegram.deleted()) == [811, 812]  # each once
    async with pg_database.transaction() as session:
        rows = (await session.scalars(select(InboxItem).order_by(InboxItem.id))).all()
    assert [(r.status, r.attempts, r.error) for r in rows] == [("processed", 1, None)] * 3
    cases = await all_cases(pg_database)
    assert sorted(c.message_id for c in cases) == ["811", "812"]
    assert not [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
