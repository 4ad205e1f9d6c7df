"""`dozor report`: the owner's report of one community, with the trend against the period before."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the owner's report: figures, trend against the period before, a chart")
    p.add_argument(
        "--community", required=True, help="the community: its title, chat or group id, or Dozor's number"
    )
    p.add_argument("--days", type=int, default=7, help="the period, in days (default 7)")
    p.add_argument("--format", choices=("md", "html", "json"), default="md", help="md, html or json")
    p.add_argument("--out", type=Path, help="write to this file instead of standard output")
    p.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    p.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    from bot.cli._community import resolve
    from config import load_settings
    from handlers import report_format
    from handlers.owner_report import Report, build
    from models.db import Database
    from moderation.errors import ConfigError

    if not 0 < args.days <= 366:
        raise ConfigError("--days takes 1 to 366")
    url = args.url or load_settings().database.url

    async def run() -> Report:
        db = Database(url)
        try:
            await db.require_existing()
            community = await resolve(db, args.community)
            return await build(db, community.id, args.days, datetime.now(UTC))
        finally:
            await db.dispose()

    report = asyncio.run(run())
    render = {"md": report_format.markdown, "html": report_format.html, "json": report_format.as_json}
    text = render[args.format](report)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
