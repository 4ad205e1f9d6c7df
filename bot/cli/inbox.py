"""`dozor inbox …`: the events that failed, why, and putting them back in the queue."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from models.inbox import InboxRecord

T = TypeVar("T")


def _inbox_id(text: str) -> int:
    from handlers.bounds import row_id

    value = row_id(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an inbox event number (see `dozor inbox failed`)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="events that failed and why; put them back in the queue")
    actions = p.add_subparsers(title="inbox commands", metavar="ACTION", required=True)

    failed = actions.add_parser("failed", help="the events that failed, newest first, with the reason")
    failed.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    failed.add_argument("--json", action="store_true", help="print JSON instead of text")
    failed.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    failed.set_defaults(func=_failed)

    retry = actions.add_parser("retry", help="process events that failed for good once more (after a fix)")
    retry.add_argument(
        "ids", nargs="+", type=_inbox_id, metavar="ID", help="event numbers from `dozor inbox failed`"
    )
    retry.add_argument("--url", help="database URL (default: DOZOR_DB_URL)")
    retry.set_defaults(func=_retry)


def _in_transaction(args: argparse.Namespace, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """``work`` in one transaction on the database of ``--url`` or ``DOZOR_DB_URL``, which must
    already be Dozor's (nothing is created)."""
    from config import load_settings
    from models.db import Database

    async def run() -> T:
        db = Database(args.url or load_settings().database.url)
        try:
            await db.require_existing()
            async with db.transaction() as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _failed(args: argparse.Namespace) -> int:
    from models import inbox
    from moderation.errors import ConfigError

    if not 0 < args.limit <= 10_000:
        raise ConfigError("--limit takes 1 to 10000")
    rows = _in_transaction(args, lambda session: inbox.failures(session, args.limit))
    if args.json:
        print(json.dumps([_as_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no failed events")
        return 0
    for r in rows:
        state = "failed" if r.status == "failed" else f"retrying (attempt {r.attempts})"
        reason = next(iter((r.error or "").splitlines()), "")[:300]
        print(f"{r.id:>8}  {r.platform}:{r.event_key}  {r.received_at:%Y-%m-%d %H:%M} UTC  {state}")
        print(f"          {reason}")
    return 0


def _as_dict(r: InboxRecord) -> dict[str, object]:
    return {
        "id": r.id,
        "platform": r.platform,
        "event_key": r.event_key,
        "status": r.status,
        "attempts": r.attempts,
        "received_at": r.received_at.isoformat(),
        "error": r.error,
    }


def _retry(args: argparse.Namespace) -> int:
    from models import inbox

    count = _in_transaction(args, lambda session: inbox.retry(session, args.ids))
    print(f"{count} event(s) back in the queue; a running `dozor run` processes them within seconds")
    return 0 if count == len(set(args.ids)) else 1
