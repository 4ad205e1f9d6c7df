"""The workspace's tests use the end-to-end fakes (the Bot API server) and, unless a module
serves its own, the service of ``tests.web.harness`` with two Telegram communities."""

from collections.abc import AsyncIterator

import pytest

from bot.runner import Runner
from models.db import Database
from tests.e2e.conftest import telegram
from tests.e2e.fake_telegram import FakeTelegram
from tests.web.harness import make_runner, setup

__all__ = ["service", "telegram"]


@pytest.fixture
async def service(database: Database, telegram: FakeTelegram) -> AsyncIterator[tuple[Runner, dict[str, int]]]:
    ids = await setup(database, telegram)
    runner = make_runner(database.url, telegram)
    await runner.start()
    yield runner, ids
    await runner.stop()
