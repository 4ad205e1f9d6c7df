"""Every check key a rule may use, and how one ``key: value`` pair becomes a ``Check``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import UTC

from moderation.rules.checks import (
    TEXT_FIELDS,
    TEXT_MODES,
    BoolCheck,
    Check,
    Facts,
    MediaCheck,
    NumberCheck,
    TextCheck,
)
from moderation.rules.values import parse_comparison

__all__ = ["CHECK_KEYS", "build_check", "split_key", "suggest"]


def _seconds_since(ctx: Facts) -> float | None:
    first = ctx.event.author.first_seen
    if first is None:
        return None
    now = ctx.now
    if (now.tzinfo is None) != (first.tzinfo is None):
        now, first = now.replace(tzinfo=now.tzinfo or UTC), first.replace(tzinfo=first.tzinfo or UTC)
    return (now - first).total_seconds()


# key: (label shown in details, getter, compares durations)
_NUMBERS: dict[str, tuple[str, Callable[[Facts], float | None], bool]] = {
    # Platforms do not report account creation dates, so account age is measured from the first
    # time the community saw the author: a lower bound that errs towards "new".
    "author.account_age": ("account age", _seconds_since, True),
    "author.time_in_community": ("time in community", _seconds_since, True),
    "author.messages": ("messages", lambda c: c.event.author.message_count, False),
    "author.warnings": ("warnings", lambda c: c.event.author.warnings, False),
    "links": ("links", lambda c: len(c.features.links), False),
    "mentions": ("mentions", lambda c: len(c.features.mentions), False),
    "phones": ("phones", lambda c: len(c.features.phones), False),
    "length": ("length", lambda c: c.features.length, False),
    "caps_ratio": ("caps ratio", lambda c: c.features.caps_ratio, False),
    "emoji": ("emoji", lambda c: c.features.emoji, False),
    "mixed_script": ("mixed-script words", lambda c: c.features.mixed_script_words, False),
    "repeated": ("repeated by author", lambda c: c.features.repeated, False),
    "repeated_any": ("repeated by anyone", lambda c: c.features.repeated_any, False),
    "score.spam": ("spam score", lambda c: c.scores.spam, False),
    "score.toxicity": ("toxicity score", lambda c: c.scores.toxicity, False),
    "score.negativity": ("negativity score", lambda c: c.scores.negativity, False),
}
_BOOLS: dict[str, tuple[str, Callable[[Facts], bool]]] = {
    "author.is_admin": (
        "author is admin",
        lambda c: c.event.author.is_admin or c.event.author.is_anonymous_admin,
    ),
    "author.is_trusted": ("author is trusted", lambda c: c.event.author.is_trusted),
    "author.is_bot": ("author is a bot", lambda c: c.event.author.is_bot),
    "author.is_sender_chat": ("posted as a chat", lambda c: c.event.author.is_sender_chat),
    "author.newcomer": ("author is a newcomer", lambda c: c.features.newcomer),
    "forwarded": ("forwarded", lambda c: c.features.forwarded),
    "edited": ("edited", lambda c: c.event.edited),
    "is_reply": ("is a reply", lambda c: c.event.reply_to is not None),
    "has_phone": ("has phone", lambda c: bool(c.features.phones)),
    "has_invite": ("has invite link", lambda c: c.features.has_invite),
    "has_shortener": ("has shortened link", lambda c: c.features.has_shortener),
    "has_keyboard": ("has buttons", lambda c: c.event.content.has_keyboard),
}
CHECK_KEYS = frozenset({*TEXT_FIELDS, *_NUMBERS, *_BOOLS, "media"})
_KEY = re.compile(r"\s*(~)?\s*([A-Za-z_][\w.]*)\s*(?:\(([^()]*)\))?\s*")


def split_key(raw: str) -> tuple[bool, str, tuple[str, ...]]:
    """Split ``"~body (includes-word, case-sensitive)"`` into (negate, name, modifiers).

    Raises:
        ValueError: the key is not of that shape.
    """
    m = _KEY.fullmatch(raw)
    if not m:
        raise ValueError(f"cannot read key {raw!r}; write it like 'body (includes-word)' or '~domain'")
    negate, name, mods = m.groups()
    modifiers = tuple(x.strip().lower() for x in mods.split(",") if x.strip()) if mods else ()
    return bool(negate), name.lower(), modifiers


def suggest(name: str, known: frozenset[str] | set[str]) -> str:
    """A "did you mean" hint for a misspelt key, or ""."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def build_check(raw_key: str, name: str, negate: bool, modifiers: tuple[str, ...], value: object) -> Check:
    """Build one check from a parsed key and its YAML value.

    Raises:
        ValueError: with a message telling the rule author what to write instead.
    """
    if name in TEXT_FIELDS:
        return _text_check(raw_key, name, negate, modifiers, value)
    if modifiers:
        raise ValueError(f"{name!r} takes no modifiers in parentheses; only body, domain, link, mention do")
    if name in _NUMBERS:
        label, getter, duration = _NUMBERS[name]
        values = value if isinstance(value, list) else [value]
        if not values:
            raise ValueError(f'{name!r} needs a comparison such as "> 2"')
        comparisons = [parse_comparison(v, duration=duration) for v in values]
        return NumberCheck(raw_key, label, getter, comparisons, negate=negate, duration=duration)
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise ValueError(f"{name!r} must be true or false, not {value!r}")
        label, bool_getter = _BOOLS[name]
        return BoolCheck(raw_key, label, bool_getter, value, negate=negate)
    if name == "media":
        if value is True:
            return MediaCheck(raw_key, None, negate=negate)
        if value is False:
            return MediaCheck(raw_key, None, negate=not negate)
        kinds = value if isinstance(value, list) else [value]
        if not kinds or not all(isinstance(k, str) and k for k in kinds):
            raise ValueError("media takes true/false or a list of kinds such as [photo, video]")
        return MediaCheck(raw_key, frozenset(k.lower() for k in kinds), negate=negate)
    raise ValueError(f"unknown check {name!r}{suggest(name, CHECK_KEYS)}")


def _text_check(raw_key: str, name: str, negate: bool, modifiers: tuple[str, ...], value: object) -> Check:
    mode = TEXT_FIELDS[name]
    case_sensitive = False
    chosen = []
    for mod in modifiers:
        if mod == "case-sensitive":
            case_sensitive = True
        elif mod in TEXT_MODES or (mod == "domain" and name == "domain"):
            chosen.append(mod)
        else:
            allowed = ", ".join((*TEXT_MODES, "case-sensitive"))
            raise ValueError(
                f"unknown modifier {mod!r}{suggest(mod, set(TEXT_MODES))}; use one of: {allowed}"
            )
    if len(chosen) > 1:
        raise ValueError(f"choose one match modifier, not {', '.join(chosen)}")
    if chosen:
        mode = chosen[0]
    patterns = value if isinstance(value, list) else [value]
    if not patterns:
        raise ValueError(f"{name!r} needs at least one pattern")
    for p in patterns:
        if not isinstance(p, str | int | float) or isinstance(p, bool):
            raise ValueError(f"{name!r} patterns must be text, not {p!r}")
    return TextCheck(
        raw_key, name, mode, [str(p) for p in patterns], case_sensitive=case_sensitive, negate=negate
    )
