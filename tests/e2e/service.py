"""Running the real Dozor service (``bot.runner.Runner``) against the fake Bot API server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from bot.runner import Runner
from bot.telegram.ratelimit import NoLimit
from config.settings import load_settings
from models import communities, rules
from models.base import utcnow
from models.db import Database
from models.tables import Case, InboxItem, OutboxItem
from moderation.engine import Engine
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.tg_samples import GROUP, MODCHAT

SECRET = "s3cret-token-for-tests_0123456789"
RULES = {
    "casino": "name: casino\nbody: [casino]\naction: warn\nreason: casino spam\n",
    "complaint": "name: complaint\nbody: [refund]\naction: escalate\n",
}
LADDER = [{"warnings": 2, "action": "mute", "duration": "1h"}, {"warnings": 3, "action": "ban"}]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_runner(
    db_url: str, server: FakeTelegram, *, webhook: bool = False, engine: Engine | None = None
) -> Runner:
    port = free_port()
    telegram: dict[str, Any] = {
        "token": TOKEN,
        "api_server": server.base_url,
    }
    if webhook:
        url = f"http://127.0.0.1:{port}/tg/hook"
        telegram |= {"mode": "webhook", "webhook_url": url, "webhook_secret": SECRET}
    settings = load_settings(
        database={"url": db_url},
        http={"host": "127.0.0.1", "port": port},
        telegram=telegram,
        moderation={"language": "en"},
    )
    return Runner(settings, engine=engine or Engine(None), limiter=NoLimit(), poll_timeout=1)


async def setup_community(
    db: Database, *, modchat: bool = True, language: str = "en", title: str = "Test group"
) -> int:
    """The group ``GROUP`` with the test rules, a short warn ladder and its moderators' chat."""
    async with db.transaction() as s:
        c = await communities.ensure(s, "telegram", str(GROUP), title=title, language=language)
        await communities.update_fields(
            s, c.id, modchat_id=str(MODCHAT) if modchat else None, settings={"policy": {"ladder": LADDER}}
        )
        for name, source in RULES.items():
            await rules.put(s, c.id, name, source)
        return c.id


async def wait_until(predicate: Callable[[], Any], within: float = 20.0, *, what: str = "") -> None:
    """Wait until ``predicate`` (sync or async) holds; ``what`` names it in the failure."""
    deadline = asyncio.get_running_loop().time() + within
    while not await _value(predicate()):
        late = asyncio.get_running_loop().time() >= deadline
        assert not late, f"not reached in {within:g} s: {what or 'condition'}"
        await asyncio.sleep(0.02)


async def _value(result: Any) -> Any:
    return await result if asyncio.iscoroutine(result) else result


async def settled(db: Database, runner: Runner) -> bool:
    """Nothing pending in the inbox, no outbox row due now, and no action in flight.

    A row being performed is leased (its next attempt pushed into the future), so the row alone
    would look settled while the platform call is under way; the executor knows better.
    """
    if runner.executor is not None and runner.executor.in_flight:
        return False
    async with db.transaction() as s:
        inbox_pending = await s.scalar(select(func.count()).where(InboxItem.status == "pending"))
        due = await s.scalar(
            select(func.count()).where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= utcnow())
        )
    return inbox_pending == 0 and due == 0


async def all_cases(db: Database) -> list[Case]:
    async with db.transaction() as s:
        return list((await s.scalars(select(Case).order_by(Case.id))).all())
