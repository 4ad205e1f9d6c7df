"""``TelegramAdapter``: what the runner needs from Telegram, behind the ``bot.adapter`` shape."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramUnauthorizedError
from aiohttp import web

from bot.coordination import Coordination
from bot.receiver import Receiver
from bot.telegram import PLATFORM
from bot.telegram.actions import TelegramActions
from bot.telegram.client import make_bot
from bot.telegram.polling import Poller
from bot.telegram.ratelimit import ChatRateLimiter
from bot.telegram.translate import translate
from bot.telegram.webhook import add_webhook_route, register_webhook
from config.settings import TelegramMode, TelegramSettings
from handlers.updates import Update
from moderation.errors import ConfigError
from moderation.ports import Actions

log = logging.getLogger(__name__)


class TelegramAdapter:
    """One Telegram bot: its actions, its translator and its way of receiving updates.

    Args:
        settings: the DOZOR_TELEGRAM_* section (a token is required).
        limiter: spacing of Dozor's own messages (default: Telegram's limits).
        poll_timeout: long-poll seconds per getUpdates in polling mode.
    """

    platform = PLATFORM

    def __init__(
        self, settings: TelegramSettings, *, limiter: ChatRateLimiter | None = None, poll_timeout: int = 30
    ) -> None:
        self.settings = settings
        self.limiter = limiter
        self.poll_timeout = poll_timeout
        self.bot: Bot | None = None
        self.actions: TelegramActions | None = None
        self.bot_user_id: str | None = None
        self._username: str | None = None

    async def connect(self, coordination: Coordination | None = None) -> None:
        """Check the token with getMe. Raises ConfigError when Telegram refuses it. (One bot
        token is polled by one process, as Telegram itself insists; webhooks scale out.)"""
        self.bot = bot = make_bot(self.settings)
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError as exc:
            raise ConfigError(
                "Telegram rejected DOZOR_TELEGRAM_TOKEN; copy it from @BotFather again"
            ) from exc
        except AiogramError as exc:
            raise ConfigError(f"cannot reach Telegram to check the token: {exc}") from exc
        self.bot_user_id, self._username = str(me.id), me.username
        self.actions = TelegramActions(bot, self.limiter)

    @property
    def username(self) -> str | None:
        """The bot's @username (known after ``connect``): deep links and Mini App links need it."""
        return self._username

    @property
    def ports(self) -> Mapping[str, Actions]:
        """One bot serves every group it is in."""
        return {PLATFORM: self.actions} if self.actions is not None else {}

    async def prepare(self, payloads: list[dict[str, Any]]) -> None:
        """Nothing: Telegram's updates carry names themselves."""

    def translate(self, payload: dict[str, Any]) -> Sequence[Update]:
        return translate(payload, bot_username=self._username)

    def add_routes(self, app: web.Application, receiver: Receiver) -> None:
        if self.settings.mode is TelegramMode.WEBHOOK:
            secret = self.settings.webhook_secret.get_secret_value() if self.settings.webhook_secret else ""
            add_webhook_route(app, receiver, self.settings.webhook_url or "", secret)

    async def listening(self) -> None:
        """The HTTP server is up: in webhook mode, tell Telegram where to post."""
        if self.settings.mode is TelegramMode.WEBHOOK:
            assert self.bot is not None
            secret = self.settings.webhook_secret.get_secret_value() if self.settings.webhook_secret else ""
            await register_webhook(self.bot, self.settings.webhook_url or "", secret)

    def jobs(self, receiver: Receiver, stop: asyncio.Event) -> list[Awaitable[None]]:
        """Long-running receiving work: the getUpdates loop in polling mode."""
        if self.settings.mode is TelegramMode.WEBHOOK:
            return []
        assert self.bot is not None
        return [Poller(self.bot, receiver, timeout=self.poll_timeout).run(stop)]

    def titles(self) -> dict[str, str]:
        """None up front: a group's title arrives with its updates."""
        return {}

    def describe(self) -> str:
        return f"Telegram as @{self._username} ({self.settings.mode.value} mode)"

    async def close(self) -> None:
        if self.bot is not None:
            await self.bot.session.close()
            self.bot = None
