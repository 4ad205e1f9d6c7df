"""Webhook mode: Telegram POSTs updates; each is in the inbox before Telegram gets its 200.

Requests without the right ``X-Telegram-Bot-Api-Secret-Token`` get 401 and nothing is stored;
a body that is not a JSON object (too large, too deep, not UTF-8) gets 400 with the reason.
When the database cannot take the update the answer is 503, and 429 while the backlog is over its
bound (both with ``Retry-After``), so Telegram delivers it again later.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.exceptions import AiogramError
from aiohttp import web

from bot.payloads import BadPayload, parse_json_object
from bot.receiver import Overloaded, Receiver
from bot.telegram import ALLOWED_UPDATES, PLATFORM
from bot.telegram.errors import action_failed
from moderation.errors import ConfigError, StorageError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
MAX_BODY = 1 << 20  # Telegram's updates are far smaller; more is not an update


def webhook_path(webhook_url: str) -> str:
    """The local path to serve: the public URL's path, or ``/telegram/webhook`` when it has none."""
    path = urlsplit(webhook_url).path
    return path if path not in ("", "/") else DEFAULT_PATH


class WebhookHandler:
    """The aiohttp handler for Telegram's POSTs.

    Args:
        receiver: stores and queues updates.
        secret: the secret token given to ``setWebhook``.
    """

    def __init__(self, receiver: Receiver, secret: str) -> None:
        if not secret:
            raise ConfigError("webhook mode needs DOZOR_TELEGRAM_WEBHOOK_SECRET (16-256 of A-Z a-z 0-9 _ -)")
        self.receiver = receiver
        self._secret = secret.encode()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request from %s without the right secret token refused", request.remote)
            return web.Response(status=401, text="wrong secret token")
        try:
            payload = parse_json_object(await request.read(), max_bytes=MAX_BODY)
        except BadPayload as exc:
            return web.Response(status=400, text=str(exc))
        update_id = payload.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return web.Response(status=400, text="a Telegram update must carry an integer update_id")
        try:
            await self.receiver.store(PLATFORM, [(str(update_id), payload)])
        except Overloaded as exc:
            return web.Response(status=429, text=str(exc), headers={"Retry-After": str(exc.retry_after)})
        except StorageError as exc:
            log.error("update %s not stored, Telegram will resend it: %s", update_id, exc)
            return web.Response(status=503, text="storage unavailable", headers={"Retry-After": "5"})
        return web.Response(status=200)


def add_webhook_route(app: web.Application, receiver: Receiver, webhook_url: str, secret: str) -> str:
    """Serve the webhook on ``app``; returns the local path."""
    path = webhook_path(webhook_url)
    app.router.add_post(path, WebhookHandler(receiver, secret).handle)
    return path


async def register_webhook(bot: Bot, webhook_url: str, secret: str) -> None:
    """Tell Telegram where to POST: with the secret token and only the update types Dozor uses.

    Raises:
        ConfigError: Telegram refused (e.g. the URL is not HTTPS or not reachable).
    """
    if not webhook_url:
        raise ConfigError("webhook mode needs DOZOR_TELEGRAM_WEBHOOK_URL (the public https:// address)")
    try:
        await bot.set_webhook(
            url=webhook_url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )
    except AiogramError as exc:
        raise ConfigError(
            f"{action_failed(exc, 'set the webhook')}; check DOZOR_TELEGRAM_WEBHOOK_URL"
        ) from exc
    log.info("webhook set to %s", webhook_url)
