"""Realistic VK events (API 5.199, as Callback API and Bots Long Poll deliver them)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.e2e.fake_vk_methods import CHAT_PEER, GROUP_ID

DATE = 1_717_000_000
USER = 5_550_001
OTHER = 5_550_002
MODERATOR = 5_550_009
POST = 77
_ids = itertools.count(1000)
_cmids = itertools.count(300)
_event_ids = itertools.count(1)


def event(
    kind: str, obj: dict[str, Any], *, group_id: int = GROUP_ID, event_id: str | None = None
) -> dict[str, Any]:
    """The envelope VK wraps every object in."""
    return {
        "group_id": group_id,
        "type": kind,
        "event_id": event_id or f"{next(_event_ids):040x}",
        "v": "5.199",
        "object": obj,
    }


def wall_comment(
    text: str = "hello",
    *,
    from_id: int = USER,
    post_id: int = POST,
    comment_id: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": comment_id or next(_ids),
        "from_id": from_id,
        "date": DATE,
        "text": text,
        "post_owner_id": -GROUP_ID,
        "post_id": post_id,
        "owner_id": -GROUP_ID,
        "parents_stack": [],
        "thread": {
            "count": 0,
            "items": [],
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
        },
        **extra,
    }


def wall_reply_new(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return event("wall_reply_new", wall_comment(text, **extra))


def photo_comment_new(text: str = "hello", *, photo_id: int = 457239017, **extra: Any) -> dict[str, Any]:
    obj = wall_comment(text, **extra)
    for key in ("post_id", "post_owner_id", "owner_id", "thread"):
        obj.pop(key, None)
    obj.update(photo_id=photo_id, photo_owner_id=-GROUP_ID)
    return event("photo_comment_new", obj)


def video_comment_new(text: str = "hello", *, video_id: int = 456239018, **extra: Any) -> dict[str, Any]:
    obj = wall_comment(text, **extra)
    for key in ("post_id", "post_owner_id", "owner_id", "thread"):
        obj.pop(key, None)
    obj.update(video_id=video_id, video_owner_id=-GROUP_ID)
    return event("video_comment_new", obj)


def market_comment_new(text: str = "hello", *, item_id: int = 8812345, **extra: Any) -> dict[str, Any]:
    obj = wall_comment(text, **extra)
    for key in ("post_id", "post_owner_id", "owner_id", "thread"):
        obj.pop(key, None)
    obj.update(item_id=item_id, market_owner_id=-GROUP_ID)
    return event("market_comment_new", obj)


def board_post_new(text: str = "hello", *, topic_id: int = 39000001, from_id: int = USER) -> dict[str, Any]:
    obj = {
        "id": next(_ids),
        "from_id": from_id,
        "date": DATE,
        "text": text,
        "topic_owner_id": -GROUP_ID,
        "topic_id": topic_id,
    }
    return event("board_post_new", obj)


def chat_message(
    text: str = "hello",
    *,
    from_id: int = USER,
    peer_id: int = CHAT_PEER,
    cmid: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message object of a community chat (peer_id > 2e9); bots see ``id`` 0 there."""
    return {
        "date": DATE,
        "from_id": from_id,
        "id": 0,
        "out": 0,
        "version": 10000123,
        "attachments": [],
        "conversation_message_id": cmid or next(_cmids),
        "fwd_messages": [],
        "important": False,
        "is_hidden": False,
        "peer_id": peer_id,
        "random_id": 0,
        "text": text,
        **extra,
    }


CLIENT_INFO = {
    "button_actions": ["text", "vkpay", "open_app", "location", "open_link", "callback", "intent_subscribe"],
    "keyboard": True,
    "inline_keyboard": True,
    "carousel": True,
    "lang_id": 0,
}


def message_new(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return event("message_new", {"message": chat_message(text, **extra), "client_info": CLIENT_INFO})


def message_edit(text: str = "edited", **extra: Any) -> dict[str, Any]:
    msg = chat_message(text, **extra)
    msg["update_time"] = DATE + 60
    return event("message_edit", msg)


def message_event(
    data: str, *, user_id: int = MODERATOR, peer_id: int = CHAT_PEER, cmid: int = 5
) -> dict[str, Any]:
    return event(
        "message_event",
        {
            "user_id": user_id,
            "peer_id": peer_id,
            "event_id": "2f1c0a7b9d3e",
            "payload": {"d": data},
            "conversation_message_id": cmid,
        },
    )
