"""A per-token request limiter: VK allows a community token ~20 requests/s, a user token ~3/s.

Going over the limit earns error 6 ("Too many requests per second"); spacing the calls here is
cheaper than being refused and retrying. A sliding one-second window, one per token.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable

GROUP_PER_SECOND = 20
USER_PER_SECOND = 3
# The window a token's requests are counted in: a little over VK's second, so that jitter between
# taking a turn here and the request reaching VK never puts one request too many into VK's second
# (each error 6 costs the request a retry: far more than the margin).
WINDOW = 1.1


class RateLimiter:
    """At most ``per_second`` acquisitions in any one-second window; waiting callers go in order of
    ``priority`` (lower first), then of arrival.

    Args:
        per_second: requests allowed per second.
        clock: monotonic seconds (tests may pass a fake together with ``sleep``).
        sleep: how to wait.
    """

    def __init__(
        self,
        per_second: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self.per_second = per_second
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._waiting: list[tuple[int, int]] = []  # a heap of (priority, arrival)
        self._arrivals = itertools.count()
        self._turn = asyncio.Condition()

    def wait_for(self) -> float:
        """Seconds until the next request may go (0 when it may go now)."""
        now = self._clock()
        while self._sent and self._sent[0] + WINDOW <= now:
            self._sent.popleft()
        if len(self._sent) < self.per_second:
            return 0.0
        return max(self._sent[0] + WINDOW - now, 0.0)

    async def acquire(self, priority: int = 1) -> None:
        """Take a slot, waiting until the window has room and no caller of a lower ``priority``
        (or of the same, arrived earlier) is waiting."""
        me = (priority, next(self._arrivals))
        async with self._turn:
            heapq.heappush(self._waiting, me)
            self._turn.notify_all()  # a waiter behind whom I now stand looks again
            try:
                while True:
                    if self._waiting[0] != me:
                        await self._turn.wait()
                        continue
                    wait = self.wait_for()
                    if wait <= 0:
                        break
                    self._turn.release()
                    try:
                        await self._sleep(wait)
                    finally:
                        await self._turn.acquire()
            finally:
                self._waiting.remove(me)
                heapq.heapify(self._waiting)
                self._turn.notify_all()
            self._sent.append(self._clock())
