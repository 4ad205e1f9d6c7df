"""Crashes, a database outage and a misbehaving platform under load: is anything lost or done twice?

Run: ``python benchmarks/chaos.py [--updates 2000] [--kills 10] [--pg-down 30] [--rate 100]``

The real ``dozor run`` (webhook mode, PostgreSQL) takes ``--updates`` updates offered at
``--rate``/s while:

* it is killed with SIGKILL ``--kills`` times, each time after a random number of accepted
  updates, and started again at once (as a supervisor would);
* PostgreSQL is stopped (``pg_ctl stop -m immediate``) halfway through and started again after
  ``--pg-down`` seconds;
* the fake Bot API answers a share of the action calls with 429 (``retry_after`` 1) or 500, and
  performs some but answers them only after ``--hang`` seconds (longer than the executor's call
  timeout in the full run: the action happened, the service cannot know).

Afterwards (faults off, everything drained or ``--settle`` seconds passed) it prints:

* lost — updates answered 200 that have no processed inbox row;
* spam not deleted — accepted spam without a ``deleteMessage``;
* doubled by kind — actions performed twice (``benchmarks/e2e/report.py``); a repeated ``send``
  is a message people saw twice;
* deaf — seconds from each kill until the webhook answered again;
* recovery after PostgreSQL returned — until the webhook stores again and processing resumed;
* SIGTERM → exit at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.e2e import report, store, traffic  # noqa: E402
from benchmarks.e2e.backends import Backends  # noqa: E402
from benchmarks.e2e.procs import SECRET, SECRET_HEADER, FakeApi, Service  # noqa: E402
from benchmarks.e2e_bench import keep_logs  # noqa: E402


@dataclass
class ChaosResult:
    updates: int = 0
    accepted: int = 0
    unsent: int = 0
    lost: dict[str, str] = field(default_factory=dict)  # update_id → inbox status
    spam_not_deleted: int = 0
    doubled: dict[str, int] = field(default_factory=dict)
    performed: dict[str, int] = field(default_factory=dict)
    fault_outcomes: dict[str, int] = field(default_factory=dict)
    deaf: list[float] = field(default_factory=list)
    pg_recovery: float | None = None
    exited_during_outage: bool = False
    settled: bool = False
    stop_seconds: float | None = None
    outbox: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # service log lines worth reading
    inbox_failures: list[tuple[str, str]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    drain_seconds: float = 0.0  # after the last update was accepted, until the backlog drained

    @property
    def visible_doubles(self) -> int:
        return self.doubled.get("send", 0)

    def lines(self) -> list[str]:
        deaf = ", ".join(f"{d:.1f}" for d in self.deaf) or "-"
        recovery = "-" if self.pg_recovery is None else f"{self.pg_recovery:.1f} s"
        stop = (
            "killed after 15 s (no exit on SIGTERM)"
            if self.stop_seconds is None
            else f"{self.stop_seconds:.1f} s"
        )
        lost_sample = dict(list(self.lost.items())[:5])
        return [
            f"updates {self.updates}, accepted {self.accepted}, never accepted {self.unsent}, "
            f"answers other than 200: {self.statuses}",
            f"lost {len(self.lost)} {lost_sample if self.lost else ''}  "
            f"spam not deleted {self.spam_not_deleted}  settled {self.settled}",
            f"performed {self.performed}  fault answers {self.fault_outcomes}",
            f"doubled {self.doubled}  (visible: send = {self.visible_doubles})",
            f"webhook deaf after each kill (s): {deaf}",
            f"PostgreSQL down: service exited {self.exited_during_outage}, "
            f"recovered {recovery} after it returned",
            f"SIGTERM -> exit {stop}   outbox {self.outbox}",
            f"drained {self.drain_seconds:.0f} s after the last update was in; wall {self.seconds:.0f} s",
            *(f"  inbox error: {k}: {e}" for k, e in self.inbox_failures),
            *(f"  log: {line}" for line in self.errors),
        ]


async def chaos(
    workdir: Path,
    *,
    updates: int = 300,
    kills: int = 1,
    pg_down: float = 3.0,
    rate: float = 50.0,
    p429: float = 0.03,
    p500: float = 0.03,
    phang: float = 0.005,
    hang: float = 2.0,
    settle: float = 180.0,
    deaf_limit: float = 120.0,
    seed: int = 1,
    wait_for_actions: bool = True,
    fault_methods: tuple[str, ...] = (),
    linger: float = 0.0,
) -> ChaosResult:
    """One chaos run on a fresh PostgreSQL; see the module docstring.

    ``wait_for_actions=False`` waits only for the inbox to drain, not for actions: the ones a
    killed process had in hand wait out their lease (minutes) before another process takes them.
    """
    began = time.monotonic()
    rng = random.Random(seed)
    result = ChaosResult(updates=updates)
    backends = Backends(workdir)
    try:
        url = await backends.url("postgres")
        await store.prepare(url, traffic.GROUPS)
        api = FakeApi(workdir)
        service = Service(url, api, workdir, name="dozor-chaos")
        observer = store.Observer(url)
        try:
            service.start()
            await service.wait_webhook(within=deaf_limit)
            faults: dict[str, object] = {"p429": p429, "p500": p500, "phang": phang, "hang": hang}
            if fault_methods:
                faults["methods"] = list(fault_methods)
            await api.set_faults(**faults)
            posts = traffic.make_posts(updates, seed=seed)
            loader = traffic.Loader([service.hook_url], rate=rate)
            load_deadline = time.monotonic() + updates / rate * 3 + kills * deaf_limit + pg_down + 120
            plan = sorted([(rng.randrange(1, updates), "kill") for _ in range(kills)])
            if pg_down > 0 and backends.pg is not None:
                plan = sorted([*plan, (updates // 2, "pg")])
            control = asyncio.ensure_future(
                _control(plan, loader, service, backends, observer, result, pg_down, deaf_limit)
            )
            loading = asyncio.ensure_future(loader.run(posts, deadline=load_deadline))
            await asyncio.wait({control, loading}, return_when=asyncio.FIRST_EXCEPTION)
            if control.done() and control.exception() is not None:
                loading.cancel()
                await control  # raises: e.g. the webhook did not come back, saying after how long
            delivery = await loading
            await control
            result.accepted, result.unsent = delivery.accepted, delivery.unsent
            result.statuses = dict(delivery.statuses)
            await api.set_faults()
            if not service.alive():
                result.errors.append(f"dozor run had exited with {service.proc.returncode}; started again")  # type: ignore[union-attr]
                service.start()
            check = observer.settled if wait_for_actions else observer.inbox_done
            drain_from = time.monotonic()
            result.settled = await store.poll_until(check, drain_from + settle)
            result.drain_seconds = time.monotonic() - drain_from
            await asyncio.sleep(linger)  # late answers arrive, timed-out calls are retried
            await asyncio.sleep(1.0)
            calls = await api.calls()
            keys = [str(k) for k in delivery.accepted_at]
            result.lost = await observer.unprocessed(keys)
            _, result.spam_not_deleted = traffic.delete_latencies(posts, delivery, calls)
            summary = await observer.outbox_summary()
            result.outbox = {f"{k}:{s}": n for (k, s), n in sorted(summary.items())}
            result.performed = report.performed_by_kind(calls)
            result.doubled = report.doubled_by_kind(
                calls, {k: n for (k, s), n in summary.items() if s == "done"}
            )
            result.fault_outcomes = report.outcomes(calls)
            result.inbox_failures = await observer.failures()
        finally:
            result.stop_seconds = service.terminate()
            await observer.close()
            api.close()
        result.errors += service.problems()
    finally:
        backends.close()
    result.seconds = time.monotonic() - began
    return result


async def _control(
    plan: list[tuple[int, str]],
    loader: traffic.Loader,
    service: Service,
    backends: Backends,
    observer: store.Observer,
    result: ChaosResult,
    pg_down: float,
    deaf_limit: float,
) -> None:
    """Kill the service / stop PostgreSQL when the accepted count reaches each planned point."""
    for at, what in plan:
        while loader.delivery.accepted < at:
            if loader.delivery.finished:
                return
            await asyncio.sleep(0.02)
        if what == "kill":
            service.kill()
            killed = time.monotonic()
            service.start()
            await service.wait_webhook(within=deaf_limit)
            result.deaf.append(time.monotonic() - killed)
        else:
            assert backends.pg is not None
            backends.pg.pause()
            await asyncio.sleep(pg_down)
            if not service.alive():
                result.exited_during_outage = True
            backends.pg.resume()
            returned = time.monotonic()
            if not service.alive():
                result.exited_during_outage = True
                service.start()
            result.pg_recovery = await _recovered(service, observer, returned)


async def _recovered(
    service: Service, observer: store.Observer, since: float, within: float = 300.0
) -> float | None:
    """Seconds from ``since`` until the webhook stores again and an event got processed."""
    probe = json.dumps({"update_id": -2, "probe": True})
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    stored = False
    baseline: int | None = None
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as http:
        while time.monotonic() - since < within:
            if not stored:
                try:
                    async with http.post(service.hook_url, data=probe, headers=headers) as resp:
                        stored = resp.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    pass
            try:
                processed = (await observer.inbox()).processed
            except Exception:  # the observer's own pool reconnects once the server is back
                processed = None
            if processed is not None:
                if baseline is None:
                    baseline = processed
                elif stored and processed > baseline:
                    return time.monotonic() - since
            await asyncio.sleep(0.1)
    return None


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates offered (full run: 10000)")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument(
        "--pg-down", type=float, default=30.0, help="seconds PostgreSQL is stopped (0: never)"
    )
    parser.add_argument("--rate", type=float, default=100.0, help="updates/s offered")
    parser.add_argument("--p429", type=float, default=0.03)
    parser.add_argument("--p500", type=float, default=0.03)
    parser.add_argument("--phang", type=float, default=0.003, help="share of action calls answered late")
    parser.add_argument("--hang", type=float, default=40.0, help="seconds a late answer takes")
    parser.add_argument(
        "--settle", type=float, default=300.0, help="seconds to wait for the backlog to drain"
    )
    parser.add_argument("--fault-methods", default="", help="Bot API methods that fail (default: actions)")
    parser.add_argument("--linger", type=float, default=0.0, help="seconds to go on after the drain")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-logs", default="", help="a folder to keep the service and fake logs in")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> ChaosResult:
    with tempfile.TemporaryDirectory(prefix="dozor-chaos-") as tmp:
        try:
            return await chaos(
                Path(tmp), updates=args.updates, kills=args.kills, pg_down=args.pg_down, rate=args.rate,
                p429=args.p429, p500=args.p500, phang=args.phang, hang=args.hang, settle=args.settle,
                seed=args.seed, linger=args.linger,
                fault_methods=tuple(m for m in args.fault_methods.split(",") if m),
            )  # fmt: skip
        finally:
            if args.keep_logs:
                keep_logs(Path(tmp), Path(args.keep_logs))


def main() -> None:
    args = parse()
    print(f"chaos: {' '.join(sys.argv[1:]) or '(defaults)'}", flush=True)
    result = asyncio.run(run(args))
    print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
