"""The Telegram adapter: the only package that imports aiogram.

``translate`` turns raw Bot API updates into Dozor updates, ``actions`` carries out Dozor's
actions through an aiogram ``Bot``, ``webhook`` and ``polling`` receive updates without losing
any (each is in the inbox before Telegram is told it arrived). The adapter decides nothing.
"""

from __future__ import annotations

PLATFORM = "telegram"

# Only the update types Dozor uses; ``chat_member`` is delivered only when asked for by name.
ALLOWED_UPDATES: tuple[str, ...] = (
    "message",
    "edited_message",
    "callback_query",
    "chat_member",
    "my_chat_member",
)
