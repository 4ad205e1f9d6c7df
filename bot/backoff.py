"""Pauses between attempts: the one formula every retry loop in Dozor uses.

Exponential (``base`` doubled after each failure), capped at ``cap``, with jitter: the pause is
drawn between half and all of that, so many workers (or processes) that failed together do not
come back together.
"""

from __future__ import annotations

import random

# The longest pause between two looks at a database that is down (the inbox worker, the
# executor's lanes): a look costs one failed connection, and work resumes within this long of
# the database's return.
OUTAGE_PAUSE = 5.0


def delay(failures: int, *, base: float, cap: float) -> float:
    """The pause after ``failures`` failures in a row (1 for the first)."""
    full = min(cap, base * 2 ** max(0, failures - 1))
    return random.uniform(full / 2, full)


class Backoff:
    """A failure count and the pause it calls for, for loops that retry until they succeed.

    Args:
        base: the pause after the first failure (at most; see ``delay``).
        cap: the longest pause.
    """

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def failed(self) -> float:
        """Count a failure; returns how long to pause before the next attempt."""
        self.failures += 1
        return delay(self.failures, base=self.base, cap=self.cap)

    def succeeded(self) -> None:
        self.failures = 0
