"""Planned platform actions: one small type each, the contract between use cases and adapters.

A use case plans an action (it is stored in the outbox as ``kind`` + ``payload``); the executor
reads it back with ``from_payload`` and hands it to the platform's ``Actions`` port
(``moderation.ports``). Nothing here knows a platform: where an action happens is a chat id,
and for comments the surface and thread they live under.

The stored payload keeps the field names the outbox has always used (``kind`` for a message's
surface, ``content_b64`` for a file), so rows planned before an upgrade still run after it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moderation.errors import ActionFailed
from moderation.ports import Button


@dataclass(frozen=True, slots=True)
class Delete:
    """Remove messages or comments that live in one place.

    ``surface`` is an ``EventKind`` value ("" for a chat message); a comment also needs its
    ``thread_id`` (the post, photo, video, item or topic it is under).
    """

    chat_id: str
    message_ids: tuple[str, ...]
    surface: str = ""
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class Restrict:
    """Mute: the user cannot write until ``until`` (None: until lifted). ``comment``: shown to the
    person where the platform shows one (VK: the ban's comment; a mute there is a timed ban)."""

    chat_id: str
    user_id: str
    until: datetime | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Unrestrict:
    chat_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class Ban:
    """Ban until ``until`` (None: for good); ``sender_chat``: the poster is a channel; ``comment``:
    shown to the banned where the platform shows one (VK)."""

    chat_id: str
    user_id: str
    until: datetime | None = None
    sender_chat: bool = False
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Unban:
    chat_id: str
    user_id: str
    sender_chat: bool = False


@dataclass(frozen=True, slots=True)
class Send:
    """A message in a chat, or (with ``surface`` and ``thread_id``) a comment under a post."""

    chat_id: str
    text: str
    reply_to: str | None = None
    thread_id: str | None = None
    surface: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    delete_after: int | None = None  # seconds after which Dozor removes its own message


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text and buttons (none removes them) of one of Dozor's messages."""

    chat_id: str
    message_id: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A file (an export, a chart) sent to a chat."""

    chat_id: str
    filename: str
    content: bytes
    caption: str = ""


Action = Delete | Restrict | Unrestrict | Ban | Unban | Send | Edit | Document

ENFORCING: tuple[type, ...] = (Delete, Restrict, Unrestrict, Ban, Unban)  # change what people may see or do
RESTRICTING: tuple[type, ...] = (Restrict, Ban)  # against a person
VISIBLE: tuple[type, ...] = (Send, Document)  # a repeat would be seen twice

KINDS: dict[type, str] = {
    Delete: "delete",
    Restrict: "restrict",
    Unrestrict: "unrestrict",
    Ban: "ban",
    Unban: "unban",
    Send: "send",
    Edit: "edit",
    Document: "document",
}
_TYPES = {kind: cls for cls, kind in KINDS.items()}


def kinds_of(types: Sequence[type]) -> frozenset[str]:
    """The outbox ``kind`` values of some action types."""
    return frozenset(KINDS[t] for t in types)


def kind_of(action: Action) -> str:
    return KINDS[type(action)]


def to_payload(action: Action) -> dict[str, Any]:
    """The JSON-able outbox payload of an action (empty and default fields left out)."""
    match action:
        case Delete():
            p: dict[str, Any] = {"chat_id": action.chat_id, "message_ids": list(action.message_ids)}
            _put(p, kind=action.surface, thread_id=action.thread_id)
        case Restrict():
            p = {"chat_id": action.chat_id, "user_id": action.user_id, "until": _iso(action.until)}
            _put(p, comment=action.comment)
        case Unrestrict():
            p = {"chat_id": action.chat_id, "user_id": action.user_id}
        case Ban():
            p = {"chat_id": action.chat_id, "user_id": action.user_id, "until": _iso(action.until)}
            p["sender_chat"] = action.sender_chat
            _put(p, comment=action.comment)
        case Unban():
            p = {"chat_id": action.chat_id, "user_id": action.user_id, "sender_chat": action.sender_chat}
        case Send():
            p = {"chat_id": action.chat_id, "text": action.text}
            _put(
                p,
                reply_to=action.reply_to,
                thread_id=action.thread_id,
                kind=action.surface,
                buttons=_buttons_out(action.buttons),
                delete_after=action.delete_after,
            )
        case Edit():
            p = {"chat_id": action.chat_id, "message_id": action.message_id, "text": action.text}
            p["buttons"] = _buttons_out(action.buttons)
        case Document():
            p = {
                "chat_id": action.chat_id,
                "filename": action.filename,
                "content_b64": base64.b64encode(action.content).decode("ascii"),
                "caption": action.caption,
            }
    return p


def from_payload(kind: str, p: Mapping[str, Any]) -> Action:
    """The action an outbox row holds. Raises a permanent ``ActionFailed`` for a malformed row
    (it cannot get better by retrying)."""
    cls = _TYPES.get(kind)
    if cls is None:
        raise ActionFailed(f"unknown outbox action {kind!r}", permanent=True)
    try:
        chat = str(p["chat_id"])
        if cls is Delete:
            return Delete(
                chat, tuple(str(m) for m in p["message_ids"]), str(p.get("kind") or ""), _opt(p, "thread_id")
            )
        if cls is Restrict:
            return Restrict(chat, str(p["user_id"]), _when(p.get("until")), str(p.get("comment") or ""))
        if cls is Unrestrict:
            return Unrestrict(chat, str(p["user_id"]))
        if cls is Ban:
            return Ban(
                chat,
                str(p["user_id"]),
                _when(p.get("until")),
                bool(p.get("sender_chat", False)),
                str(p.get("comment") or ""),
            )
        if cls is Unban:
            return Unban(chat, str(p["user_id"]), bool(p.get("sender_chat", False)))
        if cls is Send:
            return Send(
                chat,
                str(p["text"]),
                reply_to=_opt(p, "reply_to"),
                thread_id=_opt(p, "thread_id"),
                surface=str(p.get("kind") or ""),
                buttons=_buttons_in(p.get("buttons")),
                delete_after=int(p["delete_after"]) if p.get("delete_after") else None,
            )
        if cls is Edit:
            return Edit(chat, str(p["message_id"]), str(p["text"]), _buttons_in(p.get("buttons")))
        return Document(
            chat, str(p["filename"]), base64.b64decode(p["content_b64"]), str(p.get("caption") or "")
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ActionFailed(f"malformed {kind} action in the outbox: {exc!r}", permanent=True) from exc


def buttons(rows: Sequence[Sequence[Button]]) -> tuple[tuple[Button, ...], ...]:
    """Button rows as the immutable tuples actions hold."""
    return tuple(tuple(row) for row in rows)


def _put(p: dict[str, Any], **values: Any) -> None:
    p.update({k: v for k, v in values.items() if v not in (None, "", [], ())})


def _opt(p: Mapping[str, Any], key: str) -> str | None:
    value = p.get(key)
    return None if value is None or value == "" else str(value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _buttons_out(rows: tuple[tuple[Button, ...], ...]) -> list[list[dict[str, str]]]:
    return [
        [{"text": b.text, "url": b.url} if b.url else {"text": b.text, "data": b.data} for b in row]
        for row in rows
    ]


def _buttons_in(rows: Any) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(Button(str(b["text"]), str(b.get("data") or ""), _opt(b, "url")) for b in row)
        for row in rows or ()
    )
