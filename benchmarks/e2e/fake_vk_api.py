"""The fake VK API (tests/e2e/fake_vk.py) as a process of its own, with VK's per-token limits.

Run: ``python -m benchmarks.e2e.fake_vk_api --port 0 [--group-rps 20] [--user-rps 3]`` — prints
``PORT <n>`` once it listens.

VK refuses a request with error 6 ("Too many requests per second") when one token has made more
than its limit in the last second: 20 for a community token, 3 for a user token. An ``execute``
is one request however many calls it carries. The limit here is a sliding one-second window of
the requests served on each token; a refused request does nothing and is not counted against
the window (VK does not say whether it counts them; counting them would only make a client that
retries at once look worse). Long Poll ``a_check`` requests go to another server and are not
limited, as on VK.

Besides the VK API and its Bots Long Poll server it serves control routes:

* ``GET /_calls?since=N`` — the call log from index N on: ``method``, ``token`` (``group`` /
  ``user``), ``group``, ``execute`` (the n-th ``execute`` request it was made in, or null for a
  request of its own), ``at`` (``time.monotonic()``, comparable across processes on Linux; for a
  request, the moment the limit saw it),
  ``outcome`` (``ok``, ``refused`` for error 6 from the limit, ``error <code>`` when the method
  failed) and the parameters that identify an action (owner, comment, post, end date…);
* ``POST /_events`` — a JSON list of events to queue for Bots Long Poll; answers ``{"ts": n}``;
* ``GET /_delivered`` — ``{event_id: at}``: when an ``a_check`` first returned each event;
* ``GET /_stats`` — requests served and refused per token, ``execute`` requests, ``a_check``s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.fake_vk import FakeVk, VkCall  # noqa: E402
from tests.e2e.fake_vk_methods import CHAT_PEER, ERROR_TEXT, ApiError  # noqa: E402

GROUP_RPS = 20
USER_RPS = 3
TOO_MANY = 6
# The parameters the benchmark reads back to tell what an action did.
_KEYS = ("owner_id", "comment_id", "post_id", "reply_to_comment", "guid", "end_date", "peer_ids", "peer_id")


@dataclass
class LimitedVk(FakeVk):
    """``FakeVk`` that holds each token to VK's requests-per-second limit and keeps a call log."""

    group_rps: int = GROUP_RPS
    user_rps: int = USER_RPS

    def __post_init__(self) -> None:
        super().__post_init__()
        self._windows: dict[str, deque[float]] = {}
        self.failed: dict[int, int] = {}  # index in the call log → VK error code it was answered
        self.refused: Counter[str] = Counter()
        self.served: Counter[str] = Counter()
        self.delivered: dict[str, float] = {}  # Long Poll event id → first a_check that returned it
        self.arrived: dict[int, float] = {}  # call log index → when the limit let that request in

    # ----------------------------------------------------------------- the limit
    async def _handle(self, request: web.Request) -> web.Response:
        # The request has arrived once its body has: read it first (aiohttp keeps it, so FakeVk's
        # own read returns at once), so the limit and the call log see the same moment.
        await request.post()
        now = time.monotonic()
        kind = self._token_of(request)
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        limit = {"group": self.group_rps, "user": self.user_rps}.get(kind)
        if limit is not None and not self._take(given, limit, now):
            return await self._refuse(request, kind, given, now)
        self.served[self._label(kind, given)] += 1
        # FakeVk logs this request next, with nothing awaited before: it takes this index
        self.arrived[len(self._calls)] = now
        return await super()._handle(request)

    def _take(self, token: str, limit: int, now: float) -> bool:
        """Whether ``token`` may make a request at ``now`` (and count it when it may)."""
        window = self._windows.setdefault(token, deque())
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= limit:
            return False
        window.append(now)
        return True

    async def _refuse(self, request: web.Request, kind: str, given: str, now: float) -> web.Response:
        method = request.match_info["method"]
        params = {k: str(v) for k, v in (await request.post()).items()}
        self.refused[self._label(kind, given)] += 1
        self._calls.append(VkCall(method, params, kind, now, self._group_of(kind, given)))
        self.failed[len(self._calls) - 1] = TOO_MANY
        request_params = [{"key": k, "value": v} for k, v in params.items() if k != "code"]
        request_params.append({"key": "method", "value": method})
        error = {"error_code": TOO_MANY, "error_msg": ERROR_TEXT[TOO_MANY], "request_params": request_params}
        return web.json_response({"error": error})

    def _group_of(self, kind: str, given: str) -> int | None:
        if kind != "group":
            return None
        return {t: gid for gid, t in self.other_groups.items()}.get(given, self.group_id)

    def _label(self, kind: str, given: str) -> str:
        group = self._group_of(kind, given)
        return f"group {group}" if group is not None else kind

    # ----------------------------------------------------------------- outcomes and names
    def run(self, method: str, params: dict[str, str], token: str) -> Any:
        # FakeVk appends a call to the log right before running it, with nothing awaited between.
        index = len(self._calls) - 1
        if method == "users.get" and params.get("user_ids"):
            for uid in (int(i) for i in params["user_ids"].split(",") if i.strip()):
                self.names.setdefault(uid, ("Пользователь", str(uid)))
        try:
            return super().run(method, params, token)
        except ApiError as exc:
            self.failed[index] = exc.code
            raise

    def _execute(self, params: dict[str, str], token: str) -> dict[str, Any]:
        index = len(self._calls) - 1  # the ``execute`` request itself
        try:
            return super()._execute(params, token)
        except ApiError as exc:
            self.failed[index] = exc.code
            raise

    # ----------------------------------------------------------------- Long Poll deliveries
    async def _a_check(self, request: web.Request) -> web.Response:
        response = await super()._a_check(request)
        body = response.body
        if isinstance(body, bytes) and b'"updates"' in body:
            now = time.monotonic()
            for event in json.loads(body).get("updates", []):
                self.delivered.setdefault(str(event.get("event_id")), now)
        return response

    # ----------------------------------------------------------------- control routes
    def entry(self, index: int, call: VkCall) -> dict[str, Any]:
        code = self.failed.get(index)
        outcome = "ok" if code is None else ("refused" if code == TOO_MANY else f"error {code}")
        found: dict[str, Any] = {
            "method": call.method,
            "token": call.token,
            "group": call.group,
            "execute": call.execute,
            "at": self.arrived.get(index, call.at),
            "outcome": outcome,
        }
        found.update({k: call.params[k] for k in _KEYS if k in call.params})
        if call.method == "users.get":
            found["ids"] = len([i for i in call.params.get("user_ids", "").split(",") if i])
        return found

    async def calls_route(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", 0))
        calls = self._calls[since:]
        return web.json_response([self.entry(since + n, c) for n, c in enumerate(calls)])

    async def events_route(self, request: web.Request) -> web.Response:
        events = await request.json()
        for event in events:
            self.events.append(self.stamp(event))
        self._new_event.set()
        return web.json_response({"ts": self.ts})

    async def delivered_route(self, request: web.Request) -> web.Response:
        return web.json_response(self.delivered)

    async def stats_route(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "served": dict(self.served),
                "refused": dict(self.refused),
                "executes": self.executes,
                "a_checks": len(self.a_checks),
                "events": len(self.events),
            }
        )


async def serve(port: int, group_rps: int, user_rps: int) -> None:
    server = LimitedVk(group_rps=group_rps, user_rps=user_rps)
    server.add_chat(CHAT_PEER, {})  # the moderators' chat the benchmark community names
    app = web.Application(client_max_size=1 << 22)
    app.router.add_post("/method/{method}", server._handle)
    app.router.add_route("*", "/lp/{group}", server._a_check)
    app.router.add_post("/upload/{key}", server._upload)
    app.router.add_get("/_calls", server.calls_route)
    app.router.add_post("/_events", server.events_route)
    app.router.add_get("/_delivered", server.delivered_route)
    app.router.add_get("/_stats", server.stats_route)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"PORT {server.port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--group-rps", type=int, default=GROUP_RPS, help="requests/s a community token may make"
    )
    parser.add_argument("--user-rps", type=int, default=USER_RPS, help="requests/s a user token may make")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.group_rps, args.user_rps))


if __name__ == "__main__":
    main()
