"""Small value grammars shared by rules and policy: durations, comparisons, event-kind aliases."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from moderation.events import EventKind

__all__ = [
    "KIND_ALIASES",
    "Comparison",
    "format_duration",
    "parse_comparison",
    "parse_duration",
    "parse_kinds",
]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"(\d{1,12})\s*([smhdw])")
_DURATION_FULL = re.compile(r"(?:\d{1,12}\s*[smhdw]\s*)+")
# Ten years: longer than any restriction means (Telegram counts over 366 days as for good), and
# within what a duration column (32-bit seconds) and date arithmetic hold.
MAX_DURATION = timedelta(days=3650)
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
_COMPARISON = re.compile(r"\s*(<=|>=|==|!=|<|>|=)\s*(\S+)\s*")

_VK_COMMENTS = frozenset(
    {
        EventKind.VK_WALL_COMMENT,
        EventKind.VK_PHOTO_COMMENT,
        EventKind.VK_VIDEO_COMMENT,
        EventKind.VK_MARKET_COMMENT,
    }
)
KIND_ALIASES: dict[str, frozenset[EventKind]] = {
    "telegram": frozenset({EventKind.TELEGRAM_MESSAGE, EventKind.TELEGRAM_COMMENT}),
    "vk": _VK_COMMENTS | {EventKind.VK_CHAT_MESSAGE},
    "vk_comment": _VK_COMMENTS,
    "vk_chat": frozenset({EventKind.VK_CHAT_MESSAGE}),
    "comment": _VK_COMMENTS | {EventKind.TELEGRAM_COMMENT},
    "chat": frozenset({EventKind.TELEGRAM_MESSAGE, EventKind.VK_CHAT_MESSAGE, EventKind.SHELL_MESSAGE}),
    "shell": frozenset({EventKind.SHELL_MESSAGE}),
    **{k.value: frozenset({k}) for k in EventKind},
}


def parse_duration(value: object) -> timedelta:
    """Parse ``"30m"``, ``"1h"``, ``"7d"``, ``"2w"``, ``"1h30m"`` or a number of seconds.

    Raises:
        ValueError: with a message naming the accepted forms.
    """
    if isinstance(value, bool):
        raise ValueError(f"bad duration {value!r}: write it like 30m, 1h, 7d or 2w")
    if isinstance(value, int | float):
        if not 0 < value <= MAX_DURATION.total_seconds():  # NaN and infinity fail this too
            raise ValueError(f"bad duration {value!r}: it must be positive and at most 3650d")
        return timedelta(seconds=value)
    text = str(value).strip().lower()
    if not _DURATION_FULL.fullmatch(text):
        raise ValueError(f"bad duration {value!r}: write it like 30m, 1h, 7d or 2w (s, m, h, d, w units)")
    seconds = sum(int(n) * _UNITS[u] for n, u in _DURATION.findall(text))
    if seconds <= 0:
        raise ValueError(f"bad duration {value!r}: it must be positive")
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"bad duration {value!r}: at most 3650d (ten years)")
    return timedelta(seconds=seconds)


def format_duration(d: timedelta) -> str:
    """The shortest exact form of a duration: ``timedelta(hours=24)`` → ``"1d"``."""
    seconds = int(d.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class Comparison:
    """A threshold such as ``> 2`` or ``< 1d`` (durations compare in seconds)."""

    op: str
    value: float
    text: str

    def __call__(self, actual: float) -> bool:
        return _OPS[self.op](actual, self.value)

    @property
    def function(self) -> Callable[[float, float], bool]:
        """The operator as a function of (actual, threshold)."""
        return _OPS[self.op]


def parse_comparison(value: object, *, duration: bool = False) -> Comparison:
    """Parse ``"> 2"``, ``">= 0.9"``, ``"< 1d"`` (with ``duration=True``).

    Raises:
        ValueError: with a message showing the expected form.
    """
    example = '"< 1d"' if duration else '"> 2"'
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"bad comparison {value!r}: write an operator and a value, e.g. {example}")
    m = _COMPARISON.fullmatch(str(value))
    if not m:
        raise ValueError(
            f"bad comparison {value!r}: write an operator (<, <=, >, >=, ==, !=) and a value, e.g. {example}"
        )
    op, raw = m.groups()
    try:
        number = parse_duration(raw).total_seconds() if duration else float(raw)
    except ValueError:
        kind = "a duration like 1h or 7d" if duration else "a number"
        raise ValueError(f"bad comparison {value!r}: {raw!r} is not {kind}") from None
    return Comparison(op="==" if op == "=" else op, value=number, text=f"{op} {raw}")


def parse_kinds(values: list[str]) -> frozenset[EventKind]:
    """Resolve ``type:`` values (event kinds or aliases such as ``telegram``, ``vk_comment``).

    Raises:
        ValueError: naming the unknown kind and the accepted ones.
    """
    kinds: set[EventKind] = set()
    for v in values:
        key = str(v).strip().lower()
        if key not in KIND_ALIASES:
            raise ValueError(f"unknown type {v!r}; use one of: {', '.join(sorted(KIND_ALIASES))}")
        kinds |= KIND_ALIASES[key]
    return frozenset(kinds)
