"""VK events → Dozor updates, at the edge. Pure: no I/O, no decisions.

Callback API and Bots Long Poll deliver the same ``{type, object, group_id, event_id, v}``
objects (API 5.199); ``translate`` takes one and returns the Dozor updates it means. Addresses
follow the platform seam: a comment is ``MessageRef(owner_id, comment_id, thread_id=post / photo /
video / item / topic id)``, a chat message ``MessageRef(peer_id, conversation_message_id)``.

Ignored: comments and messages by the community itself (Dozor's own replies and the admins
posting as the community), ``*_delete`` events (the item is gone; nothing to moderate), service
messages in chats, private messages other than commands, and every event type Dozor does not use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.vk.content import author, content, is_chat
from bot.vk.names import names_of
from handlers.updates import ButtonPress, CommandCall, MemberChange, MemberStatus, Update
from moderation.events import Author, Event, EventKind, MessageRef, Platform

Names = Mapping[str, str]  # user id as text → name, from bot.vk.names

_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{0,31})(?=\s|$)")

# comment event prefix → (kind, field with the thread id, field with the owner id)
_COMMENTS: dict[str, tuple[EventKind, str, str]] = {
    "wall_reply": (EventKind.VK_WALL_COMMENT, "post_id", "owner_id"),
    "photo_comment": (EventKind.VK_PHOTO_COMMENT, "photo_id", "photo_owner_id"),
    "video_comment": (EventKind.VK_VIDEO_COMMENT, "video_id", "video_owner_id"),
    "market_comment": (EventKind.VK_MARKET_COMMENT, "item_id", "market_owner_id"),
    "board_post": (EventKind.VK_BOARD_COMMENT, "topic_id", "topic_owner_id"),
}


def translate(event: Mapping[str, Any]) -> list[Update]:
    """Translate one VK event.

    Args:
        event: the event object as VK sent it (and as stored in the inbox).

    Returns:
        The Dozor updates, in order; empty when Dozor has nothing to do with it.
    """
    kind = str(event.get("type") or "")
    obj = event.get("object")
    group_id = int(event.get("group_id") or 0)
    if not isinstance(obj, Mapping) or group_id <= 0:
        return []
    prefix, _, action = kind.rpartition("_")
    names = names_of(event)
    if prefix in _COMMENTS and action in ("new", "edit", "restore"):
        return _comment(obj, group_id, names, prefix, edited=action == "edit")
    handler = _HANDLERS.get(kind)
    return handler(obj, group_id, names) if handler is not None else []


def _ts(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


def _comment(
    obj: Mapping[str, Any], group_id: int, names: Names, prefix: str, *, edited: bool
) -> list[Update]:
    kind, thread_field, owner_field = _COMMENTS[prefix]
    from_id = int(obj.get("from_id") or 0)
    if from_id == -group_id or not from_id:
        return []  # the community's own comment (Dozor's replies, admins posting as the community)
    owner = int(obj.get(owner_field) or obj.get("owner_id") or -group_id)
    if kind is EventKind.VK_BOARD_COMMENT:
        owner = -group_id  # topics are addressed by the community (board.deleteComment group_id)
    thread = str(obj.get(thread_field) or obj.get("post_id") or "")
    ref = MessageRef(chat_id=str(owner), message_id=str(obj.get("id")), thread_id=thread or None)
    replied_id = obj.get("reply_to_comment")
    reply_to = (
        MessageRef(chat_id=str(owner), message_id=str(replied_id), thread_id=ref.thread_id)
        if replied_id
        else None
    )
    text = str(obj.get("text") or "")
    who = author(from_id, group_id, names)
    updates: list[Update] = [
        Event(
            platform=Platform.VK,
            kind=kind,
            community_id=str(group_id),
            message=ref,
            author=who,
            text=text,
            date=_ts(obj.get("date")),
            edited=edited,
            reply_to=reply_to,
            content=content(obj),
        )
    ]
    command = None if edited else _command(text, group_id)
    if command is not None:
        name, args = command
        replied_author = obj.get("reply_to_user")
        updates.append(
            CommandCall(
                platform=Platform.VK,
                chat_id=ref.chat_id,  # answered under the same post, photo, video, item or topic
                community_id=str(group_id),
                kind=kind,
                message=ref,
                author=who,
                name=name,
                args=args,
                date=_ts(obj.get("date")),
                reply_to=reply_to,
                reply_to_author=author(replied_author, group_id, names) if replied_author else None,
            )
        )
    return updates


def _command(text: str, group_id: int) -> tuple[str, str] | None:
    """(name, args) of ``/name args``; a leading mention of the community ("[club1|…] /ban") is allowed."""
    text = re.sub(rf"^\s*\[(?:club|public){group_id}\|[^\]]*\][,:]?\s*", "", text)
    match = _COMMAND.match(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip(" \t").removeprefix("\n").rstrip()
    return match.group(1).lower(), rest


def _message_new(obj: Mapping[str, Any], group_id: int, names: Names) -> list[Update]:
    message = obj.get("message")
    return _message(message, group_id, names, edited=False) if isinstance(message, Mapping) else []


def _message_edit(obj: Mapping[str, Any], group_id: int, names: Names) -> list[Update]:
    return _message(obj, group_id, names, edited=True)


def _message(msg: Mapping[str, Any], group_id: int, names: Names, *, edited: bool) -> list[Update]:
    peer = int(msg.get("peer_id") or 0)
    from_id = int(msg.get("from_id") or 0)
    if from_id == -group_id or not from_id or msg.get("action"):
        return []  # the community's own messages, and service messages (joins, title changes)
    text = str(msg.get("text") or "")
    facts = content(msg)
    ref = MessageRef(chat_id=str(peer), message_id=str(msg.get("conversation_message_id") or 0))
    who = author(from_id, group_id, names)
    date = _ts(msg.get("update_time") if edited and msg.get("update_time") else msg.get("date"))
    replied = msg.get("reply_message")
    reply_to: MessageRef | None = None
    replied_author: Author | None = None
    if isinstance(replied, Mapping) and replied.get("conversation_message_id"):
        reply_to = MessageRef(chat_id=str(peer), message_id=str(replied["conversation_message_id"]))
        replied_author = author(replied.get("from_id"), group_id, names)
    command = None if edited else _command(text, group_id)
    call = None
    if command is not None:
        call = CommandCall(
            platform=Platform.VK,
            chat_id=str(peer),
            community_id=str(group_id),
            kind=EventKind.VK_CHAT_MESSAGE,
            message=ref,
            author=who,
            name=command[0],
            args=command[1],
            date=date,
            reply_to=reply_to,
            reply_to_author=replied_author,
            reply_to_text=(str(replied.get("text") or "") or None) if isinstance(replied, Mapping) else None,
            private=not is_chat(peer),
        )
    if not is_chat(peer):
        return [call] if call is not None else []  # private chatter is not moderated; appeals are
    if not text and not (facts.media or facts.links or facts.forwarded):
        return [call] if call is not None else []
    # A command in a chat is also a message everyone sees: moderated first, then handled.
    event = Event(
        platform=Platform.VK,
        kind=EventKind.VK_CHAT_MESSAGE,
        community_id=str(group_id),
        message=ref,
        author=who,
        text=text,
        date=date,
        edited=edited,
        reply_to=reply_to,
        content=facts,
    )
    return [event, call] if call is not None else [event]


def button_data(payload: Any) -> str:
    """The ``Button.data`` a callback button carries (Dozor sends ``{"d": data}`` as payload)."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return payload
    if isinstance(payload, Mapping) and isinstance(payload.get("d"), str):
        return payload["d"]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _message_event(obj: Mapping[str, Any], group_id: int, names: Names) -> list[Update]:
    user_id, peer, event_id = obj.get("user_id"), obj.get("peer_id"), obj.get("event_id")
    if not (user_id and peer and event_id):
        return []
    return [
        ButtonPress(
            platform=Platform.VK,
            callback_id=f"{event_id}:{user_id}:{peer}",
            chat_id=str(peer),
            message_id=str(obj.get("conversation_message_id") or 0),
            user=author(user_id, group_id, names),
            data=button_data(obj.get("payload")),
            date=datetime.now(UTC),  # a press carries no time of its own
            community_id=str(group_id),
        )
    ]


def _member(status_of: Callable[[Mapping[str, Any]], MemberStatus | None]) -> Any:
    def handler(obj: Mapping[str, Any], group_id: int, names: Names) -> list[Update]:
        user_id = int(obj.get("user_id") or 0)
        status = status_of(obj)
        if user_id <= 0 or status is None:
            return []
        return [
            MemberChange(
                platform=Platform.VK,
                community_id=str(group_id),
                user=author(user_id, group_id, names),
                status=status,
                date=datetime.now(UTC),  # member events carry no time of their own
            )
        ]

    return handler


def _joined(obj: Mapping[str, Any]) -> MemberStatus | None:
    # "request": asked to join a closed community, not a member yet
    return None if obj.get("join_type") == "request" else MemberStatus.JOINED


def _officer(obj: Mapping[str, Any]) -> MemberStatus:
    # levels: 0 none, 1 moderator, 2 editor, 3 administrator
    return MemberStatus.ADMIN if int(obj.get("level_new") or 0) > 0 else MemberStatus.MEMBER


_HANDLERS: dict[str, Callable[[Mapping[str, Any], int, Names], list[Update]]] = {
    "message_new": _message_new,
    "message_edit": _message_edit,
    "message_event": _message_event,
    "group_join": _member(_joined),
    "group_leave": _member(lambda _obj: MemberStatus.LEFT),
    "user_block": _member(lambda _obj: MemberStatus.BANNED),
    "user_unblock": _member(lambda _obj: MemberStatus.MEMBER),
    "group_officers_edit": _member(_officer),
}
