"""Fresh databases for each benchmark scenario: a SQLite file, or a database on a throwaway PostgreSQL."""

from __future__ import annotations

import itertools
from pathlib import Path

import asyncpg

from tests.postgres import PostgresServer

_names = itertools.count(1)


class Backends:
    """Hands out database URLs; starts PostgreSQL on first use and stops it on ``close``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg: PostgresServer | None = None

    async def url(self, kind: str) -> str:
        """A URL of an empty database of ``kind`` (``sqlite`` or ``postgres``)."""
        n = next(_names)
        if kind == "sqlite":
            return f"sqlite+aiosqlite:///{self.workdir / f'dozor-{n}.sqlite3'}"
        if self.pg is None:
            self.pg = PostgresServer().start()
        conn = await asyncpg.connect(self.pg.dsn())
        try:
            await conn.execute(f'CREATE DATABASE "bench_{n}"')
        finally:
            await conn.close()
        return self.pg.url(f"bench_{n}")

    def close(self) -> None:
        if self.pg is not None:
            self.pg.stop()
            self.pg = None
