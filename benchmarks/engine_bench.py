"""Throughput and latency of the whole engine on a realistic mixed corpus.

Run: ``python benchmarks/engine_bench.py [--n 20000] [--no-classifier]``

Texts come from ``../shared/datasets/*.csv`` (header ``text,label``) when that folder exists,
otherwise from a synthetic mix of ordinary chat, spam with evasion tricks, and complaints. Every
message goes through normalise → features (with a repetition window) → classifier (the shipped
default when it loads) → the example rule file → policy.

The same ``--n`` messages are measured twice, each time with a freshly loaded model:

* **just started**: the first messages a new process sees;
* **steady state**: after ``--n`` *other* messages of the corpus went through first, as in a
  service that has been running for a while (the repetition window is full; the measured texts
  themselves are still unseen).
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.classifier.sources import datasets_folder  # noqa: E402
from moderation.engine import Engine  # noqa: E402
from moderation.events import Author, Event, EventKind, MessageRef, Platform  # noqa: E402
from moderation.features import RecentTexts  # noqa: E402
from moderation.policy import Policy  # noqa: E402
from moderation.rules import RuleSet, parse_rules  # noqa: E402

DATASETS = datasets_folder()

_ORDINARY = [
    "Привет всем! Подскажите, где купить хороший велосипед для ребёнка 7 лет? Бюджет около 15 тысяч.",
    "Спасибо за пост, очень полезно. А будет продолжение про настройку роутера?",
    "Hello everyone, does anybody know a good bike shop near the city centre?",
    "Когда следующая встреча клуба? В субботу смогу прийти после 14:00.",
    "Thanks for the update, the new release works great on my laptop.",
]
_SPAM = [
    "Зapaбoтoк oт 5000р в дeнь! Пиши в лс @rich_boss 🔥🔥🔥 t.me/joinchat/abc",
    "к у п и т е курс по трейдингу, доход без вложений!!! bit.ly/xyz",
    "FR33 M0NEY!!! Click https://clck.ru/abc and earn $$$ from home",
    "Казино Вулкан — бонус 100% на первый депозит, звони +7 (900) 123-45-67",
]
_COMPLAINTS = [
    "Заказ не пришёл уже третью неделю, поддержка молчит. Верните деньги!",
    "Your service is awful, I've been waiting for a refund for a month.",
]


def corpus(n: int, rng: random.Random) -> list[str]:
    texts: list[str] = []
    if DATASETS.is_dir():
        for path in sorted(DATASETS.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get("text"):
                        texts.append(row["text"])
    source = "datasets" if texts else "synthetic"
    if not texts:
        texts = _ORDINARY * 6 + _SPAM * 3 + _COMPLAINTS * 2
    rng.shuffle(texts)
    out = [texts[i % len(texts)] for i in range(n)]
    print(f"corpus: {n} messages from {source} ({len(texts)} distinct texts)")
    return out


def load_scorer(disabled: bool) -> tuple[object | None, str]:
    if disabled:
        return None, "disabled"
    try:
        from moderation.classifier import load_default

        return load_default(), "default classifier"
    except Exception as exc:  # the benchmark still measures the rest of the engine
        return None, f"none ({type(exc).__name__}: {exc})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--no-classifier", action="store_true")
    args = parser.parse_args()
    rng = random.Random(42)
    texts = corpus(2 * args.n, rng)
    measured, earlier = texts[: args.n], texts[args.n :]
    rules = parse_rules((ROOT / "config" / "rules.example.yaml").read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    authors = [
        Author(f"u{i}", message_count=rng.choice([0, 2, 50, 500]), first_seen=now - timedelta(days=i % 60))
        for i in range(500)
    ]

    def events(batch: list[str]) -> list[Event]:
        return [
            Event(Platform.TELEGRAM, EventKind.TELEGRAM_MESSAGE, "c", MessageRef("c", str(i)),
                  authors[i % 500], t, now)
            for i, t in enumerate(batch)
        ]  # fmt: skip

    for phase, before in (("just started", []), ("steady state", earlier)):
        scorer, note = load_scorer(args.no_classifier)
        print(f"\n## {phase} (classifier: {note}; {len(before)} earlier messages first)")
        gc.collect()
        gc.freeze()  # as `dozor run` does once the model is loaded
        engine, policy, recent = Engine(scorer), Policy(), RecentTexts()
        for e in events(before):
            engine.decide(e, rules=rules, policy=policy, recent=recent, now=now)
        measure(engine, events(measured), rules, policy, recent, now)
    print(f"\npeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    return 0


def measure(
    engine: Engine, events: list[Event], rules: RuleSet, policy: Policy, recent: RecentTexts, now: datetime
) -> None:
    latencies = []
    actions: dict[str, int] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    for e in events:
        t0 = time.perf_counter()
        v = engine.decide(e, rules=rules, policy=policy, recent=recent, now=now)
        latencies.append(time.perf_counter() - t0)
        actions[v.action.value] = actions.get(v.action.value, 0) + 1
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1e3
    p99 = latencies[int(len(latencies) * 0.99)] * 1e3
    print(f"verdicts/s: {len(events) / total:,.0f}")
    print(f"latency per message: p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {latencies[-1] * 1e3:.3f} ms")
    # Wall time above includes time the OS gave to other jobs; CPU time does not. A ratio well
    # above 1 means the core was shared and the wall-clock tail (p99, max) shows it.
    print(f"CPU per message: {cpu / len(events) * 1e6:.0f} µs (wall/CPU {total / cpu:.2f})")
    print("actions: " + ", ".join(f"{k} {v}" for k, v in sorted(actions.items())))


if __name__ == "__main__":
    sys.exit(main())
