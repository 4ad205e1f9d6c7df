"""The service's own work per message, in one process, stage by stage: store, claim and decide.

Run: ``python benchmarks/pipeline_bench.py [--messages 10000] [--backend postgres] [--profile]``

The same traffic as ``e2e_bench.py`` (5,000 users in 4 groups, a quarter spam) goes through the
real ``Pipeline`` and ``Dozor`` on a fresh database — stored in batches of 32 as concurrent
webhook requests would be, then leased and decided in batches of 200 — without HTTP and without
the executor, so the figures are the CPU the inbox and the decision cost. Printed: CPU ms per
message for each stage and the messages per second one core would sustain; with ``--profile``,
the functions that took the most time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import pstats
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from benchmarks.e2e import store, traffic  # noqa: E402
from benchmarks.e2e.backends import Backends  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.scoring import load_scorer  # noqa: E402
from bot.telegram.translate import translate  # noqa: E402
from config.settings import ModerationSettings  # noqa: E402
from handlers.service import Dozor  # noqa: E402
from models.db import Database  # noqa: E402
from moderation.engine import Engine  # noqa: E402


async def measure(url: str, messages: int, profile: cProfile.Profile | None) -> dict[str, float]:
    await store.prepare(url, traffic.GROUPS)
    settings = ModerationSettings()
    scorer, _ = load_scorer(settings.model_dir)
    db = Database(url)
    dozor = Dozor(db, {}, Engine(scorer), settings, bot_user_ids={"telegram": "1"})
    pipeline = Pipeline(db, dozor.handle, {"telegram": translate}, moderate=dozor.moderate)
    posts = traffic.make_posts(messages)
    events = [(f"tg:{p.update_id}", json.loads(p.body)) for p in posts]
    figures: dict[str, float] = {}
    statements: Counter[str] = Counter()

    @event.listens_for(db.engine.sync_engine, "before_cursor_execute")
    def count(conn, cursor, sql, params, context, executemany):  # type: ignore[no-untyped-def]
        words = sql.split()
        table = next((w for p, w in itertools.pairwise(words) if p in ("FROM", "INTO", "UPDATE")), "?")
        statements[f"{words[0]} {table}"] += 1

    try:
        if profile:
            profile.enable()
        began = time.process_time()
        for i in range(0, len(events), 32):
            await pipeline.store("telegram", events[i : i + 32])
        figures["store"] = time.process_time() - began
        claim = decide = 0.0
        while True:
            began = time.process_time()
            items = await pipeline.claim(200, timedelta(minutes=5))
            claim += time.process_time() - began
            if not items:
                break
            began = time.process_time()
            await pipeline.process(items)
            decide += time.process_time() - began
        figures["claim"], figures["decide"] = claim, decide
        if profile:
            profile.disable()
        async with db.transaction() as session:
            rows = await session.execute(text("SELECT action, count(*) FROM cases GROUP BY action"))
            figures["cases"] = dict(sorted(rows.all()))  # type: ignore[assignment]
            rows = await session.execute(text("SELECT kind, count(*) FROM outbox GROUP BY kind"))
            figures["outbox"] = dict(sorted(rows.all()))  # type: ignore[assignment]
        figures["statements"] = statements  # type: ignore[assignment]
    finally:
        await db.dispose()
    return figures


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="dozor-pipeline-") as tmp:
        backends = Backends(Path(tmp))
        try:
            url = await backends.url(args.backend)
            profile = cProfile.Profile() if args.profile else None
            figures = await measure(url, args.messages, profile)
        finally:
            backends.close()
    cases, outbox, statements = figures.pop("cases"), figures.pop("outbox"), figures.pop("statements")
    total = sum(figures.values())
    print(f"pipeline_bench: {args.messages} messages on {args.backend} (CPU of this process)")
    print(f"  cases by action {cases}; actions planned {outbox}")
    print(
        f"  statements per message {sum(statements.values()) / args.messages:.2f}:",
        ", ".join(f"{name} {n / args.messages:.2f}" for name, n in statements.most_common(12)),
    )
    for stage, seconds in figures.items():
        print(f"  {stage:7} {seconds * 1000 / args.messages:6.3f} ms/message")
    per_message = total * 1000 / args.messages
    print(f"  total   {per_message:6.3f} ms/message = {args.messages / total:.0f} messages/s on one core")
    if profile is not None:
        stats = pstats.Stats(profile)
        stats.sort_stats(args.sort).print_stats(args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--profile", action="store_true", help="print where the time went (cProfile)")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    parser.add_argument("--top", type=int, default=40)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
