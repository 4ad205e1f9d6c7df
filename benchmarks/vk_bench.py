"""The real service on VK end to end: a spam wave of wall comments, on VK's real request limits.

Run: ``python benchmarks/vk_bench.py [--comments 2000] [--backends sqlite,postgres]
[--modes callback,longpoll] [--rate 0] [--group-rps 20] [--user-rps 3]``

Each scenario gets a fresh database (SQLite file, or a database on a throwaway PostgreSQL from
``tests/postgres.py``) with one VK community (the test rules: ``casino`` warns, so the comment is
removed; the ladder mutes at the second warning and bans at the third), the fake VK API in its own
process (``benchmarks/e2e/fake_vk_api.py``: error 6 past ``--group-rps`` requests a second on the
community token or ``--user-rps`` on the moderator's user token) and ``python -m bot.cli run``
configured only by ``DOZOR_VK_*`` variables, with ``DOZOR_VK_API_URL`` pointing at the fake.
``--comments`` wall comments from 5,000 people, a quarter spam (half of it from repeat offenders),
arrive either through the Callback API (POSTed with the secret by ``--concurrency`` connections,
429/503 sent again after ``Retry-After``) or through Bots Long Poll (queued at the fake), as fast as
they are taken or at ``--rate`` a second. Printed per scenario:

* taken in/s (Callback) — events answered ``ok`` per second of sending;
* moderated/s — inbox rows processed per second, from the first event until all were processed
  (and, for Callback, while sending); then how long after the last event the last removal, mute
  or ban was done;
* post→delete p50/p99 — from the moment each spam comment was delivered (Callback: its POST
  answered ``ok``; Long Poll: the ``a_check`` that returned it) to the ``wall.deleteComment`` that
  removed it, inside an ``execute`` or not; spam not removed, comments removed twice;
* lost — delivered events without a processed inbox row;
* mutes and bans performed (and beyond one per outbox row done), requests per token by outcome
  (``refused`` is error 6) and the busiest second of each token, calls by method;
* the service's CPU time per event from the first event until everything settled (taking in,
  deciding, acting): what one core would sustain if the service had it to itself;
* RSS of the service at start and at the end; SIGTERM stop time; ERROR lines in its log;
* with ``--profile``: the service runs under cProfile, and the functions it spent most time in
  (their own time, and with what they called) are printed after each scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import pstats
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.e2e import store, vk_report, vk_traffic  # noqa: E402
from benchmarks.e2e.backends import Backends  # noqa: E402
from benchmarks.e2e.vk_procs import FakeVkApi, VkService  # noqa: E402
from benchmarks.e2e_bench import keep_logs  # noqa: E402
from bot.vk import event_key  # noqa: E402
from tests.e2e.fake_vk_methods import CHAT_PEER, GROUP_ID  # noqa: E402


@dataclass
class VkResult:
    """The figures of one scenario."""

    name: str
    comments: int = 0
    delivered: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    taken_in_per_s: float = 0.0
    moderated_per_s: float = 0.0
    moderated_while_loading_per_s: float = 0.0
    max_backlog: int = 0
    lost: dict[str, str] = field(default_factory=dict)
    enforcement_after: float = float("nan")
    settled: bool = False
    removals: vk_report.Removals = field(default_factory=vk_report.Removals)
    restrictions: dict[str, int] = field(default_factory=dict)
    restrictions_doubled: dict[str, int] = field(default_factory=dict)
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    busiest: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)
    executes: dict[str, str] = field(default_factory=dict)
    outbox: dict[str, int] = field(default_factory=dict)
    cpu_ms_per_event: float = 0.0
    rss_start: float = 0.0
    rss_end: float = 0.0
    stop_seconds: float | None = None
    problems: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        r = self.removals
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())) or "none"
        stop = "killed after 15 s" if self.stop_seconds is None else f"{self.stop_seconds:.1f} s"
        callback = self.name.endswith("callback")
        taken = f"taken in/s {self.taken_in_per_s:.0f}   " if callback else ""
        loading = f" (while loading {self.moderated_while_loading_per_s:.0f})" if callback else ""
        return [
            f"[{self.name}] {self.comments} comments, {self.delivered} delivered (other answers: {statuses})",
            f"  {taken}moderated/s {self.moderated_per_s:.0f}{loading}"
            f"   max backlog {self.max_backlog}   lost {len(self.lost)}"
            f"   enforcement done {self.enforcement_after:.1f} s after the last event"
            + ("" if self.settled else " (NOT settled within the time allowed)"),
            f"  post->wall.deleteComment p50 {r.p50 * 1000:.0f} ms  p99 {r.p99 * 1000:.0f} ms   "
            f"spam {r.spam}, not removed {r.not_removed}, removed twice {r.removed_twice}, "
            f"removed inside execute {r.batched}; ordinary comments removed {r.ham_removed}",
            f"  mutes/bans performed {self.restrictions}"
            f"  beyond one per done row {self.restrictions_doubled}",
            f"  requests per token {self.requests}   busiest second {self.busiest}",
            f"  calls {self.methods}",
            *(f"  {token} token: {fill}" for token, fill in self.executes.items()),
            f"  outbox {self.outbox}",
            f"  service CPU {self.cpu_ms_per_event:.2f} ms per event, taking in to settled"
            f" (= {1000 / max(self.cpu_ms_per_event, 1e-9):.0f} events/s on one free core)",
            f"  RSS at start {self.rss_start:.0f} MB, at the end {self.rss_end:.0f} MB"
            f"   SIGTERM -> exit: {stop}",
            *(f"  log: {p}" for p in self.problems),
            *(f"  profile: {p}" for p in self.profile),
        ]


async def scenario(
    backends: Backends,
    workdir: Path,
    *,
    backend: str,
    mode: str,
    comments: int,
    rate: float | None = None,
    budget: float = 600.0,
    group_rps: int = 20,
    user_rps: int = 3,
    concurrency: int = 32,
    profile: bool = False,
) -> VkResult:
    """One fresh database, fake VK and service; send the wave, drain, measure, stop."""
    name = f"{backend} {mode}" if not rate else f"{backend} {rate:.0f}/s {mode}"
    result = VkResult(name, comments=comments)
    url = await backends.url(backend)
    await store.prepare_vk(url, GROUP_ID, CHAT_PEER)
    api = FakeVkApi(workdir, group_rps=group_rps, user_rps=user_rps)
    service = VkService(url, api, workdir, mode=mode, name=f"dozor-vk-{backend}-{mode}")
    profile_path = workdir / f"dozor-vk-{backend}-{mode}.prof"
    if profile:
        service.profiler = ("-m", "cProfile", "-o", str(profile_path))
    observer = store.Observer(url)
    try:
        service.start()
        await service.wait_webhook(within=120)
        await asyncio.sleep(1.0)
        result.rss_start = service.rss_mb()
        cpu_start = service.cpu_seconds()
        wave = vk_traffic.make_comments(comments)
        deadline = time.monotonic() + budget
        monitor = asyncio.ensure_future(_monitor(observer, result))
        if mode == "callback":
            loader = vk_traffic.CallbackLoader(service.callback_url, concurrency=concurrency, rate=rate)
            delivery = await loader.run(wave, deadline=deadline)
            result.taken_in_per_s = delivery.rate()
        else:
            delivery = await _long_poll(api, wave, rate=rate, deadline=deadline)
        result.delivered, result.statuses = delivery.delivered, dict(delivery.statuses)
        loaded = await observer.inbox()
        result.moderated_while_loading_per_s = loaded.processed / max(
            1e-9, delivery.finished - delivery.started
        )

        async def all_processed() -> bool:  # a Long Poll batch may be delivered and not stored yet
            state = await observer.inbox()
            return state.total >= delivery.delivered and state.pending == 0

        await store.poll_until(all_processed, deadline, every=0.05)
        state = await observer.inbox()
        result.moderated_per_s = state.processed / max(1e-9, time.monotonic() - delivery.started)
        result.settled = await store.poll_until(observer.settled, deadline, every=0.1)
        result.enforcement_after = time.monotonic() - delivery.finished
        result.cpu_ms_per_event = (service.cpu_seconds() - cpu_start) * 1000 / max(1, delivery.delivered)
        monitor.cancel()
        result.rss_end = service.rss_mb()
        await asyncio.sleep(1.0)  # calls in flight reach the fake
        calls = await api.calls()
        (workdir / f"vk-calls-{backend}-{mode}.json").write_text(json.dumps(calls))  # kept by --keep-logs
        keys = [event_key(GROUP_ID, e) for e in delivery.delivered_at]
        result.lost = await observer.unprocessed(keys, platform="vk")
        result.removals = vk_report.removals(wave, delivery.delivered_at, calls)
        summary = await observer.outbox_summary()
        result.outbox = {f"{k}:{s}": n for (k, s), n in sorted(summary.items())}
        done_rows = {k: n for (k, s), n in summary.items() if s == "done"}
        result.restrictions, result.restrictions_doubled = vk_report.restrictions(calls, done_rows)
        result.requests = vk_report.requests_by_token(calls)
        result.busiest = {t: vk_report.busiest_second(calls, t) for t in result.requests}
        result.methods = vk_report.methods(calls)
        result.executes = vk_report.execute_fill(calls)
    finally:
        result.stop_seconds = service.terminate()
        result.problems = service.problems()
        await observer.close()
        api.close()
    if profile and profile_path.exists():
        result.profile = top_functions(profile_path)
    return result


def top_functions(path: Path, count: int = 25) -> list[str]:
    """The functions a cProfile dump spent most time in: own time first, then with callees."""
    lines = []
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).sort_stats(key).print_stats(count)
        text = out.getvalue()
        lines += [f"-- by {key}", *text[text.find("   ncalls") :].rstrip().splitlines()]
    return lines


async def _long_poll(
    api: FakeVkApi, wave: list[vk_traffic.Comment], *, rate: float | None, deadline: float
) -> vk_traffic.Delivery:
    """Queue the wave for Long Poll and wait until ``a_check``s returned all of it."""
    started, _ = await vk_traffic.feed_long_poll(api, wave, rate=rate)
    delivered: dict[str, float] = {}
    while time.monotonic() < deadline:
        delivered = await api.delivered()
        if len(delivered) >= len(wave):
            break
        await asyncio.sleep(0.2)
    ours = {c.event_id for c in wave}
    at = {e: t for e, t in delivered.items() if e in ours}
    return vk_traffic.Delivery(delivered_at=at, started=started, finished=max(at.values(), default=started))


async def _monitor(observer: store.Observer, result: VkResult) -> None:
    while True:
        state = await observer.inbox()
        result.max_backlog = max(result.max_backlog, state.pending)
        await asyncio.sleep(1.0)


async def run(args: argparse.Namespace) -> list[VkResult]:
    results = []
    with tempfile.TemporaryDirectory(prefix="dozor-vkbench-") as tmp:
        workdir = Path(tmp)
        backends = Backends(workdir)
        try:
            for backend in args.backends.split(","):
                for mode in args.modes.split(","):
                    result = await scenario(
                        backends, workdir, backend=backend, mode=mode, comments=args.comments,
                        rate=args.rate or None, budget=args.timeout, group_rps=args.group_rps,
                        user_rps=args.user_rps, concurrency=args.concurrency, profile=args.profile,
                    )  # fmt: skip
                    print("\n".join(result.lines()), flush=True)
                    results.append(result)
        finally:
            backends.close()
            if args.keep_logs:
                keep_logs(workdir, Path(args.keep_logs))
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000, help="wall comments per scenario")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--modes", default="callback,longpoll", help="callback and/or longpoll")
    parser.add_argument("--rate", type=float, default=0.0, help="events/s offered (0: as fast as taken)")
    parser.add_argument("--group-rps", type=int, default=20, help="requests/s VK allows a community token")
    parser.add_argument("--user-rps", type=int, default=3, help="requests/s VK allows a user token")
    parser.add_argument("--concurrency", type=int, default=32, help="Callback requests in flight")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a scenario may load and drain")
    parser.add_argument("--keep-logs", default="", help="a folder to keep the service and fake logs in")
    parser.add_argument(
        "--profile", action="store_true", help="run the service under cProfile, print its top"
    )
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    print(f"vk_bench: {' '.join(sys.argv[1:]) or '(defaults)'}", flush=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
