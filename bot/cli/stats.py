"""`dozor stats`: moderation statistics of one community or all of them."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="messages seen, actions, top rules, overturn rate, decision time")
    p.add_argument("--community", type=int, help="community id (default: all communities)")
    p.add_argument("--days", type=int, default=7, help="the period, in days (default 7)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    p.set_defaults(func=_stats)


def _stats(args: argparse.Namespace) -> int:
    from config import load_settings
    from handlers import stats
    from models import communities
    from models.db import Database

    url = args.url or load_settings().database.url

    async def run() -> tuple[stats.Stats, list[communities.CommunityRecord]]:
        db = Database(url)
        try:
            figures = await stats.compute(db, args.community, args.days, datetime.now(UTC))
            async with db.transaction() as session:
                known = await communities.list_all(session)
            return figures, known
        finally:
            await db.dispose()

    figures, known = asyncio.run(run())
    if args.json:
        print(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(figures.format("en"))
    if args.community is None and known:
        print("communities: " + ", ".join(f"{c.id} {c.platform}:{c.platform_id} {c.title!r}" for c in known))
    return 0
