"""The repetition window: how often the same text was posted recently, by one author and by anyone."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class RecentTexts:
    """A bounded, time-windowed memory of recent normalised texts, for repetition checks.

    The caller owns one instance per community (or per process) and passes it to the engine.
    Only hashes are kept, so memory is bounded by ``max_entries`` whatever the texts' length.
    Not thread-safe; the engine runs on one event loop.

    Args:
        window: how long a text is remembered.
        max_entries: the most texts remembered; the oldest are forgotten first.
        min_length: shorter texts ("+", "ok") are not counted: repeating them is normal.
    """

    def __init__(
        self, window: timedelta = timedelta(minutes=10), max_entries: int = 10_000, min_length: int = 5
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.window = window.total_seconds()
        self.max_entries = max_entries
        self.min_length = min_length
        self._entries: deque[tuple[float, str, int]] = deque()
        self._any: dict[int, int] = {}
        self._by_author: dict[tuple[str, int], int] = {}

    def observe(self, author_id: str, normalized: str, now: datetime) -> tuple[int, int]:
        """Record a text and return how often it was seen recently, this time included.

        Returns:
            ``(by_this_author, by_anyone)``; ``(1, 1)`` for a first or too-short text.
        """
        ts = now.timestamp()
        self._evict_older_than(ts - self.window)
        if len(normalized) < self.min_length:
            return 1, 1
        key = hash(normalized)
        self._entries.append((ts, author_id, key))
        self._any[key] = self._any.get(key, 0) + 1
        self._by_author[(author_id, key)] = self._by_author.get((author_id, key), 0) + 1
        while len(self._entries) > self.max_entries:
            self._forget(self._entries.popleft())
        return self._by_author[(author_id, key)], self._any[key]

    def __len__(self) -> int:
        return len(self._entries)

    def _evict_older_than(self, cutoff: float) -> None:
        entries = self._entries
        while entries and entries[0][0] < cutoff:
            self._forget(entries.popleft())

    def _forget(self, entry: tuple[float, str, int]) -> None:
        _, author_id, key = entry
        for counts, k in ((self._any, key), (self._by_author, (author_id, key))):
            left = counts[k] - 1  # type: ignore[index]
            if left:
                counts[k] = left  # type: ignore[index]
            else:
                del counts[k]  # type: ignore[arg-type]
