"""The VK benchmark's processes: the fake VK API (``fake_vk_api.py``) and ``dozor run`` serving VK.

``VkService`` is ``python -m bot.cli run`` configured only by ``DOZOR_VK_*`` variables (and the
database and HTTP ones), with ``DOZOR_VK_API_URL`` pointing at the fake: one community, its
community token and a moderator's user token, in Long Poll or Callback mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.e2e.procs import ROOT, Service, _env, free_port
from tests.e2e.fake_vk_methods import GROUP_ID, GROUP_TOKEN, USER_TOKEN

CONFIRMATION = "b3nchC0de"
SECRET = "benchSecret2024"


class FakeVkApi:
    """The fake VK API in its own process, holding tokens to ``group_rps`` / ``user_rps``."""

    def __init__(self, workdir: Path, *, group_rps: int = 20, user_rps: int = 3) -> None:
        self.log_path = workdir / "fake_vk_api.log"
        self._log = self.log_path.open("w")
        command = [sys.executable, "-m", "benchmarks.e2e.fake_vk_api", "--port", "0"]
        command += ["--group-rps", str(group_rps), "--user-rps", str(user_rps)]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the fake VK API did not start; see {self.log_path}")
        self.base_url = f"http://127.0.0.1:{int(line.split()[1])}"
        self.api_url = f"{self.base_url}/method"
        self._seen: list[dict[str, Any]] = []

    async def _get(self, route: str, **params: Any) -> Any:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{self.base_url}{route}", params=params) as resp,
        ):
            return await resp.json()

    async def calls(self) -> list[dict[str, Any]]:
        """Every call recorded so far (fetched incrementally)."""
        self._seen.extend(await self._get("/_calls", since=len(self._seen)))
        return self._seen

    async def delivered(self) -> dict[str, float]:
        """Long Poll event id → when an ``a_check`` first returned it."""
        return dict(await self._get("/_delivered"))

    async def stats(self) -> dict[str, Any]:
        return dict(await self._get("/_stats"))

    async def push(self, http: aiohttp.ClientSession, events: list[dict[str, Any]]) -> None:
        """Queue events for Bots Long Poll."""
        async with http.post(f"{self.base_url}/_events", json=events) as resp:
            resp.raise_for_status()

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._log.close()


class VkService(Service):
    """One ``dozor run`` serving the fake's community in ``mode`` (``longpoll`` or ``callback``)."""

    def __init__(
        self, db_url: str, api: FakeVkApi, workdir: Path, *, mode: str, name: str = "dozor-vk"
    ) -> None:
        self.port = free_port()
        self.mode = mode
        self.callback_url = f"http://127.0.0.1:{self.port}/vk/callback"
        self.hook_url = self.callback_url
        self.log_path = workdir / f"{name}.log"
        self.workdir = workdir
        self.api = api
        vk = {
            "DOZOR_VK_GROUP_ID": f"club{GROUP_ID}",
            "DOZOR_VK_GROUP_TOKEN": GROUP_TOKEN,
            "DOZOR_VK_USER_TOKEN": USER_TOKEN,
            "DOZOR_VK_API_URL": api.api_url,
            "DOZOR_VK_MODE": mode,
        }
        if mode == "callback":
            vk |= {"DOZOR_VK_CONFIRMATION_CODE": CONFIRMATION, "DOZOR_VK_SECRET": SECRET}
        self.env = _env(
            DOZOR_DB_URL=db_url,
            DOZOR_HTTP_HOST="127.0.0.1",
            DOZOR_HTTP_PORT=str(self.port),
            DOZOR_LOG_LEVEL="INFO",
            **vk,
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.starts = 0

    async def wait_webhook(self, within: float) -> float:
        """Seconds from the start until the service takes events: in Callback mode until it answers
        VK's confirmation with the code; in Long Poll mode until the fake saw its first ``a_check``
        (events queued before that would be behind the ``ts`` it starts from).

        Raises:
            TimeoutError: naming what was waited for and the log to read.
        """
        deadline = self.started_at + within
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while time.monotonic() < deadline:
                if not self.alive():
                    raise RuntimeError(f"dozor run exited with {self.proc.returncode}; see {self.log_path}")  # type: ignore[union-attr]
                if await self._ready(http):
                    return time.monotonic() - self.started_at
                await asyncio.sleep(0.1)
        what = "VK's confirmation request" if self.mode == "callback" else "its first Long Poll a_check"
        raise TimeoutError(f"dozor run did not answer {what} within {within:.0f}s; see {self.log_path}")

    async def _ready(self, http: aiohttp.ClientSession) -> bool:
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            if self.mode == "callback":
                body = {"type": "confirmation", "group_id": GROUP_ID}
                async with http.post(self.callback_url, json=body) as resp:
                    return resp.status == 200 and (await resp.text()) == CONFIRMATION
            return bool((await self.api.stats())["a_checks"])
        return False
