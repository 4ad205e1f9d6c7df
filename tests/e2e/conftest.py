"""Fixtures for the end-to-end tests: the fake Bot API server and a real aiogram bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot

from bot.telegram.actions import TelegramActions
from bot.telegram.client import make_bot
from bot.telegram.ratelimit import NoLimit
from config.settings import TelegramSettings
from tests.e2e.fake_telegram import TOKEN, FakeTelegram


@pytest.fixture(autouse=True)
def _template_first(sqlite_template: Path) -> None:
    """Migrate the SQLite template before any event loop runs (it uses ``asyncio.run``)."""


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


def settings_for(server: FakeTelegram, **extra: object) -> TelegramSettings:
    return TelegramSettings(token=TOKEN, api_server=server.base_url, **extra)  # type: ignore[arg-type]


@pytest.fixture
async def tg_bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    bot = make_bot(settings_for(telegram))
    yield bot
    await bot.session.close()


@pytest.fixture
def tg_actions(tg_bot: Bot) -> TelegramActions:
    return TelegramActions(tg_bot, limiter=NoLimit())
