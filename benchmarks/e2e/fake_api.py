"""The fake Bot API (tests/e2e/fake_telegram.py) as a process of its own, with faults on demand.

Run: ``python -m benchmarks.e2e.fake_api --port 0`` — prints ``PORT <n>`` once it listens.

The benchmark's load generator and this server would otherwise share one event loop and one
GIL, and the call times it records (what post-to-delete latency is measured with) would include
the load generator's own delays. Besides the Bot API it serves two control routes:

* ``GET /_calls?since=N`` — recorded calls from index N on: method, the fields that identify the
  action (chat, message, user, text), ``at`` (``time.monotonic()``, comparable across processes
  on Linux) and ``outcome`` (``ok``, ``429``, ``500``, ``hang``);
* ``POST /_faults`` — ``{"p429": 0.05, "p500": 0.05, "phang": 0.01, "hang": 40, "methods": [...]}``:
  the share of calls of those methods that answer 429 (``retry_after`` 1), 500, or are performed
  and then answered only after ``hang`` seconds (the worst case: the platform acted, the answer
  was late). ``{}`` clears the faults.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e import fake_methods  # noqa: E402
from tests.e2e.fake_telegram import FakeTelegram, _error, _ok, _params  # noqa: E402

ACTION_METHODS = ("deleteMessage", "deleteMessages", "sendMessage", "restrictChatMember", "banChatMember")
_KEYS = ("chat_id", "message_id", "message_ids", "user_id", "text", "reply_to_message_id", "until_date")


class FaultyTelegram(FakeTelegram):
    """``FakeTelegram`` that keeps a compact call log and injects 429 / 500 / hangs."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.log: list[dict[str, Any]] = []
        self.faults: dict[str, Any] = {}
        self.rng = random.Random(7)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        if method.lower() == "getupdates":
            return await super()._handle(request)
        params = await _params(request)
        entry: dict[str, Any] = {"method": method, "at": time.monotonic()}
        entry.update({k: params[k] for k in _KEYS if k in params})
        outcome = self._fault(method)
        entry["outcome"] = outcome
        self.log.append(entry)
        if outcome == "429":
            return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        if outcome == "500":
            return _error(500, "Internal Server Error")
        handler = fake_methods.HANDLERS.get(method.lower())
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = handler(self, params)
        except fake_methods.ApiError as exc:
            return _error(exc.code, exc.description)
        if outcome == "hang":  # performed already; only the answer is late
            await asyncio.sleep(float(self.faults.get("hang", 40)))
        return _ok(result)

    def _fault(self, method: str) -> str:
        faults = self.faults
        if not faults or method not in faults.get("methods", ACTION_METHODS):
            return "ok"
        roll = self.rng.random()
        for outcome, key in (("429", "p429"), ("500", "p500"), ("hang", "phang")):
            share = float(faults.get(key, 0.0))
            if roll < share:
                return outcome
            roll -= share
        return "ok"

    async def calls_route(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", 0))
        return web.json_response(self.log[since:])

    async def faults_route(self, request: web.Request) -> web.Response:
        self.faults = dict(await request.json())
        return web.json_response(self.faults)


async def serve(port: int) -> None:
    server = FaultyTelegram()
    app = web.Application(client_max_size=1 << 22)
    app.router.add_get("/_calls", server.calls_route)
    app.router.add_post("/_faults", server.faults_route)
    app.router.add_route("*", "/bot{token}/{method}", server._handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"PORT {site._server.sockets[0].getsockname()[1]}", flush=True)  # type: ignore[union-attr]
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
