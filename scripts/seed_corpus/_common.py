# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Template filling shared by the seed-corpus generators.

A template is a string with ``{slot}`` placeholders; each slot names a list of fillers (which may
themselves contain placeholders, expanded recursively). Generation is seeded, so the CSVs are
reproducible byte for byte.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

_SLOT = re.compile(r"\{([a-z_0-9]+)\}")

Slots = Mapping[str, Sequence[str] | Callable[[random.Random], str]]


def fill(template: str, rng: random.Random, slots: Slots, depth: int = 0) -> str:
    """Expand every ``{slot}`` in ``template`` with a random filler."""
    if depth > 6:
        raise ValueError(f"slot recursion too deep in {template!r}")

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in slots:
            raise KeyError(f"unknown slot {name!r} in {template!r}")
        source = slots[name]
        value = source(rng) if callable(source) else rng.choice(source)
        return fill(value, rng, slots, depth + 1)

    return _SLOT.sub(repl, template)


def number(lo: int, hi: int, step: int = 1) -> Callable[[random.Random], str]:
    """A slot filler that yields a random integer as text."""
    return lambda rng: str(rng.randrange(lo, hi + 1, step))


EMOJI = ["🔥", "💰", "✅", "👉", "🚀", "💸", "⚡", "❗", "🎁", "💎", "😍", "👍", "🤑", "📈", "⭐", "🙂", ")", "))"]


def decorate(text: str, rng: random.Random, *, shouty: float = 0.1, emoji: float = 0.3) -> str:
    """Vary surface form the way real posters do: caps, emoji, trailing punctuation."""
    r = rng.random()
    if r < shouty:
        text = text.upper()
    elif r < shouty + 0.35:
        text = text[:1].upper() + text[1:]
    if rng.random() < emoji:
        text = f"{rng.choice(EMOJI)} {text}" if rng.random() < 0.5 else f"{text} {rng.choice(EMOJI)}"
    if rng.random() < 0.15:
        text = text.rstrip(".") + rng.choice(["!", "!!", "!!!", "...", ""])
    return text


def distinct(make: Callable[[], str | None], n: int, *, tries: int | None = 20) -> list[str]:
    """Up to ``n`` distinct texts from ``make`` (``None`` = skip), in first-seen order.

    Gives up after ``tries`` calls per wanted text, so a small template space cannot loop forever;
    ``tries=None`` means the space is known to be large enough.
    """
    out: dict[str, None] = {}
    calls = 0
    while len(out) < n and (tries is None or calls < n * tries):
        calls += 1
        text = make()
        if text is not None:
            out[text] = None
    return list(out)


def generate(
    templates: Sequence[str], slots: Slots, rng: random.Random, n: int, *, style: Callable | None = None
) -> list[str]:
    """Generate up to ``n`` distinct texts from ``templates``."""

    def one() -> str:
        text = re.sub(r"\s+", " ", fill(rng.choice(templates), rng, slots)).strip()
        return style(text, rng) if style is not None else text

    return distinct(one, n)


def unique(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop exact duplicates and texts that occur with two labels (keep the first label)."""
    seen: dict[str, str] = {}
    for text, label in rows:
        seen.setdefault(text, label)
    return list(seen.items())
