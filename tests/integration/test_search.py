"""The history search of the workspace, on SQLite (FTS5) and PostgreSQL (pg_trgm): each filter
finds what it says, newest first, and never another community's cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import cases, communities, members
from models.db import Database
from models.search import Filters, count_shadow_hits, search

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


async def _world(db: Database) -> tuple[int, int]:
    async with db.transaction() as s:
        mine = await communities.ensure(s, "telegram", "-1", title="Mine")
        other = await communities.ensure(s, "telegram", "-2", title="Other")
        rows = [
            # (community, author, name, text, action, status, rules, days ago)
            (mine.id, "10", "Анна", "Заказ не пришёл, верните деньги", "escalate", "executed", [], 1),
            (mine.id, "11", "Boris", "casino bonus today", "delete", "executed", ["casino"], 2),
            (mine.id, "11", "Boris", "CASINO again", "ban", "overturned", ["casino"], 3),
            (mine.id, "12", "Carol", "hello there", "allow", "executed", [], 40),
            (mine.id, "12", "Carol", "50% off_today", "allow", "executed", [], 41),
            (
                other.id,
                "11",
                "Boris",
                "casino bonus in the other community",
                "delete",
                "executed",
                ["casino"],
                1,
            ),
        ]
        for community, author, name, text, action, status, fired, days in sorted(rows, key=lambda r: -r[7]):
            await cases.create(
                s,
                community_id=community,
                platform="telegram",
                chat_id="-1",
                author_id=author,
                author_name=name,
                text=text,
                action=action,
                status=status,
                reasons=[{"kind": "rule", "name": r, "detail": r} for r in fired],
                shadow=[{"kind": "rule", "name": "caps", "detail": "would"}]
                if text.startswith("CASINO")
                else [],
                created_at=NOW - timedelta(days=days),
            )
        await members.ensure(s, mine.id, "11", name="Boris Petrov", now=NOW)
        return mine.id, other.id


async def _texts(db: Database, community_id: int, **filters: object) -> list[str]:
    async with db.transaction() as s:
        return [c.text or "" for c in await search(s, community_id, Filters(**filters))]  # type: ignore[arg-type]


async def test_every_filter_finds_what_it_says_newest_first_in_one_community(database: Database) -> None:
    mine, _ = await _world(database)
    everything = await _texts(database, mine)
    assert everything == [
        "Заказ не пришёл, верните деньги",
        "casino bonus today",
        "CASINO again",
        "hello there",
        "50% off_today",
    ]
    assert await _texts(database, mine, text="casino") == ["casino bonus today", "CASINO again"]
    assert await _texts(database, mine, text="ВЕРНИТЕ") == ["Заказ не пришёл, верните деньги"]
    assert await _texts(database, mine, text="заказ") == ["Заказ не пришёл, верните деньги"]
    assert await _texts(database, mine, text="50%") == ["50% off_today"]  # % and _ are literal
    assert await _texts(database, mine, text="f_t") == ["50% off_today"]
    assert await _texts(database, mine, text="nothing like it") == []
    assert await _texts(database, mine, author="12") == ["hello there", "50% off_today"]
    assert await _texts(database, mine, author="petrov") == ["casino bonus today", "CASINO again"]
    assert await _texts(database, mine, rule="casino") == ["casino bonus today", "CASINO again"]
    assert await _texts(database, mine, action="ban") == ["CASINO again"]
    assert await _texts(database, mine, status="overturned") == ["CASINO again"]
    recent = await _texts(database, mine, since=NOW - timedelta(days=7), until=NOW)
    assert recent == ["Заказ не пришёл, верните деньги", "casino bonus today", "CASINO again"]
    assert await _texts(database, mine, text="casino", action="delete") == ["casino bonus today"]
    async with database.transaction() as s:
        first = await search(s, mine, Filters(), limit=2)
        after = await search(s, mine, Filters(before_id=first[-1].id), limit=2)
        hits = await count_shadow_hits(s, mine, ["caps", "none"], NOW - timedelta(days=30))
    assert [c.text for c in after] == ["CASINO again", "hello there"]
    assert hits == {"caps": 1, "none": 0}


async def test_retention_purges_text_from_the_index_too(database: Database) -> None:
    mine, _ = await _world(database)
    async with database.transaction() as s:
        await cases.purge_text(s, NOW - timedelta(days=30))
    assert await _texts(database, mine, text="hello") == []
    assert await _texts(database, mine, text="casino") == ["casino bonus today", "CASINO again"]
