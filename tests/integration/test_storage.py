"""The storage suite: runs on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from models import communities, examples, inbox, members, outbox, state
from models.base import Base
from models.db import Database
from models.search import include_name

EXPECTED_TABLES = {
    "communities",
    "members",
    "warnings",
    "moderators",
    "inbox",
    "cases",
    "outbox",
    "rules",
    "auto_replies",
    "escalations",
    "labelled_examples",
    "service_state",
    "coordination",
    "saved_answers",
    "member_events",
    "giveaways",
    "join_checks",
    "web_links",
    "web_sessions",
    "alembic_version",
}
# the history's text index on SQLite: an FTS5 table and the shadow tables SQLite keeps for it
SQLITE_SEARCH = {"cases_fts", "cases_fts_data", "cases_fts_idx", "cases_fts_docsize", "cases_fts_config"}


async def test_migrations_create_every_table(database: Database) -> None:
    async with database.engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert names - SQLITE_SEARCH == EXPECTED_TABLES
    assert names >= SQLITE_SEARCH or database.dialect != "sqlite"
    assert await database.current_revision() is not None


async def test_models_and_migrations_do_not_drift(database: Database) -> None:
    def diff(connection):
        opts = {"compare_type": True, "include_name": include_name}
        ctx = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(ctx, Base.metadata)

    async with database.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], f"models/ and migrations/ differ; run `dozor db revision -m ...`: {changes}"


async def test_upgrade_is_idempotent(database: Database) -> None:
    before = await database.current_revision()
    await database.upgrade()
    assert await database.current_revision() == before


async def test_inbox_stores_an_event_once(database: Database) -> None:
    payload = {"update_id": 7, "message": {"text": "привет 👋 \u200b"}}
    async with database.transaction() as s:
        first = await inbox.record(s, "telegram", "7", payload)
    async with database.transaction() as s:
        again = await inbox.record(s, "telegram", "7", payload)
        other_platform = await inbox.record(s, "vk", "7", payload)
    assert first is not None and other_platform is not None
    assert again is None
    async with database.transaction() as s:
        item = await inbox.get(s, first)
        assert item is not None and item.payload == payload and item.status == "pending"
        assert [p.id for p in await inbox.pending(s, "telegram")] == [first]
        await inbox.mark_failed(s, first, "boom", final=False)
    async with database.transaction() as s:
        item = await inbox.get(s, first)
        assert item is not None and item.status == "pending" and item.attempts == 1 and item.error == "boom"
        await inbox.mark_processed(s, first)
    async with database.transaction() as s:
        assert await inbox.pending(s, "telegram") == []


async def test_outbox_lifecycle(database: Database) -> None:
    now = datetime.now(UTC)
    async with database.transaction() as s:
        c = await communities.ensure(s, "telegram", "-100")
        a = await outbox.enqueue(
            s, platform="telegram", kind="delete", payload={"chat_id": "-100"}, community_id=c.id
        )
        later = await outbox.enqueue(
            s,
            platform="telegram",
            kind="ban",
            payload={},
            community_id=c.id,
            not_before=now + timedelta(hours=1),
        )
    async with database.transaction() as s:
        assert [r.id for r in await outbox.due(s, now + timedelta(seconds=1))] == [a]
        await outbox.mark_retry(s, a, "429: retry after 3", now + timedelta(seconds=3))
    async with database.transaction() as s:
        assert await outbox.due(s, now + timedelta(seconds=1)) == []
        assert [r.id for r in await outbox.due(s, now + timedelta(seconds=4))] == [a]
        assert await outbox.mark_done_many(s, [(a, {"ok": True})]) == {a}
        assert await outbox.mark_done_many(s, [(a, None)]) == set()  # a second worker cannot finish it again
        await outbox.mark_failed(s, later, "message can't be deleted")
    async with database.transaction() as s:
        done, failed = await outbox.get(s, a), await outbox.get(s, later)
        assert (
            done is not None and done.status == "done" and done.attempts == 2 and done.result == {"ok": True}
        )
        assert failed is not None and failed.status == "failed" and "deleted" in (failed.last_error or "")


async def test_community_ensure_is_idempotent_under_concurrency(database: Database) -> None:
    async def ensure() -> int:
        async with database.transaction() as s:
            return (await communities.ensure(s, "vk", "123", title="Кофейня")).id

    ids = await asyncio.gather(*(ensure() for _ in range(5)))
    assert len(set(ids)) == 1
    async with database.transaction() as s:
        await communities.update_fields(s, ids[0], settings={"thresholds": {"spam": 0.8}}, modchat_id="42")
    async with database.transaction() as s:
        c = await communities.get(s, ids[0])
        assert c is not None and c.settings == {"thresholds": {"spam": 0.8}} and c.title == "Кофейня"
        assert [x.id for x in await communities.by_modchat(s, "vk", "42")] == [ids[0]]
        assert await communities.find(s, "telegram", "123") is None


async def test_datetimes_come_back_timezone_aware(database: Database) -> None:
    async with database.transaction() as s:
        c = await communities.ensure(s, "telegram", "-1")
    assert c.created_at.tzinfo is not None
    assert abs(c.created_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_examples_and_state(database: Database) -> None:
    async with database.transaction() as s:
        c = await communities.ensure(s, "telegram", "-5")
        await examples.add(
            s, "Заработок от 5000 в день, пиши в лс", "spam", source="moderator", community_id=c.id
        )
        await examples.add(s, "where is my order?", "negative", source="import")
        with pytest.raises(ValueError, match="label must be one of"):
            await examples.add(s, "x", "maybe", source="import")
        await state.put(s, "vk:ts", "100")
    async with database.transaction() as s:
        await state.put(s, "vk:ts", "101")
    async with database.transaction() as s:
        assert await state.get(s, "vk:ts") == "101"
        assert await state.get(s, "missing") is None
        all_rows = await examples.list_examples(s)
        mine = await examples.list_examples(s, community_id=c.id)
    assert [e.label for e in all_rows] == ["spam", "negative"]
    assert [e.text for e in mine] == ["Заработок от 5000 в день, пиши в лс"]


async def test_huge_and_odd_unicode_text_round_trips(database: Database) -> None:
    text = ("🙂\u200d\u202e" + "ж" * 1000 + "\U0001f4a9") * 200
    async with database.transaction() as s:
        item = await inbox.record(s, "telegram", "big", {"text": text})
    async with database.transaction() as s:
        assert item is not None
        got = await inbox.get(s, item)
    assert got is not None and got.payload["text"] == text


async def test_a_postgresql_server_that_refuses_connections_is_a_storage_error() -> None:
    import socket

    from moderation.errors import StorageError

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    db = Database(f"postgresql+asyncpg://dozor:hunter2@127.0.0.1:{port}/dozor")
    try:
        with pytest.raises(StorageError) as caught:
            async with db.transaction() as session:
                await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()
    assert "unreachable" in str(caught.value) and "hunter2" not in str(caught.value)


async def test_a_member_is_found_by_id_name_or_the_username_in_their_name(database: Database) -> None:
    async with database.transaction() as s:
        c = await communities.ensure(s, "telegram", "-100777", title="Names")
        await members.ensure_many(
            s,
            c.id,
            {
                "7": ("Ivan (@Ivan_P)", datetime(2026, 1, 1, tzinfo=UTC)),
                "8": ("100% real (@x)", datetime(2026, 1, 1, tzinfo=UTC)),
                "9": ("Twin", datetime(2026, 1, 1, tzinfo=UTC)),
                "10": ("Twin", datetime(2026, 1, 1, tzinfo=UTC)),
                "11": ("9", datetime(2026, 1, 1, tzinfo=UTC)),  # a name that is another's id
            },
        )
    async with database.transaction() as s:
        found = {
            given: [m.user_id for m in await members.find_named(s, c.id, given)]
            for given in (
                "7",
                "@7",
                "Ivan (@Ivan_P)",
                "@ivan_p",
                "@IVAN_P",
                "@ivanXp",
                "@ivan",
                "@%",
                "@x",
                "Twin",
                "9",
            )
        }
    assert found == {
        "7": ["7"],
        "@7": ["7"],
        "Ivan (@Ivan_P)": ["7"],
        "@ivan_p": ["7"],
        "@IVAN_P": ["7"],
        "@ivanXp": [],  # "_" is no wildcard
        "@ivan": [],  # the whole username, not a part of it
        "@%": [],
        "@x": ["8"],
        "Twin": ["9", "10"],  # a name several people have: both, so the caller can ask which
        "9": ["9"],  # a user id wins over a name
    }
