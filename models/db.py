"""The database handle: one async engine, a session factory and schema upgrades."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from models import outage
from models.outage import is_database_error, is_outage
from moderation.errors import ConfigError, StorageError, StorageRefused

log = logging.getLogger(__name__)

# The Alembic scripts are the top-level ``migrations`` package, installed beside this one. Found by
# path, not imported: migrations import the models, never the other way round.
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration that needs no alembic.ini: the scripts ship inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL loses nothing when the process dies (kill -9); only a power cut or an OS
    # crash may lose the last transactions. FULL would fsync every commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _missing_file(url: str) -> Path | None:
    """The SQLite file a URL names, when it does not exist (connecting would create it)."""
    where = make_url(url)
    if where.get_backend_name() != "sqlite" or where.database in (None, "", ":memory:"):
        return None
    path = Path(where.database)  # type: ignore[arg-type]
    return None if path.is_file() else path.resolve()


class Database:
    """Owns the engine; hands out sessions and transactions.

    Args:
        url: SQLAlchemy async URL (``sqlite+aiosqlite:///file`` or ``postgresql+asyncpg://…``).
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "postgresql":
            # No pre-ping (it cost a round trip per transaction): a connection the server dropped
            # fails its transaction as StorageError, is discarded, and the caller's retry gets a
            # fresh one. Connecting gives up after 5 s instead of asyncpg's 60.
            kwargs.update(pool_size=10, max_overflow=10, connect_args={"timeout": 5})
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error.

        Raises:
            StorageError: the database is unavailable (``models.outage``): wait and retry.
            StorageRefused: the database refused what was asked (a bad value, a constraint);
                asking again would fail again.
        """
        try:
            async with self.sessions.begin() as session:
                yield session
        except (StorageError, StorageRefused):
            raise  # a transaction opened inside this one already said what happened
        except Exception as exc:
            if is_outage(exc):
                # asyncpg's own connect errors (refused, reset, timed out) come unwrapped.
                state = "unreachable" if isinstance(exc, OSError) else "unavailable"
                raise StorageError(
                    f"the database at {self.safe_url} is {state} ({outage.reason(exc)}); "
                    "check DOZOR_DB_URL and that the server is running"
                ) from exc
            if is_database_error(exc):
                raise StorageRefused(f"the database refused the request: {outage.reason(exc)}") from exc
            raise

    async def answers(self) -> bool:
        """Whether the database answers a trivial query now (after an error: was it an outage?)."""
        try:
            async with self.transaction() as session:
                await session.execute(text("SELECT 1"))
        except (StorageError, StorageRefused):
            return False
        return True

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, fit for logs and messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    async def upgrade(self, revision: str = "head") -> None:
        """Apply pending migrations (Alembic), on this engine's own connection."""

        def run(connection: Connection) -> None:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)

        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(run)
        except (OSError, OperationalError, DBAPIError) as exc:
            raise StorageError(
                f"cannot migrate the database at {self.safe_url}: {exc}; "
                "check DOZOR_DB_URL and that the server is running"
            ) from exc

    async def require_existing(self) -> None:
        """For commands that only read: fail, creating nothing, when no Dozor database is there.

        Raises:
            ConfigError: no SQLite file at the URL, or a database without Dozor's tables, saying
                which URL was read and how to point at the right one.
            StorageError: the server cannot be reached.
        """
        hint = "pass --url or set DOZOR_DB_URL to the database `dozor run` uses"
        missing = _missing_file(self.url)
        if missing is not None:
            raise ConfigError(f"there is no database at {self.safe_url} (no file {missing}); {hint}")
        try:
            revision = await self.current_revision()
        except (OSError, DBAPIError) as exc:
            raise StorageError(
                f"cannot read the database at {self.safe_url}: {exc}; check DOZOR_DB_URL and that the "
                "server is running"
            ) from exc
        if revision is None:
            raise ConfigError(f"the database at {self.safe_url} has no Dozor tables; {hint}")

    async def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        def read(connection: Connection) -> str | None:
            return MigrationContext.configure(connection).get_current_revision()

        async with self.engine.connect() as conn:
            return await conn.run_sync(read)

    async def dispose(self) -> None:
        await self.engine.dispose()
