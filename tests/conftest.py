"""Shared fixtures: real databases.

``database`` runs a test twice, on a SQLite file and on a real PostgreSQL server started here.
Each test gets a fresh database copied from a migrated template, so tests never see each other.
Under CI (``CI`` set) a PostgreSQL server that cannot start fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from models.db import Database
from moderation.classifier.sources import datasets_folder
from tests.postgres import PostgresServer, PostgresUnavailable

DATASETS = datasets_folder()
_counter = itertools.count()


def _migrate(url: str) -> None:
    async def run() -> None:
        db = Database(url)
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    asyncio.run(run())


@pytest.fixture(scope="session")
def shipped_scorer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The classifier Dozor ships with, loaded once per session (an empty model folder, so no
    locally trained version is picked up)."""
    from bot.scoring import load_scorer

    scorer, about = load_scorer(tmp_path_factory.mktemp("no-models"))
    assert scorer is not None, about
    return scorer


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    _migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but did not start: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        _create_database(server, "dozor_template")
        _migrate(server.url("dozor_template"))
        yield server
    finally:
        server.stop()


def _create_database(server: PostgresServer, name: str, template: str | None = None) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(server.dsn())
        try:
            clause = f" TEMPLATE {template}" if template else ""
            await conn.execute(f'CREATE DATABASE "{name}"{clause}')
        finally:
            await conn.close()

    asyncio.run(run())


def fresh_database_url(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "sqlite":
        path = tmp_path / "dozor.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"test_{os.getpid()}_{next(_counter)}"
    _create_database(server, name, template="dozor_template")
    return server.url(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL; the test runs once per backend."""
    return fresh_database_url(request.param, request, tmp_path)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def sqlite_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    # A sync fixture: building the session template runs its own event loop.
    return fresh_database_url("sqlite", request, tmp_path)


@pytest.fixture
async def sqlite_database(sqlite_database_url: str) -> AsyncIterator[Database]:
    """A fresh, migrated SQLite database (for tests where the backend does not matter)."""
    db = Database(sqlite_database_url)
    yield db
    await db.dispose()


@pytest.fixture
def datasets() -> Path:
    """The shared labelled datasets; the test is skipped with a reason when they are absent."""
    if not DATASETS.is_dir():
        pytest.skip(f"shared datasets not found at {DATASETS} (they live beside the project, not in it)")
    return DATASETS
