"""Plural forms and waiting times in Russian and English."""

from __future__ import annotations

import pytest

from handlers.i18n import plural, span


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (0, "0 минут", "0 minutes"),
        (1, "1 минута", "1 minute"),
        (2, "2 минуты", "2 minutes"),
        (4, "4 минуты", "4 minutes"),
        (5, "5 минут", "5 minutes"),
        (11, "11 минут", "11 minutes"),
        (12, "12 минут", "12 minutes"),
        (21, "21 минута", "21 minutes"),
        (22, "22 минуты", "22 minutes"),
        (111, "111 минут", "111 minutes"),
        (101, "101 минута", "101 minutes"),
    ],
)
def test_minutes(n: int, ru: str, en: str) -> None:
    assert plural("ru", n, "minute") == ru and plural("en", n, "minute") == en


@pytest.mark.parametrize(
    ("minutes", "ru", "en"),
    [
        (0, "0 минут", "0 minutes"),
        (61, "1 час 1 минута", "1 hour 1 minute"),
        (125, "2 часа 5 минут", "2 hours 5 minutes"),
        (60 * 24 + 180, "1 день 3 часа", "1 day 3 hours"),
        (60 * 24 * 5, "5 дней", "5 days"),
    ],
)
def test_waiting_times(minutes: int, ru: str, en: str) -> None:
    assert span("ru", minutes) == ru and span("en", minutes) == en
