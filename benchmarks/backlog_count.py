"""What the inbox worker's once-a-second backlog count costs on a long-lived inbox.

Run: ``python benchmarks/backlog_count.py [--processed 1000000] [--waiting 5000] [--backends …]``

Fills a fresh, migrated database with ``--processed`` processed events and ``--waiting`` pending
ones (``DOZOR_HTTP_MAX_BACKLOG``'s default), then times ``models.inbox.backlog`` — the query
``bot.receiver.Receiver`` runs every second for ``dozor_inbox_backlog`` — through ``Database``
as the service does. Prints the median and the slowest of 50 counts per backend.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from models import inbox  # noqa: E402
from models.db import Database  # noqa: E402
from tests.postgres import PostgresServer  # noqa: E402

FILL = {
    "sqlite": """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
        INSERT INTO inbox (platform, event_key, payload, status, attempts, received_at)
        SELECT 'telegram', :prefix || i, '{}', :status, 1, CURRENT_TIMESTAMP FROM n""",
    "postgresql": """
        INSERT INTO inbox (platform, event_key, payload, status, attempts, received_at)
        SELECT 'telegram', :prefix || i, '{}', :status, 1, now() FROM generate_series(1, :count) AS i""",
}


async def measure(url: str, processed: int, waiting: int) -> tuple[float, float, int]:
    db = Database(url)
    try:
        await db.upgrade()
        async with db.transaction() as session:
            fill = text(FILL[db.dialect])
            await session.execute(fill, {"count": processed, "prefix": "p", "status": "processed"})
            await session.execute(fill, {"count": waiting, "prefix": "w", "status": "pending"})
        if db.dialect == "postgresql":  # as autovacuum would have left a long-lived table
            async with db.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE inbox"))
        took = []
        for _ in range(50):
            start = time.perf_counter()
            async with db.transaction() as session:
                counted = await inbox.backlog(session)
            took.append(time.perf_counter() - start)
        return statistics.median(took) * 1000, max(took) * 1000, counted
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", type=int, default=1_000_000)
    parser.add_argument("--waiting", type=int, default=5000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"backlog_count: {args.waiting} waiting among {args.processed} processed events")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            server = PostgresServer().start() if backend == "postgres" else None
            try:
                if server is not None:
                    asyncio.run(_create(server))
                    url = server.url("bench")
                else:
                    url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
                median, slowest, counted = asyncio.run(measure(url, args.processed, args.waiting))
            finally:
                if server is not None:
                    server.stop()
        assert counted == args.waiting, counted
        print(f"  {backend:8}  one count: median {median:.2f} ms, slowest {slowest:.2f} ms (of 50)")


async def _create(server: PostgresServer) -> None:
    import asyncpg

    conn = await asyncpg.connect(server.dsn())
    try:
        await conn.execute('CREATE DATABASE "bench"')
    finally:
        await conn.close()


if __name__ == "__main__":
    main()
