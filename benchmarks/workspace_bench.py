# ruff: noqa: E501  (SQL that fills the tables reads best one clause per line)
"""How fast the workspace's queue and history search answer with a long history.

Fills a fresh database with ``--cases`` cases (default 1,000,000) over ten communities — half of
them in the biggest, spread over a year, by 50,000 members each, 2,000 open items and 50,000
decided ones — then serves
the real workspace (``bot.web``) on a local port and times whole pages over HTTP, signed in as a
moderator of four of the communities: the queue, and history searches by text (a rare word, a
common one), author, action, status, rule and period, and the CSV export of one search. Prints
p50 / p95 / max in milliseconds per page, per backend.

    python benchmarks/workspace_bench.py                      # both backends, 1,000,000 cases
    python benchmarks/workspace_bench.py --backends sqlite --cases 20000 --repeat 3   # a smoke run

PostgreSQL is started here (``tests/postgres.py``); its server binaries must be installed.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.e2e.backends import Backends
from bot.simulated import SimulatedActions
from bot.web import mount
from bot.web.security import SESSION_COOKIE
from bot.web.site import Site
from config.settings import ModerationSettings, WebSettings
from handlers.context import Context
from handlers.links import Links
from models import communities, moderators
from models import web as web_store
from models.db import Database
from models.web import Person
from moderation.engine import Engine
from moderation.ports import ChatRole

COMMUNITIES = 10
MINE = 4  # communities the signed-in moderator sees
OPEN, DECIDED = 2_000, 50_000
AUTHORS = 50_000  # members of each community, the authors of its cases (fewer in a small run)
WORDS = ["refund", "delivery", "casino", "hello", "thanks", "size", "price", "order", "broken", "late"]
RARE = "zebraquartz"  # in one case of ten thousand


def _fill_sql(dialect: str, n: int) -> list[str]:
    """Statements that give the database ``n`` cases, the escalations over them and the members."""
    authors = max(100, min(AUTHORS, n // 20))
    if dialect == "postgresql":
        series, g = f"generate_series(1, {n}) AS s(g)", "g"
        word = f"(ARRAY{WORDS!r})[1 + (g / 2) % {len(WORDS)}]".replace('"', "'")
        rare = f"CASE WHEN g % 10000 = 8 THEN ' {RARE}' ELSE '' END"
        text_sql = f"'message ' || g || ' about ' || {word} || ' ' || md5(g::text) || {rare}"
        when = "now() - (g % 365) * interval '1 day' - (g % 1440) * interval '1 minute'"
        cases = f"""INSERT INTO cases (community_id, platform, kind, event_key, chat_id, message_id, edited,
              author_id, author_name, text, scores, reasons, shadow, action, actor, actor_name, reason,
              source, status, dry_run, created_at)
            SELECT 1 + (CASE WHEN g % 2 = 0 THEN 0 ELSE g % {COMMUNITIES} END), 'telegram', 'telegram_message',
              'e' || g, '-100', 'm' || g, false, 'u' || (g % {authors}), 'User ' || (g % {authors}), {text_sql},
              '{{"spam": 0.1}}',
              (CASE WHEN g % 50 = 0 THEN '[{{"kind": "rule", "name": "casino", "detail": "casino"}}]' ELSE '[]' END)::json,
              '[]', (ARRAY['allow','allow','allow','allow','allow','allow','delete','warn','ban','escalate'])[1 + g % 10],
              'dozor', 'Dozor', '', 'auto', CASE WHEN g % 97 = 0 THEN 'overturned' ELSE 'executed' END, false, {when}
            FROM {series}"""
        escalations = f"""INSERT INTO escalations (case_id, community_id, kind, modchat_id, status, created_at)
            SELECT id, community_id, 'auto', '-200', CASE WHEN rn <= {OPEN} THEN 'open' ELSE 'resolved' END, created_at
            FROM (SELECT id, community_id, created_at, row_number() OVER (ORDER BY id) AS rn
                  FROM cases WHERE action = 'escalate' ORDER BY id LIMIT {OPEN + DECIDED}) AS picked"""
        members = f"""INSERT INTO members (community_id, user_id, name, first_seen, last_seen, message_count,
              trusted, is_admin, banned, is_bot)
            SELECT c, 'u' || k, 'User ' || k, now(), now(), 1, false, false, false, false
            FROM generate_series(1, {COMMUNITIES}) AS c, generate_series(0, {authors - 1}) AS k"""
        return [cases, escalations, members, "ANALYZE"]
    g = "x"
    word = (
        f"CASE (x / 2) % {len(WORDS)} "
        + " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(WORDS))
        + " END"
    )
    rare = f"CASE WHEN x % 10000 = 8 THEN ' {RARE}' ELSE '' END"
    text_sql = f"'message ' || x || ' about ' || {word} || ' ' || lower(hex(randomblob(8))) || {rare}"
    when = (
        "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (x % 365) || ' days', '-' || (x % 1440) || ' minutes')"
    )
    action = "CASE x % 10 WHEN 6 THEN 'delete' WHEN 7 THEN 'warn' WHEN 8 THEN 'ban' WHEN 9 THEN 'escalate' ELSE 'allow' END"
    cases = f"""WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt LIMIT {n})
        INSERT INTO cases (community_id, platform, kind, event_key, chat_id, message_id, edited,
          author_id, author_name, text, scores, reasons, shadow, action, actor, actor_name, reason,
          source, status, dry_run, created_at)
        SELECT 1 + (CASE WHEN x % 2 = 0 THEN 0 ELSE x % {COMMUNITIES} END), 'telegram', 'telegram_message',
          'e' || x, '-100', 'm' || x, 0, 'u' || (x % {authors}), 'User ' || (x % {authors}), {text_sql},
          '{{"spam": 0.1}}',
          CASE WHEN x % 50 = 0 THEN '[{{"kind": "rule", "name": "casino", "detail": "casino"}}]' ELSE '[]' END,
          '[]', {action}, 'dozor', 'Dozor', '', 'auto',
          CASE WHEN x % 97 = 0 THEN 'overturned' ELSE 'executed' END, 0, {when}
        FROM cnt"""
    escalations = f"""INSERT INTO escalations (case_id, community_id, kind, modchat_id, status, created_at)
        SELECT id, community_id, 'auto', '-200', CASE WHEN rn <= {OPEN} THEN 'open' ELSE 'resolved' END, created_at
        FROM (SELECT id, community_id, created_at, row_number() OVER (ORDER BY id) AS rn
              FROM cases WHERE action = 'escalate' ORDER BY id LIMIT {OPEN + DECIDED})"""
    members = f"""WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k LIMIT {authors}),
          c(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM c LIMIT {COMMUNITIES})
        INSERT INTO members (community_id, user_id, name, first_seen, last_seen, message_count, trusted,
          is_admin, banned, is_bot)
        SELECT m, 'u' || n, 'User ' || n, datetime('now'), datetime('now'), 1, 0, 0, 0, 0 FROM c, k"""
    del g
    return [cases, escalations, members, "ANALYZE"]


PAGES = {
    "queue (4 communities)": "/",
    "history, newest 50": "/c/1/history",
    f"history, text '{RARE}' (rare)": f"/c/1/history?q={RARE}",
    "history, text 'refund' (common)": "/c/1/history?q=refund",
    "history, author by id": "/c/1/history?author=u4242",
    "history, author by name": "/c/1/history?author=User+4242",
    "history, action ban": "/c/1/history?action=ban",
    "history, status overturned": "/c/1/history?status=overturned",
    "history, rule casino": "/c/1/history?rule=casino",
    "history, last 7 days + text": "/c/1/history?q=delivery&since={since}",
    "CSV export, one author": "/c/1/history.csv?author=u4242",
}


async def _prepare(url: str, n: int) -> tuple[Database, float]:
    db = Database(url)
    await db.upgrade()
    async with db.transaction() as session:
        for i in range(COMMUNITIES):
            c = await communities.ensure(
                session, "telegram", str(-1000 - i), title=f"Shop {i}", language="en"
            )
            if i < MINE:
                await moderators.add(session, c.id, "777", name="Bench")
    started = time.perf_counter()
    async with db.engine.begin() as conn:
        for statement in _fill_sql(db.dialect, n):
            await conn.execute(text(statement))
    return db, time.perf_counter() - started


async def _serve(db: Database) -> tuple[web.AppRunner, str, str]:
    # the platform is never asked for anything but a role here; the simulated one answers that
    platform = SimulatedActions()
    for i in range(MINE):  # an admin of their four communities: the CSV export is for admins
        platform.set_role(str(-1000 - i), "777", ChatRole(is_admin=True, can_delete=True, can_restrict=True))
    ctx = Context(db=db, actions={"telegram": platform}, engine=Engine(None), settings=ModerationSettings())
    runner_port = 0
    app = web.Application()
    settings = WebSettings(url="http://127.0.0.1:1/web")
    site = Site(ctx, settings, Links(base_url=settings.url, secret="bench" * 8))
    mount(app, site)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", runner_port)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    now = datetime.now(UTC)
    async with db.transaction() as session:
        token, _ = await web_store.open_session(
            session, Person("telegram", "777", "Bench"), now=now, expires_at=now + timedelta(hours=1)
        )
    return runner, f"http://127.0.0.1:{port}/web", token


async def _measure(base: str, token: str, repeat: int) -> dict[str, list[float]]:
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    async with aiohttp.ClientSession(cookies={SESSION_COOKIE: token}) as client:
        for name, path in PAGES.items():
            url = base + path.format(since=since)
            for attempt in range(repeat + 1):
                started = time.perf_counter()
                async with client.get(url) as response:
                    body = await response.read()
                    assert response.status == 200, (name, response.status, body[:300])
                if attempt:  # the first request warms caches and the model of the places
                    times[name].append((time.perf_counter() - started) * 1000)
    return times


async def run(backends: list[str], n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pool = Backends(Path(tmp))
        try:
            for kind in backends:
                db, fill = await _prepare(await pool.url(kind), n)
                runner, base, token = await _serve(db)
                try:
                    times = await _measure(base, token, repeat)
                finally:
                    await runner.cleanup()
                    await db.dispose()
                print(f"\n{kind}: {n:,} cases, {OPEN:,} open items (filled in {fill:.0f} s); ms per page")
                print(f"  {'page':44} {'p50':>7} {'p95':>7} {'max':>7}")
                for name, values in times.items():
                    values.sort()
                    p95 = values[max(0, math.ceil(len(values) * 0.95) - 1)]  # nearest rank
                    print(f"  {name:44} {statistics.median(values):7.1f} {p95:7.1f} {values[-1]:7.1f}")
        finally:
            pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(args.backends.split(","), args.cases, args.repeat))


if __name__ == "__main__":
    main()
