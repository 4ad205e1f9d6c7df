"""The long-running service: wires the database, engine, use cases, executor and Telegram.

Start-up order matters for "nothing lost, nothing done twice": migrations first, then the
inbox left over from a previous run is drained, and only then are new updates received. On
SIGTERM/SIGINT receiving stops first; the update in hand and the action in hand finish, the
rest stays in the inbox and outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramUnauthorizedError
from sqlalchemy import text

from bot.executor import Executor
from bot.pipeline import Pipeline
from bot.scoring import load_scorer
from bot.telegram import PLATFORM
from bot.telegram.actions import TelegramActions
from bot.telegram.client import make_bot
from bot.telegram.http import HttpServer
from bot.telegram.polling import Poller
from bot.telegram.ratelimit import ChatRateLimiter
from bot.telegram.receiver import Receiver
from bot.telegram.translate import translate
from bot.telegram.webhook import add_webhook_route, register_webhook
from config.settings import Settings, TelegramMode
from handlers.service import Dozor
from models.db import Database
from moderation.engine import Engine
from moderation.errors import ConfigError, DozorError, ModelError

log = logging.getLogger(__name__)


async def retrain(model_dir: str, db_url: str) -> int:
    """Train a new model version from the seed corpus and moderators' decisions.

    It runs in a child process, so the event loop keeps serving while scikit-learn works; the
    reload job then picks the new version up. Returns 1 when a new version was written.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "model", "train", "--from-history", "--out", model_dir,
        env={**os.environ, "DOZOR_DB_URL": db_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise ModelError(f"scheduled retraining failed: {output.decode(errors='replace')[-500:]}")
    return 1


class Runner:
    """One Dozor process serving every Telegram group the bot is in.

    Args:
        settings: all settings; ``settings.telegram.token`` must be set.
        engine: the decision engine (default: rules with the classifier of ``bot.scoring``).
        limiter: spacing of Dozor's own messages (default: Telegram's limits).
        remind_every / reload_every / purge_every: seconds between the periodic jobs (escalation
            reminders, looking for a new model version, retention).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        limiter: ChatRateLimiter | None = None,
        remind_every: float = 60.0,
        reload_every: float = 30.0,
        purge_every: float = 24 * 3600.0,
        poll_timeout: int = 30,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self._limiter = limiter
        self.remind_every = remind_every
        self.reload_every = reload_every
        self.purge_every = purge_every
        self.poll_timeout = poll_timeout
        self.stop_event = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.db: Database | None = None
        self.bot: Bot | None = None
        self.http: HttpServer | None = None

    async def start(self) -> None:
        """Build everything, drain the inbox, then start receiving. Raises ConfigError on bad setup."""
        tg = self.settings.telegram
        self.db = db = Database(self.settings.database.url, echo=self.settings.database.echo)
        await db.upgrade()
        self.bot = bot = make_bot(tg)
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError as exc:
            raise ConfigError(
                "Telegram rejected DOZOR_TELEGRAM_TOKEN; copy it from @BotFather again"
            ) from exc
        except AiogramError as exc:
            raise ConfigError(f"cannot reach Telegram to check the token: {exc}") from exc
        self.actions = TelegramActions(bot, self._limiter)
        self.scorer, about = load_scorer(self.settings.moderation.model_dir)
        log.info("%s", about)
        engine = self._engine if self._engine is not None else Engine(self.scorer)
        # The model's lookup tables are large and live for the whole run: keeping them out of
        # the collector's scans shortens its pauses on the hot path.
        gc.collect()
        gc.freeze()
        self.executor: Executor | None = None
        self.dozor = Dozor(
            db,
            {PLATFORM: self.actions},
            engine,
            self.settings.moderation,
            bot_user_id=str(me.id),
            wake=self._wake,
        )
        self.executor = Executor(db, {PLATFORM: self.actions}, self.dozor.hooks)
        translator = functools.partial(translate, bot_username=me.username)
        self.pipeline = Pipeline(db, self.dozor.handle, {PLATFORM: translator})
        self.receiver = Receiver(self.pipeline, on_processed=self._wake)
        drained = await self.pipeline.drain_pending()
        if drained:
            log.info("processed %d update(s) left in the inbox by the previous run", drained)
        self.http = HttpServer(tg.listen_host, tg.listen_port, self._health)
        stop = self.stop_event
        jobs: list[Awaitable[None]] = [
            self.receiver.run(stop),
            self.executor.run_forever(stop),
            self._every(self.remind_every, self.dozor.remind_due, "escalation reminders"),
            self._every(self.purge_every, self.dozor.purge_old_text, "retention"),
        ]
        if self.scorer is not None:
            jobs.append(self._every(self.reload_every, self._reload_model, "new model version"))
        if self.settings.moderation.retrain_hours:
            model_dir, db_url = str(self.settings.moderation.model_dir), self.settings.database.url
            jobs.append(
                self._every(
                    self.settings.moderation.retrain_hours * 3600.0,
                    lambda: retrain(model_dir, db_url),
                    "scheduled retraining",
                )
            )
        if tg.mode is TelegramMode.WEBHOOK:
            secret = tg.webhook_secret.get_secret_value() if tg.webhook_secret else ""
            add_webhook_route(self.http.app, self.receiver, tg.webhook_url or "", secret)
            await self.http.start()
            await register_webhook(bot, tg.webhook_url or "", secret)
        else:
            await self.http.start()
            self.poller = Poller(bot, self.receiver, timeout=self.poll_timeout)
            jobs.append(self.poller.run(stop))
        self._tasks = [asyncio.ensure_future(self._guard(job)) for job in jobs]
        log.info("Dozor is running as @%s (%s mode)", me.username, tg.mode.value)

    async def _reload_model(self) -> int:
        """Pick up a model version written by `dozor model train` without a restart."""
        assert self.scorer is not None
        changed = await asyncio.to_thread(self.scorer.reload_if_changed)
        if changed:
            log.info("now scoring with model %s", self.scorer.version)
        return int(changed)

    def _wake(self) -> None:
        if self.executor is not None:
            self.executor.wake()

    async def _guard(self, job: Awaitable[None]) -> None:
        """A job that dies stops the whole service (the supervisor restarts it) instead of limping."""
        try:
            await job
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a service task failed; shutting down")
            self.stop_event.set()
            raise

    async def _every(self, seconds: float, job: Callable[[], Awaitable[int]], name: str) -> None:
        while not self.stop_event.is_set():
            try:
                done = await job()
                if done:
                    log.info("%s: %d", name, done)
            except DozorError as exc:
                log.error("%s failed: %s", name, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop_event.wait(), timeout=seconds)

    async def _health(self) -> str | None:
        if self.db is None:
            return "starting"
        if any(t.done() for t in self._tasks) and not self.stop_event.is_set():
            return "a service task stopped"
        try:
            async with self.db.transaction() as session:
                await session.execute(text("SELECT 1"))
        except DozorError as exc:
            return f"database: {exc}"
        return None

    async def wait(self) -> None:
        """Until ``stop()`` (or a failed task); re-raises a task's error after shutting down."""
        await self.stop_event.wait()
        await self.stop()

    async def stop(self) -> None:
        """Graceful shutdown: stop receiving, let work in hand finish, close connections."""
        self.stop_event.set()
        results = await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self.http is not None:
            await self.http.stop()
            self.http = None
        if self.bot is not None:
            await self.bot.session.close()
            self.bot = None
        if self.db is not None:
            await self.db.dispose()
            self.db = None
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result


async def serve(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT."""
    runner = Runner(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, runner.stop_event.set)
    try:
        await runner.start()
    except BaseException:
        await runner.stop()
        raise
    await runner.wait()


def run_service(settings: Settings) -> int:
    """The body of ``dozor run``: returns the process exit code."""
    asyncio.run(serve(settings))
    log.info("Dozor stopped")
    return 0
