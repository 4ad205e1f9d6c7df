"""What an operator types: reading commands that create nothing, communities named as people know
them, moderators' chats kept out of the community list, and multi-line rules in `dozor shell`."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.shell import Shell
from models import communities, rules
from models.db import Database
from tests.integration.test_cli_foundation import dozor


@pytest.mark.parametrize("command", [["stats"], ["report", "--community", "1"]])
def test_reading_commands_in_an_empty_folder_say_there_is_no_database_and_create_none(
    tmp_path: Path, command: list[str]
) -> None:
    result = dozor(*command, cwd=tmp_path)
    assert result.returncode == 1
    assert "there is no database at sqlite+aiosqlite:///./dozor.sqlite3" in result.stderr
    assert "DOZOR_DB_URL" in result.stderr and "server" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unmigrated_database_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "other.sqlite3").write_bytes(b"")
    result = dozor("stats", "--url", f"sqlite+aiosqlite:///{tmp_path / 'other.sqlite3'}", cwd=tmp_path)
    assert result.returncode == 1 and "has no Dozor tables" in result.stderr


async def _three_communities(url: str) -> None:
    db = Database(url)
    try:
        async with db.transaction() as s:
            tea = await communities.ensure(s, "telegram", "-1001", title="Tea lovers")
            await communities.ensure(s, "telegram", "-1002", title="Tea traders")
            await communities.ensure(s, "vk", "200100", title="Coffee")
            # the tea lovers' moderators' chat, registered when Dozor was added to it
            await communities.ensure(s, "telegram", "-1009", title="Tea lovers: moderators")
            await communities.update_fields(s, tea.id, modchat_id="-1009")
            await rules.put(s, tea.id, "casino", "name: casino\nbody: [casino]\naction: delete\n")
    finally:
        await db.dispose()


def test_communities_are_named_by_title_or_platform_id_and_ambiguity_lists_them(
    sqlite_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_three_communities(sqlite_database_url))
    assert main(["stats", "--url", sqlite_database_url]) == 0
    listed = capsys.readouterr().out.split("communities:")[1]
    assert "telegram:-1001  Tea lovers" in listed and "vk:200100  Coffee" in listed
    assert "-1009" not in listed  # a moderators' chat is not a community

    rule_file = tmp_path / "candidate.yaml"
    rule_file.write_text("- name: casino\n  body: [casino]\n  action: ban\n", encoding="utf-8")
    backtest = ["rules", "backtest", str(rule_file), "--url", sqlite_database_url, "--json"]
    assert main([*backtest, "--community", "Tea"]) == 1
    err = capsys.readouterr().err
    assert "'Tea' fits 2 communities" in err and "Tea lovers" in err and "Tea traders" in err
    for named in ("tea lovers", "-1001", "telegram:-1001"):
        assert main([*backtest, "--community", named]) == 0, capsys.readouterr().err
        capsys.readouterr()
    assert main(["stats", "--community", "club200100", "--url", sqlite_database_url]) == 0


async def test_a_multi_line_rule_is_typed_in_the_shell_up_to_an_empty_line(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/as admin",
            "/rule add",
            "name: earnings",
            "body (includes-word): [заработок, доход]",
            "author.messages: '< 5'",
            "action: delete",
            "",
            "/as newcomer",
            "Лёгкий заработок без вложений",
        ]
    )
    out = io.StringIO()
    assert await Shell(tmp_path / "shell.sqlite3").run(io.StringIO(script + "\n"), out) == 0
    printed = out.getvalue()
    assert "Rule 'earnings' saved (version 1, enforce)." in printed
    assert "⚖️  case #1: delete [executed]" in printed


def test_model_training_from_one_communitys_history_names_it_as_the_other_commands_do(
    sqlite_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asyncio.run(_three_communities(sqlite_database_url))
    monkeypatch.setenv("DOZOR_DB_URL", sqlite_database_url)
    train = ["model", "train", "--from-history", "--out", str(tmp_path / "models")]
    huge = "9" * 40  # past any integer column: a name that fits nothing, not a database error
    assert main([*train, "--community", huge]) == 1
    err = capsys.readouterr().err
    assert f"no community matches '{huge}'" in err and "Tea lovers" in err and "Traceback" not in err
    assert main([*train, "--community", "Tea"]) == 1
    assert "'Tea' fits 2 communities" in capsys.readouterr().err
    # named, it reads that community's examples (none yet) and says there is nothing to tune on
    assert main([*train, "--community", "Coffee"]) == 1
    assert "read 0 labelled examples" in capsys.readouterr().err
