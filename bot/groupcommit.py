"""Group commit: callers that arrive side by side share one call (one database transaction)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Hands the items of concurrent ``add`` calls to one ``commit`` together.

    Every caller of a group gets that group's result; a failure fails every caller of it. While a
    commit runs, new callers gather for the next one, so under load transactions grow instead of
    multiplying; alone, a caller waits for nothing but one turn of the event loop.
    """

    def __init__(self, commit: Callable[[Sequence[T]], Awaitable[R]]) -> None:
        self._commit = commit
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def add(self, item: T) -> R:
        waiter: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, waiter))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._run())
        return await asyncio.shield(waiter)

    async def _run(self) -> None:
        while self._waiting:
            await asyncio.sleep(0)  # let callers already under way join this group
            group, self._waiting = self._waiting, []
            try:
                result = await self._commit([item for item, _ in group])
            except BaseException as exc:
                for _, waiter in group:
                    if not waiter.done():
                        waiter.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for _, waiter in group:
                if not waiter.done():
                    waiter.set_result(result)
