"""Small facts about VK messages shared by the actions: ids, retries that never post twice, limits."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from bot.vk.content import CHAT_PEER_BASE
from moderation.errors import ActionFailed

MAX_TEXT = 4096  # messages.send; comments take more, but a longer answer is a wall of text


def random_id(dedup_key: str | None) -> int:
    """``messages.send``'s ``random_id``: stable for one outbox row, so a retry is not sent twice."""
    if dedup_key is None:
        return secrets.randbits(31)
    return int.from_bytes(hashlib.sha256(dedup_key.encode()).digest()[:4], "big") & 0x7FFFFFFF


def is_chat(chat_id: str) -> bool:
    return int(chat_id) > CHAT_PEER_BASE


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sent_cmid(answer: Any, peer: str) -> str:
    """The conversation message id from ``messages.send`` with ``peer_ids``."""
    for item in answer if isinstance(answer, list) else ():
        if isinstance(item, dict) and str(item.get("peer_id")) == peer:
            if item.get("error"):
                raise ActionFailed(f"cannot send to {peer}: {json.dumps(item['error'])}", permanent=True)
            return str(item.get("conversation_message_id"))
    raise ActionFailed(f"cannot send to {peer}: VK's answer does not name the message; will retry")
