"""Real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) over the running
service with the fake Bot API. One browser for all of them; each test gets a fresh
database, fake and service, run on an event loop in a thread of their own so the tests can use
Playwright's synchronous API. Locally the tests skip when Chromium is absent; under CI they fail.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.runner import Runner
from models.db import Database
from tests.e2e.fake_telegram import FakeTelegram
from tests.web.harness import make_runner, setup

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    # One browser for the module (all the browser tests): Playwright's synchronous API keeps an
    # event loop running in this thread while it is open, which other tests' set-up cannot share.
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium chromium-driver)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    # Playwright starts the browser with a fresh profile of its own (a new --user-data-dir).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Service:
    """The fake Bot API and the real service on an event loop in a thread."""

    def __init__(self, db_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.telegram = FakeTelegram()
        self.run(self.telegram.__aenter__())
        self.db = Database(db_url)
        self.run(self.db.upgrade())
        self.ids = self.run(setup(self.db, self.telegram))
        self.runner: Runner = make_runner(db_url, self.telegram)
        self.run(self.runner.start())
        assert self.runner.http is not None
        self.base = f"http://127.0.0.1:{self.runner.http.port}/web"

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.run(self.runner.stop())
        self.run(self.db.dispose())
        self.run(self.telegram.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(f"sqlite+aiosqlite:///{tmp_path / 'dozor.sqlite3'}")
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Where the screenshots go: the README's ``docs/`` with ``DOZOR_SCREENSHOTS=1`` (to refresh
    them), else a temporary folder (a test run leaves the working tree as it was)."""
    if os.environ.get("DOZOR_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        return DOCS
    return tmp_path
