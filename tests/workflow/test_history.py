"""History, statistics, export, retention, backtest, and the `dozor shell` / `dozor stats` commands."""

from __future__ import annotations

import base64
import csv
import io
import json
import sys
from pathlib import Path

import pytest

from bot.cli import main
from handlers import stats
from handlers.backtest import backtest
from models import cases, escalations
from moderation.engine import Engine
from moderation.errors import RuleError
from tests.workflow.world import ALICE, BORIS, CAROL, SPAMMER, World


async def _fill(world: World) -> None:
    await world.say(CAROL, "hello")
    await world.say(CAROL, "nice day")
    await world.say(SPAMMER, "casino casino")
    await world.say(SPAMMER, "scam offer")
    await world.say(CAROL, "my refund?")
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    world.later(minutes=10)
    await world.press(BORIS, esc.id, "approve")


async def test_stats_figures(world: World) -> None:
    await _fill(world)
    c = await world.community()
    figures = await stats.compute(world.db, c.id, 7, world.now())
    assert figures.messages == 5
    assert figures.actions == {"delete": 1, "ban": 1, "escalate": 1}
    assert dict(figures.top_rules) == {"casino": 1, "scam": 1, "complaint": 1}
    assert (figures.enforced, figures.overturned) == (2, 0)
    assert figures.median_decision_minutes == pytest.approx(10, abs=0.5)
    assert figures.active_members[0] == ("Carol", 3)
    await world.command(ALICE, "stats", "7")
    assert "Messages seen: 5" in world.last_text() and "Most active: Carol 3, Spammer 2" in world.last_text()


async def test_history_of_a_user_and_of_the_community(world: World) -> None:
    await _fill(world)
    await world.command(BORIS, "history", "Spammer")
    text = world.last_text()
    assert (
        text.startswith("Latest cases (Spammer):")
        and " ban · Spammer" in text
        and " delete · Spammer" in text
    )
    await world.command(ALICE, "history")
    assert "escalate · Carol" in world.last_text() and "allow" not in world.last_text()
    await world.command(CAROL, "history")
    assert world.last_text() == "Sorry, only the community's admins can use this command."


async def test_export_sends_the_cases_as_csv(world: World) -> None:
    await _fill(world)
    await world.command(ALICE, "export", "30")
    [doc] = world.sim.of("send_document")
    assert doc.args["filename"].endswith(".csv") and doc.args["caption"] == "Cases of the last 30 days: 5"
    rows = list(csv.DictReader(io.StringIO(doc.args["data"].decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["allow", "allow", "delete", "ban", "escalate"]
    assert (
        rows[2]["rules"] == "casino"
        and rows[2]["text"] == "casino casino"
        and rows[3]["author_name"] == "Spammer"
    )
    assert base64  # the payload travels base64-encoded through the outbox


async def test_retention_purges_old_text_and_keeps_counts(
    sqlite_template: Path, sqlite_database: object
) -> None:
    world = World(sqlite_database, retention_days=30)  # type: ignore[arg-type]
    await world.setup()
    await world.say(SPAMMER, "casino")
    world.later(days=31)
    await world.say(CAROL, "fresh message")
    assert await world.dozor.purge_old_text() == 1
    c = await world.community()
    async with world.db.transaction() as s:
        old, new = await cases.query(s, community_id=c.id)
    assert (old.text, old.action) == (None, "delete") and new.text == "fresh message"
    figures = await stats.compute(world.db, c.id, 60, world.now())
    assert figures.messages == 2 and figures.actions == {"delete": 1}


async def test_backtest_counts_changes_and_disagreements(world: World) -> None:
    await _fill(world)
    c = await world.community()
    async with world.db.transaction() as s:
        casino = (await cases.query(s, community_id=c.id, action="delete"))[0]
        await cases.set_status(s, casino.id, "overturned")
    candidate = (
        "- name: casino\n  body: [casino]\n  action: delete\n"
        "- name: hello\n  body: [hello]\n  action: delete\n"
    )
    report = await backtest(world.db, Engine(None), c.id, candidate, 7)
    assert report.replayed == 5
    assert report.by_transition == {"allow → delete": 1, "ban → allow": 1, "escalate → allow": 1}
    assert [d.case_id for d in report.disagreements] == [casino.id]
    assert "would change" in report.format()
    with pytest.raises(RuleError):
        await backtest(world.db, Engine(None), c.id, "name: x\naction: explode", 7)


SCRIPT = """\
hello everyone
/as newcomer
join my casino now
I want a refund
/as moderator
/press
/press 1 mute
/as admin
/rule test casino
/as member
/history
"""


def test_shell_script_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SCRIPT))
    assert main(["shell", "--db", str(tmp_path / "shell.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "Newcomer1> join my casino now" in out
    assert "🗑 deleted message 2" in out
    assert "📨 moderators' chat #" in out and "escalation 1 (case #" in out
    assert "🔇 muted Newcomer1" in out and "Done: Mute." in out
    assert "Verdict: delete" in out
    assert "Sorry, only the community's admins" in out
    assert main(["stats", "--url", f"sqlite+aiosqlite:///{tmp_path / 'shell.sqlite3'}", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["messages"] == 3 and figures["actions"]["delete"] == 1


def test_a_second_shell_session_on_the_same_database_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "shell.sqlite3")
    for _ in range(2):  # message ids restart at 1 in every session
        monkeypatch.setattr(sys, "stdin", io.StringIO("/as newcomer\njoin my casino now\n"))
        assert main(["shell", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.count("🗑 deleted message") == 2
    assert main(["stats", "--url", f"sqlite+aiosqlite:///{db}", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"] == 2


def test_rules_backtest_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shell.sqlite3"
    script = (
        "/as admin\n/autoreply add delivery -> 3-5 days\n"
        "/as member\nhow long is delivery?\nsell followers cheap\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    assert main(["shell", "--db", str(db)]) == 0
    capsys.readouterr()
    candidate = tmp_path / "candidate.yaml"
    candidate.write_text("- name: followers\n  body: [followers]\n  action: delete\n", encoding="utf-8")
    url = f"sqlite+aiosqlite:///{db}"
    args = ["rules", "backtest", str(candidate), "--community", "1", "--days", "1", "--url", url]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the auto-reply is not a moderation decision, so only the new rule changes anything
    assert report["by_transition"] == {"allow → delete": 1}
    assert report["examples"][0]["text"] == "sell followers cheap"
    candidate.write_text("- name: broken\n  action: explode\n", encoding="utf-8")
    assert main(args) == 1
    assert "broken" in capsys.readouterr().err
