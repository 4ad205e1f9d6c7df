"""Everything Dozor says in chats, from one Fluent catalogue per language (``handlers/locales``).

Each language is a folder of ``.ftl`` files (``locales/ru/``, ``locales/en/``), read once at
import. ``t(language, key, **values)`` formats one message; an unknown language falls back to
Russian, the project's default. Plurals are chosen in the catalogue by the language's own
rules (CLDR: Russian one / few / many — 1, 2–4, 5+ — English one / other), so a count is passed
as a number and the message picks its word: ``{ $n -> [one] минута [few] минуты *[many] минут }``.

To add a message, add the same key to the same file of every language (``tests/unit/
test_catalogue.py`` fails when a key or a placeholder is missing in one of them).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number

log = logging.getLogger(__name__)

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
LOCALES = Path(__file__).with_name("locales")


@cache
def bundle(language: str) -> FluentBundle:
    """The language's messages, every ``.ftl`` file of its folder (read on first use)."""
    result = FluentBundle([language], use_isolating=False)
    for path in sorted((LOCALES / language).glob("*.ftl")):
        result.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return result


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT


def _value(value: object) -> object:
    # Whole numbers stay numbers (plural selection needs them) without digit grouping: a case
    # number reads "#1234", never "#1 234". Everything else arrives formatted by the caller.
    if isinstance(value, int) and not isinstance(value, bool):
        return fluent_number(value, useGrouping=False)
    return "" if value is None else str(value)


def t(language: str | None, key: str, **values: object) -> str:
    """One message in ``language`` ("ru" or "en"), formatted with ``values``.

    Raises:
        KeyError: no message ``key`` (callers that offer a fallback catch it).
    """
    messages = bundle(_language(language))
    message = messages.get_message(key) if messages.has_message(key) else None
    if message is None or message.value is None:
        raise KeyError(key)
    text, errors = messages.format_pattern(message.value, {k: _value(v) for k, v in values.items()})
    if errors:  # a placeholder the caller did not give: the text still goes out, the log says why
        log.error("message %r (%s): %s", key, language, "; ".join(map(str, errors)))
    return text


def has(language: str | None, key: str) -> bool:
    """Whether the catalogue has ``key`` (for names built from data, e.g. an action's)."""
    return bundle(_language(language)).has_message(key)


def plural(language: str | None, n: int, word: str) -> str:
    """``n`` with the right form of ``word``: "5 минут", "1 minute" (``n_<word>`` in the catalogue)."""
    return t(language, f"n_{word}", n=n)


def span(language: str | None, minutes: float) -> str:
    """A waiting time in words: "2 hours 5 minutes", "1 день 3 часа", "0 minutes"."""
    total = max(0, int(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [plural(language, n, w) for n, w in parts if n]
    return " ".join(words) or plural(language, 0, "minute")


def decision(language: str | None, name: str) -> str:
    """The button label / display name of a moderator decision ("Delete", "Не спам")."""
    key = f"decision_{name}"
    return t(language, key) if has(language, key) else action_name(language, name)


def action_name(language: str | None, action: str) -> str:
    """An action's name as people read it: "ban" → "бан" (an unknown one as it is)."""
    key = f"action_{action}"
    return t(language, key) if action and has(language, key) else action
