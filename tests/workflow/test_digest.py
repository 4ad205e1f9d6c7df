"""The owner's report: the scheduled digest with its chart, and `dozor report` in three formats."""

from __future__ import annotations

import asyncio
import json
import struct
import zlib

import pytest

from bot.cli import main
from handlers.owner_report import build
from models import escalations
from models.db import Database
from tests.workflow.world import ALICE, BORIS, CAROL, MODCHAT, SPAMMER, World


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature and that its pixels decompress."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    assert len(zlib.decompress(data[idat + 4 : idat + 4 + length])) == height * (1 + 3 * width)
    return width, height


async def _two_weeks(world: World) -> None:
    """Last week: 2 messages. This week: 4 messages, a spam removal and an answered complaint."""
    world.later(days=-8)
    await world.say(CAROL, "hello")
    await world.say(CAROL, "hello again")
    world.later(days=8)
    await world.say(CAROL, "morning")
    await world.say(CAROL, "how are you")
    await world.say(SPAMMER, "casino")
    await world.say(CAROL, "refund please")
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    world.later(minutes=30)
    await world.say(BORIS, "Sent!", chat=MODCHAT, reply_to=esc.card_message_id)


async def test_weekly_digest_posts_text_and_a_chart_once_per_week(world: World) -> None:
    await _two_weeks(world)
    assert await world.dozor.digest_due() == 0  # nobody asked for one
    await world.command(ALICE, "digest", "weekly", chat=MODCHAT)
    # the first digest comes at once, as the README says, not at the periodic job's next turn
    confirmation, text = world.sim.sent_to(MODCHAT)[-2:]
    assert confirmation == "The digest will come to the moderators' chat: weekly."
    assert await world.dozor.digest_due() == 0  # planned once
    assert text.startswith("📈 Digest of 'Test community', last 7 days")
    assert "• Messages: 4 (+100%)" in text and "• Spam caught: 1 (new)" in text
    assert "• Complaints answered: 1 (new)" in text and "• Median time to answer, min: 30" in text
    [chart] = world.sim.of("send_document")
    assert chart.chat_id == MODCHAT and chart.args["filename"].endswith(".png")
    assert png_size(chart.args["data"]) == (480, 200)
    world.later(days=7)
    assert await world.dozor.digest_due() == 1
    await world.command(ALICE, "digest", "off", chat=MODCHAT)
    world.later(days=7)
    assert await world.dozor.digest_due() == 0


async def test_digest_command_in_russian_and_its_checks(world: World) -> None:
    await world.command(ALICE, "lang", "ru", chat=MODCHAT)
    await world.command(ALICE, "digest", chat=MODCHAT)
    assert world.last_text(MODCHAT) == "Сводка: выключена. Изменить: /digest weekly|daily|off"
    await world.command(ALICE, "digest", "daily", chat=MODCHAT)
    confirmation, digest = world.sim.sent_to(MODCHAT)[-2:]
    assert confirmation == "Сводка будет приходить в чат модераторов: ежедневно."
    assert digest.startswith("📈 Сводка «Test community» за 1 день")
    await world.command(BORIS, "digest", "hourly", chat=MODCHAT)
    assert world.last_text(MODCHAT) == "Как использовать: /digest weekly|daily|off"
    assert await world.dozor.digest_due() == 0


async def test_report_figures_and_trend(world: World) -> None:
    await _two_weeks(world)
    c = await world.community()
    report = await build(world.db, c.id, 7, world.now())
    cur, prev = report.current, report.previous
    assert (cur.messages, prev.messages) == (4, 2)
    assert (cur.spam_caught, cur.complaints, cur.answered, cur.open) == (1, 1, 1, 0)
    assert cur.median_answer_minutes == pytest.approx(30, abs=1)
    assert cur.top_members[0][0] == "Carol" and dict(cur.rules) == {"casino": 1, "complaint": 1}
    assert len(cur.daily) == 7 and sum(n for _, n in cur.daily) == 4
    assert report.trend("messages") == "+100%" and report.trend("left") == "="


def test_dozor_report_cli_in_three_formats(
    sqlite_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def fill() -> None:
        db = Database(sqlite_database_url)
        try:
            world = World(db)
            await world.setup()
            await _two_weeks(world)
        finally:
            await db.dispose()

    asyncio.run(fill())
    base = ["report", "--community", "1", "--days", "7", "--url", sqlite_database_url]
    assert main([*base, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"]["messages"] == 4 and data["trend"]["messages"] == "+100%"
    assert main(base) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Report for 'Test community'") and "| Messages | 4 | 2 | +100% |" in md
    assert main([*base, "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<svg" in html and "<td>4</td><td>2</td><td>+100%</td>" in html
    assert main(["report", "--community", "99", "--url", sqlite_database_url]) == 1
    err = capsys.readouterr().err
    assert "no community matches '99'" in err and "shell:-100  Test community" in err
    # the platform's own id and the title name it as well as Dozor's number
    for named in ("-100", "Test community", "test"):
        assert main(["report", "--community", named, "--format", "json", "--url", sqlite_database_url]) == 0
        assert json.loads(capsys.readouterr().out)["title"] == "Test community"
