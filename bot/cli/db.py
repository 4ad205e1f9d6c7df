"""`dozor db …`: schema migrations."""

from __future__ import annotations

import argparse
import asyncio


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="database schema: upgrade, current revision, new revision")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION", required=True)

    up = db_sub.add_parser("upgrade", help="apply pending migrations (creates the database if needed)")
    up.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    up.set_defaults(func=_upgrade)

    cur = db_sub.add_parser("current", help="print the schema revision the database is at")
    cur.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    cur.set_defaults(func=_current)

    rev = db_sub.add_parser("revision", help="developers: autogenerate a migration from models/")
    rev.add_argument("-m", "--message", required=True, help="what the migration changes")
    rev.add_argument("--url", help="database URL at head to compare against (default: DOZOR_DB_URL)")
    rev.set_defaults(func=_revision)


def _url(args: argparse.Namespace) -> str:
    from config import load_settings

    return args.url or load_settings().database.url


def _upgrade(args: argparse.Namespace) -> int:
    from models.db import Database

    async def run() -> str | None:
        db = Database(_url(args))
        try:
            await db.upgrade()
            return await db.current_revision()
        finally:
            await db.dispose()

    revision = asyncio.run(run())
    print(f"database is at revision {revision}")
    return 0


def _current(args: argparse.Namespace) -> int:
    from models.db import Database

    async def run() -> str | None:
        db = Database(_url(args))
        try:
            return await db.current_revision()
        finally:
            await db.dispose()

    print(asyncio.run(run()) or "empty (run `dozor db upgrade`)")
    return 0


def _revision(args: argparse.Namespace) -> int:
    from alembic import command

    from models.db import alembic_config

    command.revision(alembic_config(_url(args)), message=args.message, autogenerate=True)
    return 0
