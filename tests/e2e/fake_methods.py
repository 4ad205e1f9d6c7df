"""What the fake Bot API answers, method by method (shapes as in core.telegram.org/bots/api)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.fake_telegram import FakeTelegram

BOT_ID = 123456789
BOT_USERNAME = "dozor_test_bot"
ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_send_welcome_messages": False,
}


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _user(server: FakeTelegram, user_id: int) -> dict[str, Any]:
    if user_id == BOT_ID:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Dozor", "username": BOT_USERNAME}
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def _chat(server: FakeTelegram, chat_id: Any) -> dict[str, Any]:
    chat_id = int(chat_id)
    known = server.chats.get(chat_id)
    if known:
        return {"id": chat_id, **known}
    return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}


def get_me(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    me = _user(server, BOT_ID)
    return {
        **me,
        "can_join_groups": True,
        "can_read_all_group_messages": server.can_read_all_group_messages,
        "supports_inline_queries": False,
    }


def send_message(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": server.new_message_id(),
        "date": int(time.time()),
        "chat": _chat(server, params["chat_id"]),
        "from": _user(server, BOT_ID),
        "text": str(params.get("text", "")),
    }
    if params.get("reply_markup"):
        message["reply_markup"] = params["reply_markup"]
    if params.get("message_thread_id"):
        message["message_thread_id"] = params["message_thread_id"]
        message["is_topic_message"] = True
    return message


def send_document(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    message = send_message(server, {**params, "text": ""})
    message.pop("text")
    message["document"] = {"file_id": "doc1", "file_unique_id": "doc1u", "file_name": "file"}
    if params.get("caption"):
        message["caption"] = params["caption"]
    return message


def edit_message_text(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    message = send_message(server, params)
    message["message_id"] = int(params["message_id"])
    message["edit_date"] = int(time.time())
    return message


def get_chat_member(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
    known = server.members.get((chat_id, user_id))
    if known is None:
        known = {"status": "administrator", **ADMIN_RIGHTS} if user_id == BOT_ID else {"status": "member"}
    if known["status"] == "administrator":
        known = {**ADMIN_RIGHTS, **known}
    if known["status"] == "restricted":
        known = {"is_member": True, "until_date": 0, **_all_permissions(False), **known}
    if known["status"] == "kicked":
        known = {"until_date": 0, **known}
    if known["status"] == "creator":
        known = {"is_anonymous": False, **known}
    return {"user": _user(server, user_id), **known}


def _all_permissions(value: bool) -> dict[str, bool]:
    names = (
        "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
        "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
        "can_add_web_page_previews can_change_info can_invite_users can_pin_messages can_manage_topics"
    )
    return dict.fromkeys(names.split(), value)


def get_chat(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    return {**_chat(server, params["chat_id"]), "accent_color_id": 0, "max_reaction_count": 11}


def set_webhook(server: FakeTelegram, params: dict[str, Any]) -> bool:
    server.webhook = {
        "url": params.get("url", ""),
        "secret_token": params.get("secret_token"),
        "allowed_updates": params.get("allowed_updates"),
    }
    return True


def delete_webhook(server: FakeTelegram, params: dict[str, Any]) -> bool:
    server.webhook = {}
    return True


def get_webhook_info(server: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "url": server.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(server.pending_updates()),
    }
    if server.webhook.get("allowed_updates"):
        info["allowed_updates"] = server.webhook["allowed_updates"]
    return {**info, **server.webhook_info_extra}


def _true(server: FakeTelegram, params: dict[str, Any]) -> bool:
    return True


HANDLERS: dict[str, Callable[[FakeTelegram, dict[str, Any]], Any]] = {
    "getme": get_me,
    "sendmessage": send_message,
    "senddocument": send_document,
    "editmessagetext": edit_message_text,
    "getchatmember": get_chat_member,
    "getchat": get_chat,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    **{
        name: _true
        for name in (
            "deletemessage",
            "deletemessages",
            "restrictchatmember",
            "banchatmember",
            "unbanchatmember",
            "banchatsenderchat",
            "unbanchatsenderchat",
            "answercallbackquery",
            "editmessagereplymarkup",
        )
    },
}
