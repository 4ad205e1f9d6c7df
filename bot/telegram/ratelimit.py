"""A per-chat limiter for Dozor's own messages (Telegram: ~1 message/s per chat, 20/min in groups).

A short wait (the next second) is slept through; a long one (the per-minute window is full)
raises ``ActionFailed(retry_after=…)`` so the outbox executor reschedules the message instead
of holding up every other chat's actions.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Callable

from moderation.errors import ActionFailed


class ChatRateLimiter:
    """Spaces the bot's messages per chat.

    Args:
        per_second_interval: minimum seconds between two messages to one chat.
        group_per_minute: most messages to one group (negative chat id) in any 60 s.
        max_sleep: waits up to this long are slept; longer ones raise ``ActionFailed``.
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(
        self,
        *,
        per_second_interval: float = 1.0,
        group_per_minute: int = 20,
        max_sleep: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = per_second_interval
        self.group_per_minute = group_per_minute
        self.max_sleep = max_sleep
        self._clock = clock
        self._sent: dict[str, deque[float]] = defaultdict(deque)
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def wait_for(self, chat_id: str) -> float:
        """Seconds until a message may go to this chat (0 when it may go now)."""
        now = self._clock()
        sent = self._sent[chat_id]
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        wait = 0.0
        if sent:
            wait = max(wait, sent[-1] + self.interval - now)
        if chat_id.startswith("-") and len(sent) >= self.group_per_minute:
            wait = max(wait, sent[-self.group_per_minute] + 60.0 - now)
        return max(wait, 0.0)

    async def acquire(self, chat_id: str) -> None:
        """Take a slot for one message to ``chat_id``, sleeping briefly if needed.

        Raises:
            ActionFailed: with ``retry_after`` when the wait would exceed ``max_sleep``.
        """
        async with self._locks[chat_id]:
            wait = self.wait_for(chat_id)
            if wait > self.max_sleep:
                raise ActionFailed(
                    f"holding back a message to chat {chat_id}: Telegram allows about "
                    f"{self.group_per_minute} bot messages a minute in a group",
                    retry_after=round(wait, 3),
                )
            if wait > 0:
                await asyncio.sleep(wait)
            self._sent[chat_id].append(self._clock())


class NoLimit(ChatRateLimiter):
    """No spacing at all (tests that do not exercise the limiter)."""

    def wait_for(self, chat_id: str) -> float:
        return 0.0

    async def acquire(self, chat_id: str) -> None:
        return None
