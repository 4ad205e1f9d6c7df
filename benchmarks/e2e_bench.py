"""The real service end to end: webhook in, moderation, deleteMessage out — throughput, latency, memory.

Run: ``python benchmarks/e2e_bench.py [--messages 2000] [--backends sqlite,postgres] [--modes max,rate]
[--rate 200] [--history 0] [--processes 1]``

Each scenario gets a fresh database (SQLite file, or a database on a throwaway PostgreSQL from
``tests/postgres.py``) with 4 test groups, optionally ``--history N`` decided cases spread over
them, a fake Bot API in its own process (``benchmarks/e2e/fake_api.py``) and ``python -m bot.cli run``
in webhook mode (``--processes 2``: two of them on one PostgreSQL, the load split between them like
a load balancer would). Updates from 5,000 users, a quarter spam, are POSTed with the secret
header by 32 concurrent connections, either as fast as the service takes them (``max``) or at a
fixed ``--rate``; 429/503 are retried after their ``Retry-After``. Printed per scenario:

* accepted/s — updates answered 200 per second of loading;
* moderated/s — inbox rows processed per second, from the first POST until every accepted update
  was processed (and while loading); then how long after loading the last delete/mute/ban was done;
* post→delete p50/p99 — from the accepted POST of each spam message to its ``deleteMessage`` at
  the fake;
* RSS of the service at start (webhook up) and after all messages were processed; the service's
  CPU time per message from the first POST until everything settled;
* actions performed twice, by kind (see ``benchmarks/e2e/report.py``); SIGTERM stop time.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.e2e import report, store, traffic  # noqa: E402
from benchmarks.e2e.backends import Backends  # noqa: E402
from benchmarks.e2e.procs import FakeApi, Service  # noqa: E402


@dataclass
class Result:
    """The figures of one scenario."""

    name: str
    messages: int = 0
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    accepted_per_s: float = 0.0
    moderated_per_s: float = 0.0
    moderated_while_loading_per_s: float = 0.0
    p50: float = float("nan")
    p99: float = float("nan")
    spam: int = 0
    spam_not_deleted: int = 0
    unprocessed: int = 0
    rss_start: float = 0.0
    rss_end: float = 0.0
    cpu_ms_per_message: float = 0.0
    max_backlog: int = 0
    actions_done_after: float = 0.0
    doubled: dict[str, int] = field(default_factory=dict)
    performed: dict[str, int] = field(default_factory=dict)
    outbox: dict[str, int] = field(default_factory=dict)
    stop_seconds: list[float | None] = field(default_factory=list)

    def lines(self) -> list[str]:
        refused = ", ".join(f"{k}: {v}" for k, v in sorted(self.refused.items())) or "none"
        return [
            f"[{self.name}] {self.messages} messages, {self.accepted} accepted (refused/retried: {refused})",
            f"  accepted/s {self.accepted_per_s:.0f}   moderated/s {self.moderated_per_s:.0f} "
            f"(while loading {self.moderated_while_loading_per_s:.0f})   max backlog {self.max_backlog}"
            f"   unprocessed at the end {self.unprocessed}"
            f"   enforcement done {self.actions_done_after:.0f} s after loading",
            f"  post->deleteMessage p50 {self.p50 * 1000:.0f} ms  p99 {self.p99 * 1000:.0f} ms "
            f"({self.spam} spam accepted, {self.spam_not_deleted} not deleted)",
            f"  RSS at start {self.rss_start:.0f} MB, after {self.accepted} messages {self.rss_end:.0f} MB"
            f"   service CPU {self.cpu_ms_per_message:.2f} ms per message",
            f"  performed {self.performed}  doubled {self.doubled}",
            f"  outbox {self.outbox}   SIGTERM -> exit: "
            + ", ".join("killed after 15 s" if s is None else f"{s:.1f} s" for s in self.stop_seconds),
        ]


async def scenario(
    backends: Backends,
    workdir: Path,
    *,
    backend: str,
    mode: str,
    messages: int,
    rate: float,
    history: int,
    processes: int,
    budget: float,
) -> Result:
    """One fresh database, fake and service(s); load, drain, measure, stop."""
    name = f"{backend} {mode if mode == 'max' else f'{rate:.0f}/s'}"
    name += f" history={history}" if history else ""
    name += f" processes={processes}" if processes > 1 else ""
    result = Result(name, messages=messages)
    url = await backends.url(backend)
    ids = await store.prepare(url, traffic.GROUPS)
    if history:
        began = time.monotonic()
        for group, community in ids.items():
            await store.add_history(url, community, group, history // len(ids))
        print(f"  ({name}: {history} cases inserted in {time.monotonic() - began:.1f} s)", flush=True)
    api = FakeApi(workdir)
    services = [Service(url, api, workdir, name=f"dozor-{backend}-{mode}-{n}") for n in range(processes)]
    observer = store.Observer(url)
    try:
        for service in services:
            service.start()
        for service in services:
            await service.wait_webhook(within=120)
        await asyncio.sleep(1.0)
        result.rss_start = max(s.rss_mb() for s in services)
        cpu_start = sum(s.cpu_seconds() for s in services)
        posts = traffic.make_posts(messages)
        loader = traffic.Loader([s.hook_url for s in services], rate=None if mode == "max" else rate)
        deadline = time.monotonic() + budget
        monitor = asyncio.ensure_future(_monitor(observer, result))
        delivery = await loader.run(posts, deadline=deadline)
        loaded = await observer.inbox()
        result.accepted, result.refused = delivery.accepted, dict(delivery.statuses)
        result.accepted_per_s = delivery.rate()
        load_seconds = delivery.finished - delivery.started
        result.moderated_while_loading_per_s = loaded.processed / max(1e-9, load_seconds)
        await store.poll_until(observer.inbox_done, deadline, every=0.05)
        state = await observer.inbox()
        result.moderated_per_s = state.processed / max(1e-9, time.monotonic() - delivery.started)
        await store.poll_until(observer.settled, deadline)
        result.actions_done_after = time.monotonic() - delivery.finished
        cpu = sum(s.cpu_seconds() for s in services) - cpu_start
        result.cpu_ms_per_message = cpu * 1000 / max(1, delivery.accepted)
        monitor.cancel()
        result.unprocessed = state.pending + state.failed
        result.rss_end = max(s.rss_mb() for s in services)
        await asyncio.sleep(1.0)  # calls in flight reach the fake
        calls = await api.calls()
        latencies, result.spam_not_deleted = traffic.delete_latencies(posts, delivery, calls)
        result.spam = len(latencies) + result.spam_not_deleted
        result.p50, result.p99 = traffic.percentile(latencies, 50), traffic.percentile(latencies, 99)
        summary = await observer.outbox_summary()
        result.outbox = {f"{k}:{s}": n for (k, s), n in sorted(summary.items())}
        done_rows = {k: n for (k, s), n in summary.items() if s == "done"}
        result.performed = report.performed_by_kind(calls)
        result.doubled = report.doubled_by_kind(calls, done_rows)
    finally:
        for service in services:
            result.stop_seconds.append(service.terminate())
        await observer.close()
        api.close()
    return result


async def _monitor(observer: store.Observer, result: Result) -> None:
    while True:
        state = await observer.inbox()
        result.max_backlog = max(result.max_backlog, state.pending)
        await asyncio.sleep(1.0)


async def run(args: argparse.Namespace) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="dozor-bench-") as tmp:
        workdir = Path(tmp)
        backends = Backends(workdir)
        try:
            for backend in args.backends.split(","):
                for mode in args.modes.split(","):
                    result = await scenario(
                        backends, workdir, backend=backend, mode=mode, messages=args.messages,
                        rate=args.rate, history=args.history, processes=args.processes, budget=args.timeout,
                    )  # fmt: skip
                    print("\n".join(result.lines()), flush=True)
                    results.append(result)
        finally:
            backends.close()
            if args.keep_logs:
                keep_logs(workdir, Path(args.keep_logs))
    return results


def keep_logs(workdir: Path, into: Path) -> None:
    """Move the service and fake logs (and profiles, call logs) out of the temporary folder."""
    for log in [*workdir.glob("*.log"), *workdir.glob("*.prof"), *workdir.glob("*.json")]:
        log.rename(into / log.name)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="updates per scenario (full run: 100000)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--modes", default="max,rate", help="max and/or rate")
    parser.add_argument("--rate", type=float, default=200.0, help="updates/s offered in the rate mode")
    parser.add_argument("--history", type=int, default=0, help="cases in history before the run (1000000)")
    parser.add_argument("--processes", type=int, default=1, help="dozor run processes on one database")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a scenario may load and drain")
    parser.add_argument("--keep-logs", default="", help="a folder to keep the service and fake logs in")
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    print(f"e2e_bench: {' '.join(sys.argv[1:]) or '(defaults)'}", flush=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
