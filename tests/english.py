"""Finding English words in a text meant for a Russian community.

What may stay in Latin letters: people's and rules' names, the command syntax (``/rule add``,
``on|off``, ``30m``), product names (Dozor, VK, Telegram), environment variables and links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The command grammar is the same in every language: these are its keywords, not English prose.
COMMAND_WORDS = frozenset(
    "add remove shadow enforce test set list on off ru en spam toxicity negativity warn mute ban ttl "
    "del quick weekly daily proof winners days min post joined_before delete-only yaml id m h d w "
    "dozor vk telegram csv png utc".split()
)
_STRIP = (
    re.compile(r"https?://\S+|\b[\w.-]+\.(?:me|com|ru|cc|ly)/\S*"),  # links
    re.compile(r"/[a-z_]+"),  # /commands
    re.compile(r"\bDOZOR_[A-Z_]+"),  # environment variables
    re.compile(r"<[^>]*>"),  # <placeholders> in the help
)
_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]+")


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Latin-letter words of ``text`` that are neither command syntax nor in ``allowed``."""
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return [w for w in _WORD.findall(text) if w.lower() not in COMMAND_WORDS]
