"""The long-running service: wires the database, engine, use cases, executor and platforms.

Start-up: migrations (waiting for the database if it is not up yet), each platform adapter
checks its credentials, then the shared HTTP server comes up and receiving starts; what a
previous run left in the inbox and outbox drains through the same workers as new events. On
SIGTERM/SIGINT receiving stops; work in hand gets a few seconds, the rest stays in the inbox
and outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import text

from bot import stopping
from bot.adapter import Adapter
from bot.backoff import Backoff
from bot.coordination import Coordination
from bot.dryrun import DryRun
from bot.executor import Executor
from bot.httpserver import HttpServer
from bot.pipeline import Pipeline
from bot.receiver import Receiver
from bot.scoring import load_scorer
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.ratelimit import ChatRateLimiter
from bot.web.wiring import build_links, mount_workspace
from config.settings import NO_PLATFORM, Settings
from handlers.service import Dozor
from models import communities, inbox, outbox
from models.base import utcnow
from models.db import Database
from moderation.engine import Engine
from moderation.errors import ConfigError, DozorError, ModelError, StorageError
from moderation.ports import Actions

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
    """One Dozor process serving every Telegram group and VK community it is configured for.

    Args:
        settings: all settings; at least one platform must be configured.
        engine: the decision engine (default: rules with the classifier of ``bot.scoring``).
        adapters: the platform adapters (default: one per platform configured in ``settings``).
        limiter: spacing of Dozor's own Telegram messages (default: Telegram's limits).
        remind_every / reload_every / purge_every / digest_every: seconds between the periodic
            jobs (escalation reminders and join-check expiry, looking for a new model version,
            retention, scheduled digests).
        shutdown_grace: seconds work in hand may take to finish after SIGTERM before it is cut.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        adapters: Sequence[Adapter] | None = None,
        limiter: ChatRateLimiter | None = None,
        remind_every: float = 60.0,
        reload_every: float = 30.0,
        purge_every: float = 24 * 3600.0,
        digest_every: float = 300.0,
        poll_timeout: int = 30,
        shutdown_grace: float = 5.0,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self.adapters: list[Adapter] = (
            list(adapters) if adapters is not None else build_adapters(settings, limiter, poll_timeout)
        )
        self.remind_every = remind_every
        self.reload_every = reload_every
        self.purge_every = purge_every
        self.digest_every = digest_every
        self.shutdown_grace = shutdown_grace
        self.stop_event = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.db: Database | None = None
        self.http: HttpServer | None = None
        self.executor: Executor | None = None
        self.receiver: Receiver | None = None

    async def start(self) -> None:
        """Build everything and start serving. Raises ConfigError on bad setup.

        The HTTP server (webhooks, health) comes up before anything left by a previous run is
        processed: that backlog drains through the same inbox worker as new events.
        """
        self.db = db = Database(self.settings.database.url, echo=self.settings.database.echo)
        await self._upgrade(db)
        await self._release_leases(db)
        coordination = Coordination(db)
        for adapter in self.adapters:
            await adapter.connect(coordination)
        await self._register_titles(db)
        actions: dict[str, Actions] = {key: port for a in self.adapters for key, port in a.ports.items()}
        if self.settings.moderation.dry_run:
            log.warning("DRY RUN: decisions are made and stored; nothing is done on any platform")
            actions = {key: DryRun(port, key) for key, port in actions.items()}
        self.scorer, about = load_scorer(self.settings.moderation.model_dir)
        log.info("%s", about)
        engine = self._engine if self._engine is not None else Engine(self.scorer)
        # The model's lookup tables are large and live for the whole run: keeping them out of
        # the collector's scans shortens its pauses on the hot path.
        gc.collect()
        gc.freeze()
        links = await build_links(self.settings, self.adapters, db)
        self.dozor = Dozor(
            db,
            actions,
            engine,
            self.settings.moderation,
            bot_user_ids={a.platform: a.bot_user_id for a in self.adapters if a.bot_user_id},
            wake=self._wake,
            links=links,
        )
        self.executor = Executor(db, actions, self.dozor.hooks)
        self.pipeline = Pipeline(
            db,
            self.dozor.handle,
            {a.platform: a.translate for a in self.adapters},
            moderate=self.dozor.moderate,
            prepare={a.platform: a.prepare for a in self.adapters},
        )
        self.receiver = Receiver(
            self.pipeline, on_processed=self._wake, max_backlog=self.settings.http.max_backlog
        )
        self.http = HttpServer(self.settings.http.host, self.settings.http.port, self._health)
        for adapter in self.adapters:
            adapter.add_routes(self.http.app, self.receiver)
        mount_workspace(self.http.app, self.settings, self.dozor.ctx, links)
        await self.http.start()
        for adapter in self.adapters:
            await adapter.listening()
        stop = self.stop_event
        jobs: list[Awaitable[None]] = [
            self.receiver.run(stop),
            self.executor.run_forever(stop),
            self._every(self.remind_every, self.dozor.remind_due, "escalation reminders"),
            self._every(self.digest_every, self.dozor.digest_due, "digests"),
            self._every(self.purge_every, self.dozor.purge_old_text, "retention"),
        ]
        for adapter in self.adapters:
            jobs.extend(adapter.jobs(self.receiver, stop))
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
        jobs.extend(self._second_opinion(db))
        self._tasks = [asyncio.ensure_future(self._guard(job)) for job in jobs]
        for adapter in self.adapters:
            log.info("Dozor is running: %s", adapter.describe())

    def _second_opinion(self, db: Database) -> list[Awaitable[None]]:
        """The follower of uncertain cases, when DOZOR_SECOND_OPINION_URL is set (bot/second_opinion.py)."""
        options = self.settings.second_opinion
        if not options.url:
            return []
        from bot.second_opinion import ChatCompletions, Follower

        follower = Follower(db, ChatCompletions(options), options, self.settings.moderation, wake=self._wake)
        log.info(
            "second opinion: %s (model %s), deadline %g s",
            options.url,
            options.model,
            options.deadline_seconds,
        )
        return [self._every(options.interval_seconds, follower.step, "second opinions")]

    async def _register_titles(self, db: Database) -> None:
        """Communities the adapters know by name (a VK community's, from ``groups.getById``) are
        stored with it, so they are never shown by number."""
        async with db.transaction() as session:
            for adapter in self.adapters:
                for platform_id, title in adapter.titles().items():
                    language = self.settings.moderation.language
                    await communities.ensure(
                        session, adapter.platform, platform_id, title=title, language=language
                    )

    async def _release_leases(self, db: Database) -> None:
        """SQLite serves one process: whatever a previous run held when it died is free at once
        (on PostgreSQL another live process may hold it; there the leases run out)."""
        if db.dialect != "sqlite":
            return
        async with db.transaction() as session:
            events = await inbox.release_leases(session)
            actions = await outbox.release_leases(session, utcnow())
        if events or actions:
            log.info("took back %d event(s) and %d action(s) the previous run had in hand", events, actions)

    async def _upgrade(self, db: Database) -> None:
        """Migrate, waiting for a database that is not up yet (e.g. started beside Dozor)."""
        waiting = Backoff(base=1.0, cap=30.0)
        while True:
            try:
                await db.upgrade()
                return
            except StorageError as exc:
                if self.stop_event.is_set():
                    raise
                pause = waiting.failed()
                log.error("%s; trying again in %.0fs", exc, pause)
            await stopping.pause(self.stop_event, pause)
            if self.stop_event.is_set():
                raise StorageError("stopped while waiting for the database")

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
            except Exception:  # a periodic job that fails waits for its next turn; the service goes on
                log.exception("%s failed", name)
            await stopping.pause(self.stop_event, seconds)

    async def _health(self) -> str | None:
        if self.db is None:
            return "starting"
        if any(t.done() for t in self._tasks) and not self.stop_event.is_set():
            return "a service task stopped"
        try:
            async with asyncio.timeout(3.0), self.db.transaction() as session:
                await session.execute(text("SELECT 1"))
        except TimeoutError:
            return "database: no answer within 3s"
        except DozorError as exc:
            return f"database: {exc}"
        return None

    async def wait(self) -> None:
        """Until ``stop()`` (or a failed task); re-raises a task's error after shutting down."""
        await self.stop_event.wait()
        await self.stop()

    async def stop(self) -> None:
        """Graceful shutdown: stop receiving, let work in hand finish briefly, close connections.

        Whatever is not finished within ``shutdown_grace`` is cut; it stays in the inbox and
        outbox (leased until the lease runs out) and the next start finishes it.
        """
        self.stop_event.set()
        tasks, self._tasks = self._tasks, []
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=self.shutdown_grace)
            for task in late:
                task.cancel()
            if late:
                log.warning("%d task(s) did not finish within %.0fs; cut", len(late), self.shutdown_grace)
                await asyncio.wait(late, timeout=2.0)
        if self.http is not None:
            await self.http.stop()
            self.http = None
        for adapter in self.adapters:
            await adapter.close()
        if self.db is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.db.dispose(), timeout=2.0)
            self.db = None
        for task in tasks:
            if task.done() and not task.cancelled():
                error = task.exception()
                if error is not None:
                    raise error


def build_adapters(settings: Settings, limiter: ChatRateLimiter | None, poll_timeout: int) -> list[Adapter]:
    """One adapter per configured platform. Raises ConfigError when none is."""
    adapters: list[Adapter] = []
    if "telegram" in settings.platforms:
        adapters.append(TelegramAdapter(settings.telegram, limiter=limiter, poll_timeout=poll_timeout))
    if "vk" in settings.platforms:
        from bot.vk.adapter import VkAdapter

        adapters.append(VkAdapter(settings.vk))
    if not adapters:
        raise ConfigError(NO_PLATFORM)
    return adapters


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
