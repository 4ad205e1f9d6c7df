"""Wiring the workspace into the service: the links the use cases hand out, and the routes."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from bot.adapter import Adapter
from bot.web import mount
from bot.web.site import Site
from config.settings import Settings
from handlers.context import Context
from handlers.links import Links
from models import web as web_store
from models.db import Database


async def build_links(settings: Settings, adapters: Sequence[Adapter], db: Database) -> Links:
    """The links of this process: the workspace's (when ``DOZOR_WEB_URL`` is set) and Telegram's
    deep links (whenever Telegram is served: the appeal button needs no web page)."""
    web_settings = settings.web
    secret = web_settings.secret.get_secret_value() if web_settings.secret else ""
    if web_settings.enabled and not secret:
        async with db.transaction() as session:
            secret = await web_store.secret(session)
    telegram = next((a for a in adapters if a.platform == "telegram"), None)
    bot = getattr(telegram, "username", None)
    chats = {"telegram": f"https://t.me/{bot}?start={{payload}}"} if bot else {}
    apps = (
        {"telegram": f"https://t.me/{bot}/{web_settings.telegram_app}?startapp={{payload}}"}
        if bot and web_settings.telegram_app
        else {}
    )
    return Links(
        base_url=web_settings.url,
        secret=secret,
        private_chat=chats,
        mini_app=apps,
        link_minutes=web_settings.link_minutes,
        appeal_days=web_settings.appeal_days,
    )


def mount_workspace(app: web.Application, settings: Settings, ctx: Context, links: Links) -> None:
    """Serve the workspace on ``app``; nothing at all when it is not configured."""
    if not settings.web.enabled:
        return
    token = settings.telegram.token.get_secret_value() if settings.telegram.token else None
    site = Site(ctx, settings.web, links, bot_token=token, default_language=settings.moderation.language)
    mount(app, site)
