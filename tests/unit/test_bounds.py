"""What people send is parsed with bounds before it reaches a query (``handlers.bounds``)."""

from __future__ import annotations

import pytest

from handlers import bounds
from handlers.cards import parse_answer_button, parse_button
from moderation.rules.values import MAX_DURATION, parse_duration

BIG = 2**63


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(BIG - 1), BIG - 1),
        (str(BIG), None),
        ("9" * 40, None),
        ("0", None),
        ("-1", None),
        ("", None),
        ("²", None),  # str.isdigit() says yes; int() says no
        ("٣", None),  # int() would read 3
        ("1_000", None),  # int() would read 1000
        (" 1", None),
        ("1\n", None),
        ("+1", None),
        ("1e3", None),
    ],
)
def test_a_row_id_is_a_positive_int64_in_ascii_digits(text: str, expected: int | None) -> None:
    assert bounds.row_id(text) == expected


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [("7", 1, 365, 7), ("365", 1, 365, 365), ("366", 1, 365, None), ("0", 1, 365, None), ("²", 1, 9, None)],
)
def test_a_number_is_within_its_range(text: str, low: int, high: int, expected: int | None) -> None:
    assert bounds.number(text, low, high) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("esc:12:ban", (12, "ban")),
        ("esc:9999999999999999999999999999999999999999:ban", None),  # issue 21
        (f"esc:{BIG}:ban", None),
        ("esc:12:nuke", None),
        ("esc:12:ban:extra", None),
        ("esc:²:ban", None),
        ("ans:12:ban", None),
        ("", None),
    ],
)
def test_card_buttons(data: str, expected: tuple[int, str] | None) -> None:
    assert parse_button(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [("ans:3:4", (3, 4)), (f"ans:3:{BIG}", None), ("ans:٣:4", None), ("ans:3", None), ("esc:3:4", None)],
)
def test_quick_answer_buttons(data: str, expected: tuple[int, int] | None) -> None:
    assert parse_answer_button(data) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("66", "66"),
        ("@66", "66"),
        ("-1001234567890", "-1001234567890"),
        ("n1", "n1"),
        ("x" * 64, "x" * 64),
        ("x" * 65, None),  # longer than the id columns
        ("a b", None),
        ("ид", None),
        ("", None),
        ("@", None),
    ],
)
def test_a_user_id_is_a_short_ascii_word(text: str, expected: str | None) -> None:
    assert bounds.user_id(text) == expected


@pytest.mark.parametrize(
    "value", ["3651d", "9999w", "99999999999w", "9" * 5000 + "m", 0, -5, float("nan"), float("inf"), 10**12]
)
def test_a_duration_over_ten_years_or_not_a_duration_is_refused_with_a_value_error(value: object) -> None:
    with pytest.raises(ValueError, match="bad duration"):
        parse_duration(value)


def test_ten_years_is_still_a_duration() -> None:
    assert parse_duration("3650d") == parse_duration(3650 * 86400) == MAX_DURATION
