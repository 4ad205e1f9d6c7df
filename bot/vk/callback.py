"""Callback API mode: VK POSTs each event; it is in the inbox before VK reads ``ok``.

- ``confirmation`` is answered with the configured code (VK's handshake when the server is added).
- Every other request must carry its community's ``secret`` (compared in constant time); without
  it, or for a community this process does not serve, the answer is 403 and nothing is stored.
- Many communities share one path: every request names its ``group_id``.
- The event is stored under ``group_id:event_id`` (VK re-sends the same ``event_id`` when the answer
  is slow or lost, and the inbox keeps one row); the secret itself is not stored.
- ``ok`` (plain text, 200) only after the store committed. While the database is down the answer
  is 503 with ``Retry-After``; while the backlog is over its bound, 429 with ``Retry-After``: VK
  delivers the event again later.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from bot.payloads import BadPayload, parse_json_object
from bot.receiver import Overloaded
from bot.vk import EVENT_TYPES, PLATFORM, event_key
from moderation.errors import ConfigError, StorageError

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # VK's events are a few KB; a megabyte is a generous cap
STORAGE_RETRY_AFTER = 5  # seconds VK is asked to wait while the database is down


class Store(Protocol):
    """``bot.receiver.Receiver.store``: commit events (and a cursor) in one transaction.

    Raises ``StorageError`` while the database is down, ``Overloaded`` over the backlog bound.
    """

    def __call__(
        self,
        platform: str,
        events: Sequence[tuple[str, dict[str, Any]]],
        *,
        cursor: tuple[str, str] | None = None,
    ) -> Awaitable[int]: ...


@dataclass(frozen=True)
class CallbackCommunity:
    """What the Callback handler needs of one community: its handshake string and secret."""

    confirmation_code: str
    secret: str


def add_callback_route(
    app: web.Application, path: str, store: Store, communities: Mapping[int, CallbackCommunity]
) -> None:
    """Serve the Callback API of ``communities`` on ``path`` (they are told apart by ``group_id``).

    Raises:
        ConfigError: a community's confirmation code or secret is empty.
    """
    app.router.add_post(path, callback_handler(store, communities))


def callback_handler(
    store: Store, communities: Mapping[int, CallbackCommunity]
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler VK's Callback API posts to.

    Raises:
        ConfigError: a community's confirmation code or secret is empty.
    """
    for group_id, community in communities.items():
        if not community.confirmation_code:
            raise ConfigError(
                f"VK community {group_id} in callback mode needs its confirmation code "
                "(DOZOR_VK_CONFIRMATION_CODE, shown on the Callback API page)"
            )
        if not community.secret:
            raise ConfigError(
                f"VK community {group_id} in callback mode needs its secret key (DOZOR_VK_SECRET: set "
                "the same secret key on the Callback API page)"
            )

    async def handle(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            payload = parse_json_object(await request.content.read(MAX_BODY + 1), max_bytes=MAX_BODY)
        except BadPayload as exc:
            return web.Response(status=400, text=str(exc))
        group_id = _int(payload.get("group_id"))
        community = communities.get(group_id)
        if payload.get("type") == "confirmation":
            if community is None:
                log.warning("vk: confirmation for community %r refused", payload.get("group_id"))
                return web.Response(status=403, text="unknown community")
            return web.Response(text=community.confirmation_code)
        given = str(payload.pop("secret", "")).encode("utf-8", "replace")
        if community is None or not hmac.compare_digest(given, community.secret.encode()):
            log.warning("vk: callback from %s without the right secret refused", request.remote)
            return web.Response(status=403, text="wrong secret")
        event_id = payload.get("event_id")
        if not isinstance(event_id, str) or not event_id:
            return web.Response(status=400, text="no event_id")
        if payload.get("type") not in EVENT_TYPES:
            return web.Response(text="ok")  # a type Dozor does not use: acknowledged, not stored
        try:
            await store(PLATFORM, [(event_key(group_id, event_id), payload)])
        except (StorageError, OSError) as exc:  # OSError: a database server refusing connections
            log.error("vk event %s not stored, VK will resend it: %s", event_id, exc)
            return web.Response(
                status=503, text="storage unavailable", headers={"Retry-After": str(STORAGE_RETRY_AFTER)}
            )
        except Overloaded as exc:
            wait = max(1, round(exc.retry_after))
            return web.Response(status=429, text=str(exc), headers={"Retry-After": str(wait)})
        return web.Response(text="ok")

    return handle


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
