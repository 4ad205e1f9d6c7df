"""The CLI on a fresh install: help, version, db upgrade, run without tokens."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import __version__


def _head() -> str:
    from alembic.script import ScriptDirectory

    from models.db import alembic_config

    return str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head())


HEAD = _head()


def dozor(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_commands(tmp_path: Path) -> None:
    result = dozor("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "run"):
        assert command in result.stdout


def test_version(tmp_path: Path) -> None:
    assert dozor("--version", cwd=tmp_path).stdout.strip() == f"dozor {__version__}"


def test_db_upgrade_creates_sqlite_file_with_every_table(tmp_path: Path) -> None:
    result = dozor("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "dozor.sqlite3") as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"communities", "cases", "inbox", "outbox", "escalations", "labelled_examples"} <= tables
    assert dozor("db", "current", cwd=tmp_path).stdout.strip() == HEAD


def test_run_without_tokens_says_what_to_set(tmp_path: Path) -> None:
    result = dozor("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "DOZOR_TELEGRAM_TOKEN" in result.stderr and "dozor shell" in result.stderr


def test_bad_setting_is_a_clear_error(tmp_path: Path) -> None:
    result = dozor("db", "upgrade", cwd=tmp_path, env={"DOZOR_DB_URL": "mysql://x"})
    assert result.returncode == 1
    assert "DOZOR_DB_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.postgres
def test_db_upgrade_on_postgres(pg_server, tmp_path: Path) -> None:
    from tests.conftest import _create_database

    _create_database(pg_server, "cli_upgrade")
    result = dozor("db", "upgrade", cwd=tmp_path, env={"DOZOR_DB_URL": pg_server.url("cli_upgrade")})
    assert result.returncode == 0, result.stderr
    assert f"revision {HEAD}" in result.stdout


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    result = dozor("db", "upgrade", cwd=tmp_path, env={"DOZOR_DB_URL": url})
    assert result.returncode == 1
    assert "cannot migrate the database" in result.stderr and "Traceback" not in result.stderr
