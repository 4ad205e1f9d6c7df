"""Polling mode: Dozor's own getUpdates loop that confirms an offset only after storing.

Telegram forgets updates once ``getUpdates`` is called with a higher ``offset``. aiogram's
``start_polling`` moves the offset before our inbox has the updates; this loop stores every
update of a batch first and only then asks for ``offset = last update_id + 1``. After a crash
Telegram re-sends what was not confirmed; the inbox ignores what it already has.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates
from aiogram.types import Update as TgUpdate

from bot import stopping
from bot.backoff import Backoff
from bot.receiver import Overloaded, Receiver
from bot.telegram import ALLOWED_UPDATES, PLATFORM
from moderation.errors import ConfigError, StorageError

log = logging.getLogger(__name__)


class Poller:
    """Long-polls Telegram and hands every update to the receiver.

    Args:
        bot: the aiogram bot.
        receiver: stores and queues updates.
        timeout: long-poll seconds per request.
        max_backoff: longest pause after repeated network or server errors.
    """

    def __init__(
        self, bot: Bot, receiver: Receiver, *, timeout: int = 30, limit: int = 100, max_backoff: float = 60.0
    ) -> None:
        self.bot = bot
        self.receiver = receiver
        self.timeout = timeout
        self.limit = limit
        self.max_backoff = max_backoff
        self.offset: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop``. Raises ``ConfigError`` when Telegram rejects the token."""
        # getUpdates is refused while a webhook is set; the pending updates are kept.
        await stopping.unless_stopped(self.bot.delete_webhook(drop_pending_updates=False), stop)
        failures = Backoff(base=1.0, cap=self.max_backoff)
        while not stop.is_set():
            try:
                updates = await stopping.unless_stopped(self._fetch(), stop)
            except TelegramUnauthorizedError as exc:
                raise ConfigError(
                    "Telegram rejected DOZOR_TELEGRAM_TOKEN; copy the token from @BotFather again"
                ) from exc
            except TelegramRetryAfter as exc:
                await self._pause(stop, float(exc.retry_after), f"flood control ({exc.retry_after}s)")
                continue
            except (TelegramNetworkError, TelegramServerError, TelegramConflictError) as exc:
                hint = (
                    " (another Dozor polls with this token, or a webhook is set)"
                    if isinstance(exc, TelegramConflictError)
                    else ""
                )
                await self._pause(stop, failures.failed(), f"{exc.message}{hint}")
                continue
            if updates is None:
                return  # stopped
            failures.succeeded()
            if updates:
                await self.store_batch(updates, stop)

    async def _fetch(self) -> list[dict[str, Any]]:
        """One batch of updates, as Telegram's JSON."""
        method = GetUpdates(
            offset=self.offset, limit=self.limit, timeout=self.timeout, allowed_updates=list(ALLOWED_UPDATES)
        )
        try:
            updates = await self.bot(method, request_timeout=self.timeout + 15)
        except ClientDecodeError as exc:
            # aiogram parses the batch as a whole: one update it cannot parse would be refetched
            # for ever and stall every group. Keep the batch as Telegram sent it; the bad update
            # then fails alone in the inbox, with the reason recorded.
            batch = _raw_batch(exc.data)
            if batch is None:
                raise
            log.warning(
                "telegram sent an update aiogram cannot parse; it is stored as sent: %s", exc.original
            )
            return batch
        return [raw_update(u) for u in updates]

    async def store_batch(self, updates: list[dict[str, Any]], stop: asyncio.Event) -> None:
        """Store the batch in one transaction, then move the offset.

        A database outage or a full backlog pauses polling and repeats the store; the offset
        does not move meanwhile, so Telegram keeps the updates.
        """
        events = [(str(u["update_id"]), u) for u in updates]
        while not stop.is_set():
            try:
                await self.receiver.store(PLATFORM, events)
            except Overloaded as exc:
                await self._pause(stop, float(exc.retry_after), str(exc))
            except StorageError as exc:
                await self._pause(stop, 5.0, str(exc))
            else:
                self.offset = updates[-1]["update_id"] + 1
                return

    async def _pause(self, stop: asyncio.Event, seconds: float, why: str) -> None:
        log.warning("telegram polling paused for %.1fs: %s", seconds, why)
        await stopping.pause(stop, seconds)


def _raw_batch(data: Any) -> list[dict[str, Any]] | None:
    """The updates of a ``getUpdates`` answer, when it is one: a list of objects with an update_id."""
    result = data.get("result") if isinstance(data, dict) and data.get("ok") else None
    if not isinstance(result, list) or not result:
        return None
    if not all(isinstance(u, dict) and type(u.get("update_id")) is int for u in result):
        return None
    return result


def raw_update(update: TgUpdate) -> dict[str, Any]:
    """The Bot API JSON of an aiogram update, as Telegram sent it (``from``, not ``from_user``)."""
    return update.model_dump(mode="json", exclude_none=True, by_alias=True)
