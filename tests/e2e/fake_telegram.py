"""A local fake of the Telegram Bot API for end-to-end tests with the real aiogram client.

It listens on 127.0.0.1 (random port), answers ``/bot<token>/<method>`` like the real API
(``{"ok": true, "result": …}``), records every call with its parameters, serves updates through
``getUpdates`` (honouring ``offset`` and ``timeout``) or by POSTing them to the webhook with the
secret header, and can be scripted to fail (``fail_next``). Point aiogram at it with
``TelegramAPIServer.from_base(server.base_url)``.
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

from tests.e2e import fake_methods
from tests.e2e.fake_methods import BOT_ID, BOT_USERNAME

__all__ = ["BOT_ID", "BOT_USERNAME", "TOKEN", "Call", "FakeTelegram"]

TOKEN = "123456789:AAFakeTokenFakeTokenFakeTokenFakeTok"
_TEXT_FIELDS = {"text", "caption", "callback_query_id", "secret_token", "url", "data", "description"}


@dataclass(frozen=True, slots=True)
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when it arrived


@dataclass(slots=True)
class Failure:
    error_code: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeTelegram:
    """The fake server and its state; ``async with FakeTelegram() as server:`` starts it."""

    token: str = TOKEN
    can_read_all_group_messages: bool = False
    webhook: dict[str, Any] = field(default_factory=dict)
    webhook_info_extra: dict[str, Any] = field(default_factory=dict)
    members: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._calls: list[Call] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(5000)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.confirmed_offset = 0
        self.port = 0
        self._closing = False

    # ----------------------------------------------------------------- lifecycle
    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._new_update.set()  # long polls answer at once instead of holding up the shutdown
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ----------------------------------------------------------------- scripting
    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Parameters of every recorded call of ``method`` (all calls when None), in order."""
        return [c.params for c in self.call_log(method)]

    def deleted(self) -> list[int]:
        """Ids of the messages asked to be deleted, by deleteMessage or deleteMessages, in order."""
        ids: list[int] = []
        for call in self.call_log():
            if call.method.lower() == "deletemessage":
                ids.append(int(call.params["message_id"]))
            elif call.method.lower() == "deletemessages":
                ids.extend(int(m) for m in call.params["message_ids"])
        return ids

    def call_log(self, method: str | None = None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of ``method`` fail like Telegram would."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else "Bad Request: message can't be deleted"
            )
        self._failures[method.lower()].append(Failure(error_code, description, retry_after))

    def set_member(self, chat_id: int, user_id: int, status: str = "member", **fields: Any) -> None:
        """What ``getChatMember`` answers for this user in this chat."""
        self.members[(chat_id, user_id)] = {"status": status, **fields}

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for ``getUpdates``; gives it an ``update_id`` when it has none."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._new_update.set()
        return update

    def pending_updates(self) -> list[dict[str, Any]]:
        return [u for u in self._updates if u["update_id"] >= self.confirmed_offset]

    async def post_webhook(
        self, update: dict[str, Any], *, secret: str | None = "use-configured", url: str | None = None
    ) -> int:
        """POST an update to the registered webhook as Telegram does; returns the HTTP status."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret == "use-configured" else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        async with (
            aiohttp.ClientSession() as session,
            session.post(url or self.webhook["url"], data=json.dumps(update), headers=headers) as resp,
        ):
            await resp.read()
            return resp.status

    def new_message_id(self) -> int:
        return next(self._message_ids)

    # ----------------------------------------------------------------- serving
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        self._calls.append(Call(method, params, time.monotonic()))
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        queue = self._failures.get(method.lower())
        if queue:
            failure = queue.popleft()
            extra = {"retry_after": failure.retry_after} if failure.retry_after is not None else None
            return _error(failure.error_code, failure.description, extra)
        if method.lower() == "getupdates":
            if self.webhook.get("url"):
                return _error(409, "Conflict: can't use getUpdates method while webhook is active")
            return _ok(await self._get_updates(params))
        handler = fake_methods.HANDLERS.get(method.lower())
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            return _ok(handler(self, params))
        except fake_methods.ApiError as exc:
            return _error(exc.code, exc.description)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.confirmed_offset = max(self.confirmed_offset, offset)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            ready = self.pending_updates()[:limit]
            left = deadline - time.monotonic()
            if ready or left <= 0 or self._closing:
                return ready
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=left)
            except TimeoutError:
                return []


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    result: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            result[key] = {"filename": value.filename, "content": value.file.read()}
        elif key in _TEXT_FIELDS:
            result[key] = value
        else:
            try:
                result[key] = json.loads(value)
            except ValueError:
                result[key] = value
    return result


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
