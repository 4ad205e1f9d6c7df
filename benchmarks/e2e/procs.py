"""Processes the benchmarks run: the fake Bot API and the real ``dozor run``, on 127.0.0.1.

``Service`` is ``python -m bot.cli run`` in webhook mode, configured only through environment
variables as an operator would, with ``DOZOR_TELEGRAM_API_SERVER`` pointing at the fake. Its
log goes to a file so that a benchmark can quote the lines around a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAFakeTokenFakeTokenFakeTokenFakeTok"
SECRET = "bench-secret-0123456789_abcdefghij"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOZOR_")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


class FakeApi:
    """The fake Bot API in its own process (``benchmarks/e2e/fake_api.py``)."""

    def __init__(self, workdir: Path) -> None:
        self.log_path = workdir / "fake_api.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.e2e.fake_api", "--port", "0"],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=self._log, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the fake Bot API did not start; see {self.log_path}")
        self.port = int(line.split()[1])
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._seen: list[dict[str, Any]] = []

    async def calls(self) -> list[dict[str, Any]]:
        """Every call recorded so far (fetched incrementally)."""
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{self.base_url}/_calls", params={"since": len(self._seen)}) as resp,
        ):
            self._seen.extend(await resp.json())
        return self._seen

    async def set_faults(self, **faults: Any) -> None:
        async with aiohttp.ClientSession() as http, http.post(f"{self.base_url}/_faults", json=faults):
            pass

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._log.close()


class Service:
    """One ``dozor run`` process; ``start`` again after ``kill`` (same port, same database)."""

    profiler: tuple[str, ...] = ()  # e.g. ("-m", "cProfile", "-o", "run.prof"): run under a profiler

    def __init__(self, db_url: str, api: FakeApi, workdir: Path, name: str = "dozor", **env: str) -> None:
        self.port = free_port()
        self.hook_url = f"http://127.0.0.1:{self.port}/tg/hook"
        self.log_path = workdir / f"{name}.log"
        self.workdir = workdir
        self.env = _env(
            DOZOR_DB_URL=db_url,
            DOZOR_TELEGRAM_TOKEN=TOKEN,
            DOZOR_TELEGRAM_MODE="webhook",
            DOZOR_TELEGRAM_WEBHOOK_URL=self.hook_url,
            DOZOR_TELEGRAM_WEBHOOK_SECRET=SECRET,
            DOZOR_TELEGRAM_API_SERVER=api.base_url,
            DOZOR_HTTP_HOST="127.0.0.1",
            DOZOR_HTTP_PORT=str(self.port),
            DOZOR_MODERATION_LANGUAGE="en",
            DOZOR_LOG_LEVEL="INFO",
            **env,
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.starts = 0

    def start(self) -> None:
        with self.log_path.open("a") as log:
            log.write(f"\n===== start #{self.starts + 1} at {time.monotonic():.3f} =====\n")
            log.flush()
            self.proc = subprocess.Popen(
                [sys.executable, *self.profiler, "-m", "bot.cli", "run"],
                cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.started_at = time.monotonic()
        self.starts += 1

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss_mb(self) -> float:
        """Resident memory of the service process now, in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the service process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine or the OOM killer takes it."""
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def terminate(self, within: float = 15.0) -> float | None:
        """SIGTERM and wait; returns the seconds it took, or None when it had to be killed."""
        if not self.alive():
            return 0.0
        assert self.proc is not None
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        return time.monotonic() - began

    async def wait_webhook(self, within: float) -> float:
        """Seconds from the process start until the webhook answers (any HTTP status but 401).

        Raises:
            TimeoutError: naming what was waited for and the log to read.
        """
        deadline = self.started_at + within
        probe = json.dumps({"update_id": -1, "probe": True})  # no message: stored, translated to nothing
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while time.monotonic() < deadline:
                if not self.alive():
                    raise RuntimeError(f"dozor run exited with {self.proc.returncode}; see {self.log_path}")  # type: ignore[union-attr]
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.post(self.hook_url, data=probe, headers=headers) as resp:
                        if resp.status != 401:
                            return time.monotonic() - self.started_at
                await asyncio.sleep(0.05)
        raise TimeoutError(
            f"the webhook {self.hook_url} did not answer within {within:.0f}s of the start; "
            f"see {self.log_path}"
        )

    def problems(self, limit: int = 6) -> list[str]:
        """What went wrong, from the service log: ERROR lines by logger, each distinct exception,
        and the lines that stopped the service (with their time)."""
        errors: dict[str, int] = {}
        exceptions: dict[str, int] = {}
        fatal = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) > 3 and parts[2] == "ERROR":
                errors[parts[3]] = errors.get(parts[3], 0) + 1
            if "service task failed" in line or "did not finish" in line:
                fatal.append(line.strip())
            elif (
                line
                and not line.startswith((" ", "Traceback", "The above", "During handling"))
                and (line.split(":")[0].endswith(("Error", "Exception")))
            ):
                exceptions[line.strip()[:200]] = exceptions.get(line.strip()[:200], 0) + 1
        found = [f"ERROR lines by logger: {errors}"] if errors else []
        found += fatal[:limit]
        found += [f"{n} x {text}" for text, n in list(exceptions.items())[:limit]]
        return found
