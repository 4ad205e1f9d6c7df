"""Values read from what people send — button data, command arguments — checked before use.

Anyone can send a button press with any data to a message carrying Dozor's buttons, and type
any argument after a command. Every id that reaches a query is parsed here, with bounds: a row
id Dozor handed out is a positive 64-bit integer (a PostgreSQL ``BIGINT``) written in ASCII
digits; a number is within its range; a choice is one of its set; a user id is a short ASCII
word. Anything else is ``None``, which the use cases answer as a stale card or a usage hint — it
never becomes a query the database would refuse.

``str.isdigit`` is not enough: it accepts "²" and "٣" (which ``int`` refuses or reads as 3) and
any number of digits.
"""

from __future__ import annotations

import re
from collections.abc import Collection

MAX_ROW_ID = 2**63 - 1  # PostgreSQL BIGINT; SQLite's INTEGER holds the same
MAX_PLATFORM_ID = 64  # characters of ``models.tables.PlatformId``

_DIGITS = re.compile(r"[0-9]{1,19}")
_TOKEN = re.compile(rf"[0-9A-Za-z_-]{{1,{MAX_PLATFORM_ID}}}")


def number(text: str, low: int, high: int) -> int | None:
    """``text`` as an integer in ``low … high`` (ASCII digits only), else None."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def row_id(text: str) -> int | None:
    """A row id (a case, card, saved answer, giveaway, join check): 1 … 2**63−1, else None."""
    return number(text, 1, MAX_ROW_ID)


def button(data: str, prefix: str, count: int) -> list[str] | None:
    """The ``count`` fields after ``prefix`` in button data ``prefix:a:b…``, else None."""
    parts = data.split(":") if isinstance(data, str) else []
    if len(parts) != count + 1 or parts[0] != prefix:
        return None
    return parts[1:]


def choice(text: str, choices: Collection[str]) -> str | None:
    """``text`` when it is one of ``choices``, else None."""
    return text if text in choices else None


def user_id(text: str) -> str | None:
    """A user id as typed after a command (a leading ``@`` dropped): a word of ASCII letters,
    digits, ``_`` and ``-`` that fits the id columns (platforms' ids are numbers; the local
    shell's are short words), else None."""
    text = text.removeprefix("@")
    return text if _TOKEN.fullmatch(text) else None
