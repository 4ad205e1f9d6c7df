"""Telegram updates → Dozor updates, at the edge. Pure: no I/O, no decisions.

``translate`` takes an aiogram ``Update`` or the raw Bot API JSON (as stored in the inbox) and
returns the Dozor updates it means: usually one, none for what Dozor ignores (service messages,
private chatter, posts auto-forwarded from a linked channel).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram.types import Update as TgUpdate

from bot.telegram.content import (
    author_of,
    chat_name,
    content_of,
    message_entities,
    message_text,
    user_author,
)
from handlers.updates import BotStatusChange, ButtonPress, CommandCall, MemberChange, MemberStatus, Update
from moderation.events import Event, EventKind, MessageRef, Platform

_GROUPS = {"group", "supergroup"}
_ADMIN = {"creator", "administrator"}
_GONE = {"left", "kicked"}


def translate(update: TgUpdate | Mapping[str, Any], *, bot_username: str | None = None) -> list[Update]:
    """Translate one Telegram update.

    Args:
        update: an aiogram ``Update`` or its raw JSON (``from`` or ``from_user`` keys both work).
        bot_username: Dozor's own username; commands addressed to another bot
            (``/ban@other_bot``) are then ordinary messages.

    Returns:
        The Dozor updates, in order; empty when Dozor has nothing to do with it.
    """
    tg = update if isinstance(update, TgUpdate) else TgUpdate.model_validate(dict(update))
    if tg.message is not None:
        return _message(tg.message, edited=False, bot_username=bot_username)
    if tg.edited_message is not None:
        return _message(tg.edited_message, edited=True, bot_username=bot_username)
    if tg.callback_query is not None:
        return _callback(tg.callback_query)
    if tg.chat_member is not None:
        return _member(tg.chat_member)
    if tg.my_chat_member is not None:
        return _bot_status(tg.my_chat_member)
    return []


def message_ref(message: Message) -> MessageRef:
    thread = message.message_thread_id if message.is_topic_message else None
    return MessageRef(
        chat_id=str(message.chat.id),
        message_id=str(message.message_id),
        thread_id=str(thread) if thread is not None else None,
    )


def _message(message: Message, *, edited: bool, bot_username: str | None) -> list[Update]:
    private = message.chat.type == "private"
    if message.chat.type not in _GROUPS and not private:
        return []  # channels themselves are not moderated
    if message.is_automatic_forward:
        return []  # the linked channel's own post, copied into its discussion group
    text = message_text(message)
    if not text and not _has_content(message):
        return []  # service messages: joins, pins, title changes, …
    command = None if edited else _command(message, text, bot_username)
    if private:
        # private chatter with the bot is not moderated; commands (appeals) are handled
        return [command] if command is not None else []
    replied = message.reply_to_message
    is_comment = replied is not None and bool(replied.is_automatic_forward)
    # A command in a group is also a message everyone sees: it is moderated first, so that
    # "/start <spam>" is no way around Dozor, and then handled.
    return [
        Event(
            platform=Platform.TELEGRAM,
            kind=EventKind.TELEGRAM_COMMENT if is_comment else EventKind.TELEGRAM_MESSAGE,
            community_id=str(message.chat.id),
            message=message_ref(message),
            author=author_of(message),
            text=text,
            date=_edit_date(message) if edited else message.date,
            edited=edited,
            reply_to=message_ref(replied) if replied is not None else None,
            content=content_of(message),
        ),
        *([command] if command is not None else []),
    ]


def _edit_date(message: Message) -> datetime:
    """When the edit happened (aiogram gives ``edit_date`` as a Unix time)."""
    if message.edit_date is None:
        return message.date
    return datetime.fromtimestamp(int(message.edit_date), UTC)


def _has_content(message: Message) -> bool:
    facts = content_of(message)
    return bool(facts.media or facts.has_contact or facts.forwarded)


def _command(message: Message, text: str, bot_username: str | None) -> CommandCall | None:
    entities = message_entities(message)
    first = entities[0] if entities else None
    if first is None or first.type != "bot_command" or first.offset != 0:
        return None
    word = first.extract_from(text)
    name, _, addressee = word[1:].partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower().lstrip("@"):
        return None
    args = _command_args(text[len(word) :])
    replied = message.reply_to_message
    return CommandCall(
        platform=Platform.TELEGRAM,
        chat_id=str(message.chat.id),
        message=message_ref(message),
        author=author_of(message),
        name=name.lower(),
        args=args,
        date=message.date,
        reply_to=message_ref(replied) if replied is not None else None,
        reply_to_author=author_of(replied) if replied is not None else None,
        reply_to_text=(message_text(replied) or None) if replied is not None else None,
        title=chat_name(message.chat) if message.chat.type in _GROUPS else "",
        private=message.chat.type == "private",
    )


def _command_args(rest: str) -> str:
    """Arguments verbatim: the separator after the command goes, indentation of YAML lines stays."""
    rest = rest.lstrip(" \t")
    return rest.removeprefix("\n").rstrip()


def _callback(query: CallbackQuery) -> list[Update]:
    if query.message is None or query.data is None:
        return []  # inline-mode or game buttons: not Dozor's cards
    return [
        ButtonPress(
            platform=Platform.TELEGRAM,
            callback_id=query.id,
            chat_id=str(query.message.chat.id),
            message_id=str(query.message.message_id),
            user=user_author(query.from_user),
            data=query.data,
            # A button press carries no time of its own; the card's time would be wrong.
            date=datetime.now(UTC),
        )
    ]


def _member(change: ChatMemberUpdated) -> list[Update]:
    if change.chat.type not in _GROUPS:
        return []
    new = change.new_chat_member
    status = _member_status(change)
    if status is None:
        return []
    return [
        MemberChange(
            platform=Platform.TELEGRAM,
            community_id=str(change.chat.id),
            user=user_author(new.user),
            status=status,
            date=change.date,
            title=chat_name(change.chat),
        )
    ]


def _is_in(member: Any) -> bool:
    """In the chat: any status but left/kicked, and a restricted member only while ``is_member``."""
    if member.status == "restricted":
        return bool(getattr(member, "is_member", False))
    return member.status not in _GONE


def _member_status(change: ChatMemberUpdated) -> MemberStatus | None:
    old, new = change.old_chat_member, change.new_chat_member
    was_in, is_in = _is_in(old), _is_in(new)
    if new.status in _ADMIN:
        return MemberStatus.ADMIN
    if new.status == "kicked":
        return MemberStatus.BANNED
    if not is_in:
        return MemberStatus.LEFT if was_in else None
    if not was_in:
        return MemberStatus.JOINED
    if new.status == "restricted":
        return MemberStatus.RESTRICTED
    return MemberStatus.MEMBER


def _bot_status(change: ChatMemberUpdated) -> list[Update]:
    if change.chat.type not in _GROUPS:
        return []  # a user blocking the bot in private, or a channel
    new = change.new_chat_member
    return [
        BotStatusChange(
            platform=Platform.TELEGRAM,
            chat_id=str(change.chat.id),
            title=chat_name(change.chat),
            is_admin=new.status in _ADMIN,
            can_delete=new.status == "creator" or bool(getattr(new, "can_delete_messages", False)),
            can_restrict=new.status == "creator" or bool(getattr(new, "can_restrict_members", False)),
            removed=new.status in _GONE,
            date=change.date,
        )
    ]
