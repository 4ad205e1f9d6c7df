"""Fixtures for the end-to-end tests: the fake Bot API server and a real aiogram bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiogram import Bot

from bot.telegram.actions import TelegramActions
from bot.telegram.client import make_bot
from bot.telegram.ratelimit import NoLimit
from bot.vk.client import VkClient
from config.settings import TelegramSettings
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.fake_vk import GROUP_TOKEN, USER_TOKEN, FakeVk
from tests.e2e.threaded import in_thread


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


@pytest.fixture
def threaded_telegram() -> Iterator[FakeTelegram]:
    """The fake server on its own loop in a thread, for the synchronous CLI."""
    yield from in_thread(FakeTelegram())


@pytest.fixture
def threaded_vk() -> Iterator[FakeVk]:
    """The fake VK API on its own loop in a thread, for the synchronous CLI (``on_loop`` to drive it)."""
    yield from in_thread(FakeVk())


# ---------------------------------------------------------------------------- VK
@pytest.fixture
async def vk() -> AsyncIterator[FakeVk]:
    """The fake VK API server."""
    async with FakeVk() as server:
        yield server


@pytest.fixture
async def vk_client(vk: FakeVk) -> AsyncIterator[VkClient]:
    """Dozor's VK client pointed at the fake, with both tokens and quick retries."""
    client = VkClient(GROUP_TOKEN, user_token=USER_TOKEN, api_url=vk.api_url, backoff=0.01)
    yield client
    await client.close()
