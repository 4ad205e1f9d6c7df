"""Fixtures of the workflow tests: a simulated community on a real database."""

from __future__ import annotations

import pytest

from models.db import Database
from tests.workflow.world import World


@pytest.fixture
async def world(sqlite_database: Database) -> World:
    """A community on SQLite."""
    w = World(sqlite_database)
    await w.setup()
    return w


@pytest.fixture
async def both(database: Database) -> World:
    """The same community on SQLite and on PostgreSQL."""
    w = World(database)
    await w.setup()
    return w
