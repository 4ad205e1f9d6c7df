"""`dozor stats`: moderation statistics of one community or all of them."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stats", help="messages seen, actions, top rules, shadow rules, overturn rate, decision time"
    )
    p.add_argument(
        "--community",
        help="a community: its title, its chat or group id, or Dozor's number (default: all communities)",
    )
    p.add_argument("--days", type=int, default=7, help="the period, in days (default 7)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    p.set_defaults(func=_stats)


def _stats(args: argparse.Namespace) -> int:
    from bot.cli._community import listing, resolve, watched
    from config import load_settings
    from handlers import stats
    from models.communities import CommunityRecord
    from models.db import Database
    from moderation.errors import ConfigError

    if not 0 < args.days <= 3650:
        raise ConfigError("--days takes 1 to 3650")
    url = args.url or load_settings().database.url

    async def run() -> tuple[stats.Stats, list[CommunityRecord]]:
        db = Database(url)
        try:
            await db.require_existing()
            chosen = await resolve(db, args.community) if args.community else None
            figures = await stats.compute(db, chosen.id if chosen else None, args.days, datetime.now(UTC))
            return figures, [] if chosen else await watched(db)
        finally:
            await db.dispose()

    figures, known = asyncio.run(run())
    if args.json:
        print(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(figures.format("en"))
    if known:
        print("communities:\n" + listing(known))
    return 0
