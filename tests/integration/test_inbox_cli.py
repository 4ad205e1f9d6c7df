"""`dozor inbox failed` shows the operator which events failed and why; `retry` puts them back."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from bot.pipeline import Pipeline
from models import inbox
from models.db import Database
from tests.integration.test_cli_foundation import dozor
from tests.integration.test_pipeline import Word, words


async def _one_failed_event(url: str) -> int:
    """Store two events; the handler refuses one of them, for good (one attempt allowed)."""

    async def handle(word: Word, _key: str) -> None:
        if word.text == "bad":
            raise ValueError("cannot read this event (test)")

    db = Database(url)
    try:
        p = Pipeline(db, handle, {"shell": words}, max_attempts=1)
        ids = await p.store("shell", [("1", {"text": "good"}), ("2", {"text": "bad"})])
        await p.process(await p.claim(10, timedelta(seconds=30)))
        return ids["2"]
    finally:
        await db.dispose()


async def _status(url: str, inbox_id: int) -> tuple[str, int]:
    db = Database(url)
    try:
        async with db.transaction() as session:
            row = await inbox.get(session, inbox_id)
    finally:
        await db.dispose()
    assert row is not None
    return row.status, row.attempts


def test_failed_events_are_listed_with_their_reason_and_can_be_retried(
    sqlite_database_url: str, tmp_path: Path
) -> None:
    bad = asyncio.run(_one_failed_event(sqlite_database_url))
    listed = dozor("inbox", "failed", "--url", sqlite_database_url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert f"{bad}  shell:2" in listed.stdout and "ValueError: cannot read this event (test)" in listed.stdout
    as_json = json.loads(
        dozor("inbox", "failed", "--json", "--url", sqlite_database_url, cwd=tmp_path).stdout
    )
    assert [(e["id"], e["status"], e["attempts"]) for e in as_json] == [(bad, "failed", 1)]

    retried = dozor("inbox", "retry", str(bad), "--url", sqlite_database_url, cwd=tmp_path)
    assert retried.returncode == 0 and "1 event(s) back in the queue" in retried.stdout
    assert asyncio.run(_status(sqlite_database_url, bad)) == ("pending", 0)


def test_an_event_number_out_of_range_is_refused_before_any_query(
    sqlite_database_url: str, tmp_path: Path
) -> None:
    result = dozor("inbox", "retry", "9" * 40, "--url", sqlite_database_url, cwd=tmp_path)
    assert result.returncode == 2 and "is not an inbox event number" in result.stderr
