"""Facts about one VK comment or message: its author and what it carries besides its text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moderation.events import Author, Content, Link
from moderation.features import domain_of

CHAT_PEER_BASE = 2_000_000_000  # peer ids above this are multi-user chats

# VK's inline mentions: [id123|Ivan], [club5|Community], [public5|…]; also @id123 (Ivan).
_MENTION = re.compile(r"\[((?:id|club|public)\d+)\|[^\]]*\]|@((?:id|club|public)\d+)\b")

# Attachment types → Dozor's media words (moderation.events.Content.media).
_MEDIA = {
    "photo": "photo",
    "video": "video",
    "audio": "audio",
    "doc": "document",
    "sticker": "sticker",
    "audio_message": "voice",
    "graffiti": "sticker",
    "poll": "poll",
    "market": "market",
    "story": "story",
    "gift": "gift",
    "geo": "location",
}


def author(from_id: Any, group_id: int) -> Author:
    """The author of a comment or message: a user, or a community (negative id)."""
    uid = int(from_id or 0)
    if uid < 0:
        return Author(
            id=str(uid),
            name=f"club{-uid}",
            is_sender_chat=True,
            is_admin=uid == -group_id,
            is_bot=uid != -group_id,
        )
    return Author(id=str(uid), name=f"id{uid}")


def content(item: Mapping[str, Any]) -> Content:
    """Links, mentions, media kinds and forwards of a comment or message object."""
    links: list[Link] = []
    media: list[str] = []
    forwarded = bool(item.get("fwd_messages"))
    for attachment in item.get("attachments") or ():
        kind = attachment.get("type")
        body = attachment.get(kind) or {}
        if kind == "link" and body.get("url"):
            links.append(Link(url=str(body["url"]), domain=domain_of(str(body["url"]))))
        elif kind in ("wall", "wall_reply"):
            forwarded = True  # a repost of someone's post
        elif kind in _MEDIA and _MEDIA[kind] not in media:
            media.append(_MEDIA[kind])
    if item.get("geo") and "location" not in media:
        media.append("location")
    mentions = tuple(a or b for a, b in _MENTION.findall(str(item.get("text") or "")))
    return Content(
        links=tuple(links),
        mentions=mentions,
        media=tuple(media),
        forwarded=forwarded,
        has_keyboard=bool(item.get("keyboard")),
    )


def is_chat(peer_id: Any) -> bool:
    return int(peer_id or 0) > CHAT_PEER_BASE
