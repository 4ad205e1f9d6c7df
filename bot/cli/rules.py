"""``dozor rules …``: work with rule files (``validate`` checks one without touching anything)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from moderation.errors import ConfigError, RuleError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rules",
        help="validate rule files and backtest them on history",
        description="Work with YAML rule files.",
    )
    sub = p.add_subparsers(title="rules commands", metavar="SUBCOMMAND")
    v = sub.add_parser(
        "validate",
        help="check a rule file and summarise it",
        description="Parse a YAML rule file; exit 0 with a summary, or 1 with the first error.",
    )
    v.add_argument("file", type=Path, help="the YAML rule file")
    v.set_defaults(func=validate)
    b = sub.add_parser(
        "backtest",
        help="replay a community's history through a candidate rule file",
        description="Decide the stored messages of the last N days again with the candidate rules and "
        "report what would change, and where the candidate disagrees with past moderator decisions.",
    )
    b.add_argument("file", type=Path, help="the candidate YAML rule file")
    b.add_argument(
        "--community", required=True, help="the community: its title, chat or group id, or Dozor's number"
    )
    b.add_argument("--days", type=int, default=30, help="how far back to replay (default 30)")
    b.add_argument("--json", action="store_true", help="print JSON instead of text")
    b.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    b.set_defaults(func=backtest)
    p.set_defaults(func=lambda _args: (p.print_help(), 2)[1])


def backtest(args: argparse.Namespace) -> int:
    from bot.cli._community import resolve
    from bot.scoring import load_scorer
    from config import load_settings
    from handlers.backtest import backtest as replay
    from models.db import Database
    from moderation.engine import Engine

    if not 0 < args.days <= 3650:
        raise ConfigError("--days takes 1 to 3650")
    text = read_rule_file(args.file)
    if text is None:
        return 1
    settings = load_settings()
    scorer, _about = load_scorer(settings.moderation.model_dir)

    async def run() -> dict:
        db = Database(args.url or settings.database.url)
        try:
            await db.require_existing()
            community = await resolve(db, args.community)
            report = await replay(
                db, Engine(scorer), community.id, text, args.days, settings=settings.moderation
            )
        finally:
            await db.dispose()
        return {"text": report.format(), "data": report.to_dict()}

    try:
        result = asyncio.run(run())
    except RuleError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result["data"], ensure_ascii=False, indent=2) if args.json else result["text"])
    return 0


def read_rule_file(path: Path) -> str | None:
    """A rule file's text; None (the reason printed) when unreadable, over 1 MB or not UTF-8."""
    from moderation.rules import MAX_FILE_BYTES

    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # never more: parse_rules refuses larger text anyway
    except OSError as exc:
        print(f"dozor: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024
        print(f"{path}: larger than {limit} KB, the limit for a rule file; split it", file=sys.stderr)
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8", file=sys.stderr)
        return None


def validate(args: argparse.Namespace) -> int:
    from moderation.rules import format_duration, parse_rules

    text = read_rule_file(args.file)
    if text is None:
        return 1
    try:
        rules = parse_rules(text)
    except RuleError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    shadow = sum(1 for r in rules.rules if r.shadow)
    print(f"{args.file}: {len(rules)} rules OK ({shadow} in shadow mode)")
    for r in rules.rules:
        extra = f" {format_duration(r.duration)}" if r.duration else ""
        mode = " [shadow]" if r.shadow else ""
        print(f"  {r.priority:>4}  {r.name}: {r.action.value}{extra}{mode}")
    return 0
