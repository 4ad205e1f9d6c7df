"""Shared by webhook and polling: store an update in the inbox first, process it afterwards.

``store`` commits the raw update (keyed by ``update_id``) and only then may Telegram be told
it arrived. Stored updates are processed one at a time, in arrival order, by ``run`` (so two
messages of one spammer see each other's warnings); after each, ``on_processed`` runs (the
runner wakes the outbox executor there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from aiogram.types import Update as TgUpdate

from bot.pipeline import Pipeline
from bot.telegram import PLATFORM
from moderation.errors import StorageError

log = logging.getLogger(__name__)


def raw_update(update: TgUpdate) -> dict[str, Any]:
    """The Bot API JSON of an aiogram update, as Telegram sent it (``from``, not ``from_user``)."""
    return update.model_dump(mode="json", exclude_none=True, by_alias=True)


class Receiver:
    """The inbox side of the Telegram adapter.

    Args:
        pipeline: stores and processes events.
        on_processed: called after each processed update (e.g. ``executor.wake``).
    """

    def __init__(
        self,
        pipeline: Pipeline,
        on_processed: Callable[[], None] | None = None,
        *,
        retry_delay: float = 0.5,
        max_retry_delay: float = 60.0,
    ) -> None:
        self.pipeline = pipeline
        self.on_processed = on_processed
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._retries: dict[int, int] = {}
        self.idle = asyncio.Event()
        self.idle.set()

    async def store(self, payload: dict[str, Any]) -> int | None:
        """Commit one update to the inbox. Returns its inbox id; None when it was stored before.

        Raises:
            StorageError: the database is unavailable (do not acknowledge the update).
            ValueError: the payload has no integer ``update_id``.
        """
        update_id = payload.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise ValueError("a Telegram update must carry an integer update_id")
        return await self.pipeline.receive(PLATFORM, str(update_id), payload)

    def schedule(self, inbox_id: int) -> None:
        """Queue a stored update for processing."""
        self.idle.clear()
        self._queue.put_nowait(inbox_id)

    async def run(self, stop: asyncio.Event) -> None:
        """Process queued updates until ``stop``; what is left stays pending in the inbox."""
        while not stop.is_set():
            getter = asyncio.ensure_future(self._queue.get())
            stopper = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopper.cancel()
            if not getter.done():
                getter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await getter
                return
            await self._process(getter.result())

    async def _process(self, inbox_id: int) -> None:
        done = False
        try:
            done = await self.pipeline.process(inbox_id)
        except StorageError as exc:
            log.error("%s; update %s stays in the inbox", exc, inbox_id)
        finally:
            self._queue.task_done()
        if done:
            self._retries.pop(inbox_id, None)
        else:
            # A failure that may pass (a locked or unreachable database, a platform hiccup while
            # handling): try again soon, with growing pauses, until the pipeline gives up on it.
            tries = self._retries[inbox_id] = self._retries.get(inbox_id, 0) + 1
            delay = min(self.max_retry_delay, self.retry_delay * 2 ** (tries - 1))
            asyncio.get_running_loop().call_later(delay, self._queue.put_nowait, inbox_id)
        if self._queue.empty() and not self._retries:
            self.idle.set()
        if self.on_processed is not None:
            self.on_processed()
