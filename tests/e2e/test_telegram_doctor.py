"""`dozor doctor` against the fake Bot API server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.telegram.doctor import diagnose
from config.settings import Settings, load_settings
from models import communities
from models.db import Database
from tests.e2e.fake_telegram import BOT_ID, TOKEN, FakeTelegram
from tests.e2e.service import SECRET


async def _groups(db: Database, *ids: int) -> None:
    async with db.transaction() as session:
        for chat_id in ids:
            await communities.ensure(session, "telegram", str(chat_id), title=f"G{chat_id}")


def _settings(db: Database, telegram: FakeTelegram, **extra: object) -> Settings:
    tg = {"token": TOKEN, "api_server": telegram.base_url, **extra}
    return load_settings(database={"url": db.url}, telegram=tg)


async def test_all_good(sqlite_database: Database, telegram: FakeTelegram) -> None:
    telegram.can_read_all_group_messages = True
    await _groups(sqlite_database, -1001)
    report = await diagnose(_settings(sqlite_database, telegram))
    assert report.problems == []
    text = report.render()
    assert "@dozor_test_bot" in text and "privacy mode is off" in text and "G-1001" in text


async def test_missing_rights_privacy_and_webhook_errors(
    sqlite_database: Database, telegram: FakeTelegram
) -> None:
    await _groups(sqlite_database, -1001, -1002, -1003)
    telegram.set_member(-1001, BOT_ID, "member")
    telegram.set_member(-1002, BOT_ID, "administrator", can_restrict_members=False)
    telegram.webhook = {"url": "https://old.example.org/hook"}
    telegram.webhook_info_extra = {"last_error_message": "Wrong response from the webhook: 401 Unauthorized"}
    settings = _settings(
        sqlite_database,
        telegram,
        mode="webhook",
        webhook_url="https://dozor.example.org/hook",
        webhook_secret=SECRET,
    )
    report = await diagnose(settings)
    problems = "\n".join(report.problems)
    assert "G-1001 (-1001): Dozor is not an admin" in problems
    assert "G-1002 (-1002): Dozor is an admin but lacks 'Ban users'" in problems
    assert "G-1003" not in problems
    assert "https://old.example.org/hook" in problems and "401 Unauthorized" in problems
    assert any("privacy mode is on" in n for n in report.notes)


async def test_bad_token(sqlite_database: Database, telegram: FakeTelegram) -> None:
    telegram.token = "1:other"
    report = await diagnose(_settings(sqlite_database, telegram))
    assert len(report.problems) == 1 and "rejects DOZOR_TELEGRAM_TOKEN" in report.problems[0]


def test_cli_exit_code(
    threaded_telegram: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    sqlite_template: Path,
) -> None:
    db_file = tmp_path / "doctor.sqlite3"
    shutil.copy(sqlite_template, db_file)
    monkeypatch.setenv("DOZOR_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("DOZOR_TELEGRAM_API_SERVER", threaded_telegram.base_url)
    monkeypatch.setenv("DOZOR_DB_URL", f"sqlite+aiosqlite:///{db_file}")
    threaded_telegram.can_read_all_group_messages = True
    assert main(["doctor"]) == 0
    assert "Everything looks right." in capsys.readouterr().out
    threaded_telegram.token = "1:other"
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM" in out and TOKEN not in out
