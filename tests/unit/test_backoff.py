"""The one pause formula: exponential, capped, jittered between half and all of it."""

from __future__ import annotations

import pytest

from bot.backoff import Backoff, delay


@pytest.mark.parametrize(
    ("failures", "low", "high"), [(1, 1.0, 2.0), (2, 2.0, 4.0), (3, 4.0, 8.0), (9, 15.0, 30.0)]
)
def test_delay_doubles_and_is_capped(failures: int, low: float, high: float) -> None:
    pauses = [delay(failures, base=2.0, cap=30.0) for _ in range(200)]
    assert all(low <= p <= high for p in pauses)
    assert max(pauses) - min(pauses) > (high - low) / 4  # jittered: not all the same


def test_backoff_counts_failures_and_resets() -> None:
    pause = Backoff(base=1.0, cap=8.0)
    assert [pause.failed() <= bound for bound in (1.0, 2.0, 4.0, 8.0, 8.0)] == [True] * 5
    assert pause.failures == 5
    pause.succeeded()
    assert pause.failed() <= 1.0
