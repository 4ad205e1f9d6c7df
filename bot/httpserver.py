"""The HTTP server every adapter shares: webhooks, ``/healthz`` for HEALTHCHECK, ``/metrics``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.metrics import metrics_handler

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[str | None]]


def health_handler(check: HealthCheck) -> Callable[[web.Request], Awaitable[web.Response]]:
    """``GET /healthz``: 200 "ok", or 503 with what is wrong (``check`` returns a problem or None)."""

    async def healthz(_request: web.Request) -> web.Response:
        problem = await check()
        if problem:
            return web.Response(status=503, text=problem)
        return web.Response(status=200, text="ok")

    return healthz


class HttpServer:
    """An aiohttp application on one host and port; routes are added before ``start``.

    Args:
        host: bind address (``0.0.0.0`` in a container).
        port: TCP port; 0 picks a free one (tests), see ``port`` after ``start``.
        health: the health check behind ``/healthz``.
    """

    def __init__(self, host: str, port: int, health: HealthCheck) -> None:
        self.host = host
        self.port = port
        self.app = web.Application()
        self.app.router.add_get("/healthz", health_handler(health))
        self.app.router.add_get("/metrics", metrics_handler)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None and getattr(server, "sockets", None):
            self.port = server.sockets[0].getsockname()[1]
        log.info("listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
