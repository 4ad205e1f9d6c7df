"""Building the aiogram ``Bot`` from settings (custom Bot API server, no parse mode)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer

from config.settings import TelegramSettings
from moderation.errors import ConfigError


def api_server(base_url: str | None) -> TelegramAPIServer:
    """Telegram's own servers, or a self-hosted Bot API server (and the tests' fake) at ``base_url``."""
    return TelegramAPIServer.from_base(base_url) if base_url else PRODUCTION


def make_bot(settings: TelegramSettings) -> Bot:
    """An aiogram bot for these settings; the caller closes ``bot.session``.

    Raises:
        ConfigError: when no token is set.
    """
    if settings.token is None:
        raise ConfigError(
            "DOZOR_TELEGRAM_TOKEN is not set; create a bot with @BotFather and put its token there"
        )
    session = AiohttpSession(api=api_server(settings.api_server))
    # Dozor's texts quote user text verbatim: no parse mode, so nothing is read as markup.
    return Bot(
        token=settings.token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=None, link_preview_is_disabled=True),
    )
