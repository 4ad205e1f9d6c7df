"""Realistic raw Bot API updates (the JSON Telegram sends), built by small helpers."""

from __future__ import annotations

import itertools
from typing import Any

from tests.e2e.fake_methods import ADMIN_RIGHTS

GROUP = -1001234567890
MODCHAT = -1009876543210
CHANNEL = -1005555555555
DATE = 1_717_000_000
ANON_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
SERVICE_USER = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
_message_ids = itertools.count(100)
_update_ids = itertools.count(1)


def user(user_id: int = 42, first_name: str = "Ivan", username: str | None = "ivan") -> dict[str, Any]:
    result: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ru"}
    if username:
        result["username"] = username
    return result


def chat_private(person: dict[str, Any]) -> dict[str, Any]:
    """The private chat of a person with the bot (its id is the person's)."""
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group(chat_id: int = GROUP, title: str = "Test group", **extra: Any) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": title, **extra}


def message(
    text: str | None = "hello",
    *,
    chat: dict[str, Any] | None = None,
    sender: dict[str, Any] | None = None,
    message_id: int | None = None,
    entities: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message object (not an update)."""
    result: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": sender or user(),
        "chat": chat or group(),
        "date": DATE,
    }
    if text is not None:
        result["text"] = text
    if entities:
        result["entities"] = entities
    result.update(extra)
    return result


def command_entity(text: str) -> dict[str, Any]:
    word = text.split()[0]
    return {"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}


def update(update_id: int | None = None, **body: Any) -> dict[str, Any]:
    """An update wrapping ``message=…``, ``callback_query=…`` etc."""
    return {"update_id": update_id if update_id is not None else next(_update_ids), **body}


def text_update(text: str, *, update_id: int | None = None, **message_fields: Any) -> dict[str, Any]:
    entities = message_fields.pop("entities", None)
    if entities is None and text.startswith("/"):
        entities = [command_entity(text)]
    return update(update_id, message=message(text, entities=entities, **message_fields))


def callback(
    data: str, *, card: dict[str, Any], sender: dict[str, Any] | None = None, query_id: str = "cbq-1"
) -> dict[str, Any]:
    return update(
        callback_query={
            "id": query_id,
            "from": sender or user(7, "Mod", "mod"),
            "message": card,
            "chat_instance": "-123456",
            "data": data,
        }
    )


def member(status: str, **extra: Any) -> dict[str, Any]:
    if status == "administrator":
        extra = {**ADMIN_RIGHTS, **extra}
    return {"status": status, "user": user(), **extra}


def member_update(old: dict[str, Any], new: dict[str, Any], *, mine: bool = False) -> dict[str, Any]:
    body = {
        "chat": group(),
        "from": user(1, "Admin", "admin"),
        "date": DATE,
        "old_chat_member": old,
        "new_chat_member": new,
    }
    return update(**{"my_chat_member" if mine else "chat_member": body})
