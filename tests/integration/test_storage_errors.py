"""Outage or refusal: what the database reports decides whether work waits or one event fails.

Refusals and outages are provoked on the real databases (a value out of range, a broken
constraint, a stopped server, a read-only or missing SQLite file); the driver's own exception
classes are checked against the SQLSTATE / result-code rules of ``models.outage``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from bot.pipeline import Pipeline
from models import escalations, inbox, state
from models.db import Database
from models.outage import is_outage
from moderation.errors import StorageError, StorageRefused
from tests.conftest import fresh_database_url
from tests.integration.test_pipeline import Word, words
from tests.postgres import PostgresServer, PostgresUnavailable


async def _refusal(db: Database, sql: str, **params: Any) -> StorageRefused:
    with pytest.raises(StorageRefused) as caught:
        async with db.transaction() as session:
            await session.execute(text(sql), params)
    return caught.value


@pytest.mark.parametrize(
    ("sql", "params", "says"),
    [
        ("INSERT INTO service_state (key, value) VALUES (:k, 'v')", {"k": "x"}, "updated_at"),
        ("SELECT * FROM no_such_table", {}, "no_such_table"),
    ],
    ids=["constraint", "no-such-table"],
)
async def test_a_request_the_database_refuses_is_a_refusal_not_an_outage(
    database: Database, sql: str, params: dict[str, Any], says: str
) -> None:
    refused = await _refusal(database, sql, **params)
    assert says.lower() in str(refused).lower() and "unavailable" not in str(refused)
    assert await database.answers()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated PostgreSQL database (for what only PostgreSQL checks)."""
    return fresh_database_url("postgres", request, tmp_path)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "params", "state"),
    [
        ("SELECT * FROM escalations WHERE id = :i", {"i": 10**40}, "22000"),  # int64 overflow
        (
            "INSERT INTO service_state (key, value, updated_at) VALUES (:k, 'v', now())",
            {"k": "x" * 200},
            "22001",
        ),
        ("SELECT CAST(:s AS TEXT)", {"s": "nul\x00"}, "22021"),
        ("SELECT 1 / 0", {}, "22012"),
    ],
    ids=["int64", "too-long", "nul", "division"],
)
async def test_postgresql_data_exceptions_are_refusals(
    pg_url: str, sql: str, params: dict[str, Any], state: str
) -> None:
    db = Database(pg_url)
    try:
        refused = await _refusal(db, sql, **params)
        assert f"SQLSTATE {state}" in str(refused) and "unavailable" not in str(refused)
    finally:
        await db.dispose()


async def test_an_id_out_of_range_never_reads_as_an_outage(database: Database) -> None:
    """The forged card id of issue 21: PostgreSQL refuses it (22000), SQLite's driver cannot even
    bind it (OverflowError); neither is StorageError."""
    with pytest.raises((StorageRefused, OverflowError)) as caught:
        async with database.transaction() as session:
            await escalations.get(session, 10**40)
    assert not isinstance(caught.value, StorageError)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.exceptions.DiskFullError("could not extend file"),
        asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
        asyncpg.exceptions.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only transaction"),
        asyncpg.exceptions.InvalidPasswordError("password authentication failed"),
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_driver_errors_that_pass_with_time_are_outages(error: BaseException) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.DataError("invalid input for query argument $1 (value out of int64 range)"),
        asyncpg.exceptions.StringDataRightTruncationError("value too long for type character varying(64)"),
        asyncpg.exceptions.UniqueViolationError("duplicate key value violates unique constraint"),
        asyncpg.exceptions.UndefinedTableError('relation "x" does not exist'),
        asyncpg.exceptions.ProgramLimitExceededError("index row size exceeds maximum"),
        asyncpg.exceptions.InternalServerError("unexpected"),
        ValueError("not a database error at all"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_driver_errors_about_the_request_are_not_outages(error: BaseException) -> None:
    assert not is_outage(error)


def test_a_locked_sqlite_file_is_an_outage(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            other.execute("SELECT * FROM t")
    finally:
        other.close()
        holder.close()
    assert caught.value.sqlite_errorname == "SQLITE_BUSY" and is_outage(caught.value)


def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path: Path) -> None:
    # The driver itself: through aiosqlite, a failed connect's thread may outlive the test's loop.
    with pytest.raises(sqlite3.OperationalError) as caught:
        sqlite3.connect(tmp_path / "gone" / "dozor.sqlite3")
    assert caught.value.sqlite_errorname == "SQLITE_CANTOPEN" and is_outage(caught.value)


async def test_a_read_only_sqlite_file_is_an_outage(sqlite_database_url: str) -> None:
    path = sqlite_database_url.removeprefix("sqlite+aiosqlite:///")
    db = Database(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    try:
        with pytest.raises(StorageError) as caught:
            async with db.transaction() as session:
                await inbox.record(session, "shell", "1", {"text": "x"})
    finally:
        await db.dispose()
    assert "unavailable" in str(caught.value)


async def test_an_outage_error_while_the_database_answers_fails_that_event_only(database: Database) -> None:
    """A StorageError the database contradicts (it answers a probe) is tried once more, then
    belongs to the event: it fails with a reason; its batch-mates are processed once."""
    seen: list[str] = []
    tries: list[str] = []

    async def handle(update: Word, _key: str) -> None:
        if update.text == "cursed":
            tries.append(update.text)
            raise StorageError(
                "the database at x is unavailable (test)"
            ) from asyncpg.exceptions.AdminShutdownError("terminating connection")
        seen.append(update.text)

    p = Pipeline(database, handle, {"shell": words}, retry_delay=0.0)
    ids = await p.store("shell", [(str(i), {"text": w}) for i, w in enumerate(["one", "cursed", "two"])])
    await p.process(await p.claim(10, timedelta(seconds=30)))
    assert seen == ["one", "two"] and tries == ["cursed", "cursed"]
    async with database.transaction() as s:
        rows = {k: await inbox.get(s, i) for k, i in ids.items()}
    assert [(r.status, r.attempts) for r in rows.values() if r] == [
        ("processed", 1),
        ("pending", 1),
        ("processed", 1),
    ]
    cursed = rows["1"]
    assert cursed is not None and "refused this event" in (cursed.error or "")


@pytest.fixture
def own_pg_server() -> Any:
    """A PostgreSQL server of this test alone: it is stopped and started again."""
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.postgres
async def test_a_real_outage_leaves_the_whole_batch_pending_and_nothing_is_lost(
    own_pg_server: PostgresServer,
) -> None:
    conn = await asyncpg.connect(own_pg_server.dsn())
    await conn.execute("CREATE DATABASE dozor")
    await conn.close()
    db = Database(own_pg_server.url("dozor"))
    await db.upgrade()
    handled: list[str] = []

    async def handle(update: Word, _key: str) -> None:
        if update.text == "two" and not handled.count("two"):
            handled.append("two")
            await asyncio.to_thread(own_pg_server.pause)  # the server goes away mid-batch
        async with db.transaction() as session:
            await session.execute(text("SELECT 1"))
        handled.append(update.text)

    p = Pipeline(db, handle, {"shell": words}, retry_delay=0.0)
    try:
        ids = await p.store("shell", [(str(i), {"text": w}) for i, w in enumerate(["one", "two", "three"])])
        batch = await p.claim(10, timedelta(seconds=30))
        with pytest.raises(StorageError, match=r"unavailable|unreachable"):
            await p.process(batch)
        await asyncio.to_thread(own_pg_server.resume)
        async with db.transaction() as s:
            rows = [await inbox.get(s, i) for i in ids.values()]
        assert [(r.status, r.attempts, r.error) for r in rows if r] == [("pending", 0, None)] * 3
        await p.process(batch)  # the lease would run out; the same worker takes it again here
        async with db.transaction() as s:
            rows = [await inbox.get(s, i) for i in ids.values()]
        assert [(r.status, r.attempts) for r in rows if r] == [("processed", 1)] * 3
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("key", "payload"),
    [("2", {"text": "odd", "score": float("nan")}), ("k" * 300, {"text": "odd"})],
    ids=["nan-in-json", "key-too-long"],
)
async def test_an_event_the_database_refuses_to_store_is_set_aside_and_its_batch_mates_are_stored(
    database: Database, key: str, payload: dict[str, Any]
) -> None:
    """PostgreSQL refuses NaN in JSON and a key over 128 characters (SQLite stores both): the
    refused event becomes a failed row with the reason, the others are stored and processed."""
    seen: list[str] = []

    async def handle(update: Word, _key: str) -> None:
        seen.append(update.text)

    p = Pipeline(database, handle, {"shell": words}, retry_delay=0.0)
    ids = await p.store(
        "shell", [("1", {"text": "one"}), (key, payload), ("3", {"text": "three"})], cursor=("c", "7")
    )
    assert set(ids) == {"1", key, "3"}
    await p.drain_pending()
    async with database.transaction() as s:
        rows = {k: await inbox.get(s, i) for k, i in ids.items()}
        cursor = await state.get(s, "c")
    assert cursor == "7"
    odd = rows[key]
    assert odd is not None
    if database.dialect == "postgresql":
        assert seen == ["one", "three"]
        assert odd.status == "failed" and "SQLSTATE 22" in (odd.error or "")
        assert "odd" in odd.payload["unstorable"]
    else:
        assert seen == ["one", "odd", "three"] and odd.status == "processed"
