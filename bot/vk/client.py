"""An async VK API client on aiohttp: form-encoded POST ``{base}/{method}``, API 5.199.

The access token travels in the ``Authorization: Bearer`` header: never in a URL (URLs end up
in proxy and access logs) and never in an error message or a log line. Each token has its own
rate limiter. Errors 1/6/10 and network trouble are retried here a few times with backoff;
everything else becomes an ``ActionFailed`` at once (``bot.vk.errors``).

Why not ``vk_api`` on this path: it is synchronous (a thread per call) and its long poll keeps
``ts`` in memory only; Dozor must persist ``ts`` with each stored batch.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

import aiohttp

from bot import backoff
from bot.vk.errors import USER_TOKEN_METHODS, api_error, missing_user_token
from bot.vk.ratelimit import GROUP_PER_SECOND, USER_PER_SECOND, RateLimiter
from config.settings import VK_API_VERSION, VkSettings
from moderation.errors import ActionFailed, ConfigError

log = logging.getLogger(__name__)

Token = Literal["group", "user"]
MAX_EXECUTE = 25  # API calls one ``execute`` request may make
# What readers see goes first when a token's requests wait for their turn: removals (0) before
# bans, messages and everything else (1).
REMOVALS = frozenset(
    {
        "wall.deleteComment",
        "photos.deleteComment",
        "video.deleteComment",
        "market.deleteComment",
        "board.deleteComment",
        "messages.delete",
    }
)


def priority_of(methods: Sequence[str]) -> int:
    """A request's turn among those waiting for its token: 0 when it removes anything."""
    return 0 if any(m in REMOVALS for m in methods) else 1


DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)


def encode(params: Mapping[str, Any]) -> dict[str, str]:
    """VK's form encoding: lists comma-joined, booleans 1/0, mappings as JSON, None left out."""
    form: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            form[key] = "1" if value else "0"
        elif isinstance(value, list | tuple | set | frozenset):
            form[key] = ",".join(str(v) for v in value)
        elif isinstance(value, Mapping):
            form[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        else:
            form[key] = str(value)
    return form


class VkClient:
    """Calls VK methods with the community token or a moderator's user token.

    Args:
        group_token: the community access token.
        user_token: a community moderator's user token, when the operator set one.
        api_url: the method base URL (``https://api.vk.ru/method``; the tests' fake elsewhere).
        retries: extra attempts for transient errors (VK 1/6/10, network, HTTP 5xx).
        backoff: first pause between attempts; doubled each time.
        timeout: the aiohttp timeout of one request.
    """

    def __init__(
        self,
        group_token: str,
        *,
        user_token: str | None = None,
        api_url: str = "https://api.vk.ru/method",
        version: str = VK_API_VERSION,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.version = version
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._tokens: dict[Token, str | None] = {"group": group_token, "user": user_token}
        self.limiters: dict[Token, RateLimiter] = {
            "group": RateLimiter(GROUP_PER_SECOND),
            "user": RateLimiter(USER_PER_SECOND),
        }
        self._session = session
        self._own_session = session is None
        # Pacing across processes sharing a token (``bot.coordination``): the seconds a request
        # with that kind of token waits for its turn; None: this process paces alone.
        self.pace: Callable[[Token, str], Awaitable[float]] | None = None

    @classmethod
    def from_settings(cls, settings: VkSettings, **kwargs: Any) -> VkClient:
        """A client for configured VK settings.

        Raises:
            ConfigError: VK is not configured (no community token).
        """
        if settings.group_token is None:
            raise ConfigError("DOZOR_VK_GROUP_TOKEN is not set; create a community token and put it there")
        user = settings.user_token.get_secret_value() if settings.user_token else None
        return cls(
            settings.group_token.get_secret_value(), user_token=user, api_url=settings.api_url, **kwargs
        )

    @property
    def has_user_token(self) -> bool:
        return bool(self._tokens["user"])

    def set_user_token(self, token: str | None) -> None:
        """Use a new moderator's user token from now on (None forgets it)."""
        self._tokens["user"] = token or None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
            self._own_session = True
        return self._session

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()

    def scrub(self, text: str) -> str:
        """``text`` with every token replaced by ``***`` (for anything that may be logged)."""
        for token in self._tokens.values():
            if token:
                text = text.replace(token, "***")
        return text

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        token: Token | None = None,
        what: str | None = None,
    ) -> Any:
        """Call a VK method and return its ``response``.

        Args:
            method: e.g. "messages.send".
            params: the method's parameters (``encode`` rules apply).
            token: "group" or "user"; by default "user" for ``USER_TOKEN_METHODS``.
            what: the action in plain words for error messages (default: "call <method>").

        Raises:
            ActionFailed: a ``VkApiError`` for VK's refusals; ``needs="vk_user_token"`` when a
                user-token method has no user token; a transient failure when VK stays
                unreachable after the retries.
        """
        return (await self._request(method, params, token=token, what=what))["response"]

    async def execute(
        self, calls: Sequence[tuple[str, Mapping[str, Any]]], *, token: Token, what: str
    ) -> list[Any]:
        """Up to ``MAX_EXECUTE`` calls in one request (VK's ``execute``), on one token.

        Returns each call's answer in its place, or the ``ActionFailed`` of a call VK refused
        (VK answers ``false`` there and lists the errors in order in ``execute_errors``).

        Raises:
            ActionFailed: the request as a whole failed (as ``call`` does).
        """
        if not 0 < len(calls) <= MAX_EXECUTE:
            raise ValueError(f"execute takes 1 to {MAX_EXECUTE} calls, not {len(calls)}")
        code = "return [" + ",".join(f"API.{m}({_vkscript(p)})" for m, p in calls) + "];"
        urgency = priority_of([m for m, _ in calls])
        body = await self._request("execute", {"code": code}, token=token, what=what, priority=urgency)
        answers = body["response"] if isinstance(body.get("response"), list) else []
        errors = iter(body.get("execute_errors") or [])
        results: list[Any] = []
        for (method, _), answer in zip(calls, answers + [False] * (len(calls) - len(answers)), strict=True):
            if answer is not False:
                results.append(answer)
                continue
            error = next(errors, None) or {}
            results.append(
                api_error(
                    _int(error.get("error_code")),
                    self.scrub(str(error.get("error_msg", "no answer for this call"))),
                    method,
                    what=what,
                    user_token=token == "user",
                )
            )
        return results

    async def _request(
        self,
        method: str,
        params: Mapping[str, Any] | None,
        *,
        token: Token | None,
        what: str | None,
        priority: int | None = None,
    ) -> dict[str, Any]:
        kind: Token = token or ("user" if method in USER_TOKEN_METHODS else "group")
        what = what or f"call {method}"
        secret = self._tokens[kind]
        if not secret:
            raise missing_user_token(method, what)
        form = encode(params or {})
        form["v"] = self.version
        headers = {"Authorization": f"Bearer {secret}"}
        url = f"{self.api_url}/{method}"
        attempt = 0
        while True:
            await self.limiters[kind].acquire(priority_of([method]) if priority is None else priority)
            if self.pace is not None:
                await asyncio.sleep(await self.pace(kind, secret))
            try:
                body = await self._post(url, form, headers)
            except _Transient as exc:
                problem: ActionFailed = ActionFailed(
                    f"cannot {what}: VK is unreachable or failing ({self.scrub(str(exc))}); will retry"
                )
            else:
                error = body.get("error") if isinstance(body, dict) else None
                if error is None and isinstance(body, dict) and "response" in body:
                    return body
                if not isinstance(error, dict):
                    problem = ActionFailed(f"cannot {what}: VK answered something unexpected; will retry")
                else:
                    problem = api_error(
                        _int(error.get("error_code")),
                        self.scrub(str(error.get("error_msg", ""))),
                        method,
                        what=what,
                        user_token=kind == "user",
                    )
            transient = not problem.permanent and problem.retry_after is None and problem.needs is None
            if not transient or attempt >= self.retries:
                log.warning("vk: %s", problem)
                raise problem
            attempt += 1
            delay = backoff.delay(attempt, base=self.backoff, cap=30.0)
            log.info("vk: %s; attempt %d again in %.1f s", method, attempt + 1, delay)
            await asyncio.sleep(delay)

    async def _post(self, url: str, form: dict[str, str], headers: dict[str, str]) -> Any:
        try:
            async with self.session.post(url, data=form, headers=headers, timeout=self.timeout) as resp:
                if resp.status >= 500 or resp.status == 429:
                    raise _Transient(f"HTTP {resp.status}")
                if resp.status != 200:
                    raise _Transient(f"HTTP {resp.status} from {url}")
                text = await resp.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        try:
            return json.loads(text)
        except ValueError as exc:
            raise _Transient("the answer is not JSON") from exc


def _vkscript(params: Mapping[str, Any]) -> str:
    """A call's parameters as a VKScript object literal (JSON is valid VKScript), encoded as
    ``encode`` does for a form: lists comma-joined, booleans 1/0, None left out."""
    plain: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            plain[key] = int(value)
        elif isinstance(value, list | tuple | set | frozenset):
            plain[key] = ",".join(str(v) for v in value)
        elif isinstance(value, int | float | str):
            plain[key] = value
        else:
            plain[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(plain, separators=(",", ":"))


class _Transient(Exception):
    """A failure of the transport (network, HTTP 5xx, garbage): worth another attempt."""


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
