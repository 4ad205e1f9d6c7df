"""The shape of a platform adapter, as the runner uses it. Telegram and VK each provide one.

An adapter translates and carries out; it decides nothing. The runner holds one per configured
platform (either or both in one process; one VK adapter serves every VK community configured)
and wires each into the shared inbox, HTTP server and executor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Protocol

from aiohttp import web

from bot.coordination import Coordination
from bot.receiver import Receiver
from handlers.updates import Update
from moderation.ports import Actions


class Adapter(Protocol):
    platform: str  # the ``Platform`` value its events, communities and outbox rows carry
    bot_user_id: str | None  # Dozor's own account on the platform, when it has one

    @property
    def ports(self) -> Mapping[str, Actions]:
        """Its ``Actions`` once connected, keyed as ``moderation.ports.connection`` reads them:
        ``"<platform>"`` for one serving every community, ``"<platform>:<community>"`` each."""

    async def connect(self, coordination: Coordination | None = None) -> None:
        """Check credentials and build the client. Raises ``ConfigError`` with what to fix.

        ``coordination``: what processes sharing the database agree on (``bot.coordination``)."""

    async def prepare(self, payloads: list[dict[str, Any]]) -> None:
        """Complete a batch of stored events before they are translated (best effort, bounded;
        nothing that calls a platform happens before an event is stored)."""

    def translate(self, payload: dict[str, Any]) -> Sequence[Update]:
        """A stored raw event → the platform-neutral updates it carries."""

    def add_routes(self, app: web.Application, receiver: Receiver) -> None:
        """Add webhook routes to the shared HTTP server (before it starts)."""

    async def listening(self) -> None:
        """The HTTP server is up (e.g. register the webhook with the platform)."""

    def jobs(self, receiver: Receiver, stop: asyncio.Event) -> list[Awaitable[None]]:
        """Long-running receiving work (polling loops) that stops with ``stop``."""

    def titles(self) -> dict[str, str]:
        """The communities it knows by name once connected (platform id → title), registered at
        start so that cards and reports name them from the first event on."""

    def describe(self) -> str:
        """One line for the start-up log."""

    async def close(self) -> None:
        """Release connections."""
