"""CPU per decision of a checkout's engine, best of three passes: to compare two commits back to back.

The engine benchmark's figures move with the machine's load; two checkouts measured one after the
other by this script, on the same 8,000 messages of the shared sets (steady state: each pass after
a first one that warms the caches), compare fairly::

    git archive f315d9b | tar -x -C /tmp/old
    python benchmarks/engine_cpu.py /tmp/old && python benchmarks/engine_cpu.py .
"""

from __future__ import annotations

import csv
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    sys.path.insert(0, str(root))
    from moderation.classifier import load_default
    from moderation.engine import Engine
    from moderation.events import Author, Event, EventKind, MessageRef, Platform
    from moderation.policy import Policy

    # the other checkout may predate moderation.classifier.sources.datasets_folder: the same rule here
    folder = Path(
        os.environ.get("DOZOR_DATASETS") or Path(__file__).resolve().parents[2] / "shared" / "datasets"
    )
    texts: list[str] = []
    for stem in ("tg_chat_ru_monalenka", "tg_spam_umputun", "ru_toxic_2ch_pikabu", "sms_spam_uci",
                 "en_offensive_davidson", "en_convabuse_toxicity"):  # fmt: skip
        path = folder / f"{stem}.csv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                texts += [r["text"] for r in csv.DictReader(fh)]
    if not texts:
        print(f"no data sets at {folder} (set DOZOR_DATASETS)", file=sys.stderr)
        return 1
    random.Random(1).shuffle(texts)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    author = Author("u", message_count=200, first_seen=datetime(2025, 1, 1, tzinfo=UTC))
    kind = EventKind.TELEGRAM_MESSAGE
    events = [Event(Platform.TELEGRAM, kind, "c", MessageRef("c", str(i)), author, t, now)
              for i, t in enumerate(texts[:8000])]  # fmt: skip
    engine, policy = Engine(load_default()), Policy()
    for event in events:  # warm the caches: steady state
        engine.decide(event, rules=None, policy=policy, now=now)
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for event in events:
            engine.decide(event, rules=None, policy=policy, now=now)
        best = min(best, (time.process_time() - started) / len(events))
    print(f"{root}: {best * 1e6:.0f} µs CPU per decision, {1 / best:,.0f} a second on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
