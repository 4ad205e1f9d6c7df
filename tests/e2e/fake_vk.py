"""A local fake of the VK API for end-to-end tests with Dozor's own VK client.

It listens on 127.0.0.1 (random port) and answers ``POST /method/{name}`` (form data) like VK:
``{"response": …}`` or ``{"error": {"error_code", "error_msg", "request_params"}}``. It records
every call with its parameters and which token made it (``"group"``, ``"user"`` or
``"unknown"``), refuses user-token-only methods called with the community token (error 27) as VK
does, can be scripted to fail (``fail_next``), keeps plausible state (sent messages with
``conversation_message_id``, comments, chat members, managers, bans), serves a Bots Long Poll
``a_check`` endpoint with queued events and ``failed`` 1/2/3 on demand, and drives a Callback API
server (``confirm``, ``post_callback``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.vk import EVENT_TYPES
from tests.e2e import fake_vk_methods as methods
from tests.e2e.fake_vk_methods import GROUP_ID, GROUP_TOKEN, USER_TOKEN, ApiError

__all__ = ["GROUP_ID", "GROUP_TOKEN", "USER_TOKEN", "FakeVk", "VkCall"]


@dataclass(frozen=True, slots=True)
class VkCall:
    """One recorded API call."""

    method: str
    params: dict[str, str]
    token: str  # "group", "user", "none" or "unknown"
    at: float
    group: int | None = None  # the community whose token made it (None: not a community token)
    execute: int | None = None  # made inside the n-th ``execute`` request (None: a request of its own)


@dataclass
class FakeVk:
    """The fake server and its state; ``async with FakeVk() as vk:`` starts it."""

    group_id: int = GROUP_ID
    group_token: str = GROUP_TOKEN
    user_token: str | None = USER_TOKEN
    managers: dict[int, str] = field(default_factory=dict)  # user id → role
    chats: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)  # peer → member → facts
    bans: dict[int, dict[str, str]] = field(default_factory=dict)
    deleted: list[tuple[str, int, int]] = field(default_factory=list)  # (method, owner/peer, id)
    comments: list[dict[str, Any]] = field(default_factory=list)  # created by wall.createComment
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (peer, cmid) → msg
    event_answers: list[dict[str, str]] = field(default_factory=list)
    token_rights: list[str] = field(default_factory=lambda: ["manage", "messages", "photos", "docs", "wall"])
    user_token_owner: int = 5550009
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # users.get: id → (first, last)
    lp_settings: dict[str, Any] = field(
        default_factory=lambda: {
            "is_enabled": True,
            "api_version": "5.199",
            "events": dict.fromkeys(EVENT_TYPES, 1),
        }
    )
    callback_servers: list[dict[str, Any]] = field(default_factory=list)
    # More communities on the same VK: group id → its community token (calls with it are "group"
    # calls recorded with that ``VkCall.group``; ``groups.getById`` answers that community).
    other_groups: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.caller_group: int | None = None  # the community of the call being handled
        self.executes = 0  # ``execute`` requests served
        self._calls: list[VkCall] = []
        self._failures: dict[str, deque[tuple[int, str]]] = defaultdict(deque)
        self._http_failures: dict[str, deque[int]] = defaultdict(deque)
        self.ids = itertools.count(9000)
        self.cmids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self.dedup: dict[tuple[Any, ...], Any] = {}
        self.uploads: dict[str, dict[str, Any]] = {}
        # Long Poll: events[i] has ts = i + 1; ``lost_before`` ts are gone from history (failed 1).
        self.events: list[dict[str, Any]] = []
        self.lost_before = 0
        self.lp_key = ""
        self.lp_keys_issued = 0
        self._lp_failures: deque[int] = deque()
        self.lp_http_failures: deque[int] = deque()
        self.a_checks: list[dict[str, str]] = []
        self._new_event = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        self._event_ids = itertools.count(1)

    # ----------------------------------------------------------------- lifecycle
    async def __aenter__(self) -> FakeVk:
        app = web.Application()
        app.router.add_post("/method/{method}", self._handle)
        app.router.add_route("*", "/lp/{group}", self._a_check)
        app.router.add_post("/upload/{key}", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._new_event.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/method"

    # ----------------------------------------------------------------- scripting
    def calls(self, method: str | None = None) -> list[dict[str, str]]:
        """Parameters of every call of ``method`` (all calls when None), in order."""
        return [c.params for c in self.call_log(method)]

    def call_log(self, method: str | None = None) -> list[VkCall]:
        return [c for c in self._calls if method is None or c.method == method]

    def fail_next(self, method: str, code: int = 10, message: str | None = None, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer VK error ``code``."""
        for _ in range(times):
            self._failures[method].append((code, message or methods.ERROR_TEXT.get(code, "Error")))

    def fail_http(self, method: str, status: int = 502, *, times: int = 1) -> None:
        """Make the next calls of ``method`` answer a bare HTTP ``status`` (a proxy in trouble)."""
        self._http_failures[method].extend([status] * times)

    def add_chat(self, peer_id: int, members: dict[int, bool]) -> None:
        """A community chat with members (user id → is admin)."""
        self.chats[peer_id] = {uid: {"is_admin": admin} for uid, admin in members.items()}

    # ----------------------------------------------------------------- Long Poll
    def push_event(self, event: dict[str, Any]) -> dict[str, Any]:
        """Queue an event for Long Poll (its ``ts`` is its position); fills group_id/event_id/v."""
        event = self.stamp(event)
        self.events.append(event)
        self._new_event.set()
        return event

    def stamp(self, event: dict[str, Any]) -> dict[str, Any]:
        event = dict(event)
        event.setdefault("group_id", self.group_id)
        event.setdefault("event_id", f"{next(self._event_ids):040x}")
        event.setdefault("v", "5.199")
        return event

    @property
    def ts(self) -> int:
        """The ts a client would next ask for when it has seen every event."""
        return len(self.events) + 1

    def lp_fail_next(self, failed: int) -> None:
        """Make the next ``a_check`` answer ``{"failed": failed}`` (1, 2 or 3)."""
        self._lp_failures.append(failed)

    def forget_history_before(self, ts: int) -> None:
        """Events before ``ts`` are no longer served (an old ``ts`` gets ``failed: 1``)."""
        self.lost_before = ts

    def new_lp_key(self) -> str:
        self.lp_keys_issued += 1
        self.lp_key = f"lpkey{self.lp_keys_issued}"
        return self.lp_key

    async def _a_check(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        if request.method == "POST":
            query.update({k: str(v) for k, v in (await request.post()).items()})
        self.a_checks.append(query)
        if self.lp_http_failures:
            return web.Response(status=self.lp_http_failures.popleft(), text="Bad Gateway")
        if query.get("act") != "a_check":
            return web.json_response({"failed": 4})
        if self._lp_failures:
            failed = self._lp_failures.popleft()
            if failed in (2, 3):
                self.lp_key = ""  # the key is spent: a_check with it keeps failing until renewed
            return web.json_response(
                {"failed": failed, "ts": str(self.ts)} if failed == 1 else {"failed": failed}
            )
        if query.get("key") != self.lp_key or not self.lp_key:
            return web.json_response({"failed": 2})
        try:
            ts = int(query.get("ts", ""))
        except ValueError:
            return web.json_response({"failed": 3})
        if ts < self.lost_before or ts > self.ts:
            return web.json_response({"failed": 1, "ts": str(self.ts)})
        deadline = time.monotonic() + float(query.get("wait") or 0)
        while ts >= self.ts and not self._closing:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._new_event.clear()
            try:
                await asyncio.wait_for(self._new_event.wait(), timeout=left)
            except TimeoutError:
                break
        updates = self.events[ts - 1 :]
        return web.json_response({"ts": str(self.ts), "updates": updates})

    # ----------------------------------------------------------------- Callback API driver
    async def confirm(self, url: str) -> tuple[int, str]:
        """POST the ``confirmation`` request as VK does when the server is added."""
        return await self.post_callback(url, {"type": "confirmation", "group_id": self.group_id}, secret=None)

    async def post_callback(
        self, url: str, event: dict[str, Any], *, secret: str | None = None
    ) -> tuple[int, str]:
        """POST one event (with ``secret`` when given) and return (HTTP status, body)."""
        body = self.stamp(event) if event.get("type") != "confirmation" else dict(event)
        if secret is not None:
            body["secret"] = secret
        async with aiohttp.ClientSession() as session, session.post(url, data=json.dumps(body)) as resp:
            return resp.status, await resp.text()

    # ----------------------------------------------------------------- serving
    def _token_of(self, request: web.Request) -> str:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return "none"
        given = header.removeprefix("Bearer ")
        if given == self.group_token or given in self.other_groups.values():
            return "group"
        if self.user_token and given == self.user_token:
            return "user"
        return "unknown"

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        params = {k: str(v) for k, v in form.items()}
        token = self._token_of(request)
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        others = {t: gid for gid, t in self.other_groups.items()}
        self.caller_group = others.get(given, self.group_id) if token == "group" else None
        self._calls.append(VkCall(method, params, token, time.monotonic(), self.caller_group))
        if self._http_failures.get(method):
            return web.Response(status=self._http_failures[method].popleft(), text="Bad Gateway")
        try:
            if "access_token" in params or "access_token" in request.query:
                raise ApiError(100, "Dozor must send the token in the Authorization header only")
            if token in ("none", "unknown"):
                raise ApiError(5, "User authorization failed: invalid access_token (4).")
            if method == "execute":
                return web.json_response(self._execute(params, token))
            return web.json_response({"response": self.run(method, params, token)})
        except ApiError as exc:
            request_params = [{"key": k, "value": v} for k, v in params.items()]
            request_params.append({"key": "method", "value": method})
            error = {"error_code": exc.code, "error_msg": exc.message, "request_params": request_params}
            return web.json_response({"error": error})

    def run(self, method: str, params: dict[str, str], token: str) -> Any:
        """One method, as VK runs it (or raises ``ApiError``)."""
        if token == "group" and method in methods.USER_ONLY:
            raise ApiError(27, "Group authorization failed: method is unavailable with group auth.")
        if self._failures.get(method):
            raise ApiError(*self._failures[method].popleft())
        handler = methods.HANDLERS.get(method)
        if handler is None:
            raise ApiError(3, "Unknown method passed.")
        return handler(self, params)

    def _execute(self, params: dict[str, str], token: str) -> dict[str, Any]:
        """``execute`` with the code Dozor sends: ``return [API.a.b({...}),API.c.d({...})];`` — up to
        25 calls, each answered in its place, ``false`` for one that failed, whose error is listed in
        ``execute_errors`` in the same order (as VK does)."""
        calls = methods.parse_execute(params.get("code", ""))
        if len(calls) > 25:
            raise ApiError(13, "Runtime error occurred during code invocation: Too many API calls")
        self.executes += 1
        results: list[Any] = []
        errors: list[dict[str, Any]] = []
        for method, inner in calls:
            self._calls.append(
                VkCall(method, inner, token, time.monotonic(), self.caller_group, self.executes)
            )
            try:
                results.append(self.run(method, inner, token))
            except ApiError as exc:
                results.append(False)
                errors.append({"method": method, "error_code": exc.code, "error_msg": exc.message})
        answer: dict[str, Any] = {"response": results}
        if errors:
            answer["execute_errors"] = errors
        return answer

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        file = form.get("file")
        if not isinstance(file, web.FileField):
            return web.json_response({"error": "no file"})
        ref = f"upload{len(self.uploads) + 1}"
        self.uploads[ref] = {"filename": file.filename, "content": file.file.read()}
        return web.json_response({"file": ref})
