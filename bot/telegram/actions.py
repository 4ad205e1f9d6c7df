"""``TelegramActions``: Dozor's ``Actions`` port carried out through an aiogram ``Bot``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramRetryAfter
from aiogram.types import (
    BufferedInputFile,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)

from bot import perform
from bot.telegram.errors import action_failed, is_gone, is_not_modified
from bot.telegram.ratelimit import ChatRateLimiter
from moderation.actions import Action, Delete
from moderation.errors import ActionFailed
from moderation.ports import Button, Capabilities, ChatRole, Done, Outcome

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CALLBACK_DATA = 64  # bytes
BATCH = 100  # deleteMessages takes at most 100 ids
CAPABILITIES = Capabilities(
    batch=BATCH,
    mute=True,
    join_check=True,
    greets_newcomers=True,
    comment_buttons=True,  # comments in a discussion group are chat messages
    comment_files=True,
    dedup_messages=False,
    banned_can_write=True,  # a banned member can still write to the bot privately
)
INLINE_RETRY_LIMIT = 5.0  # seconds an inline retry (answerCallbackQuery) may wait
_MUTED = ChatPermissions(**dict.fromkeys(ChatPermissions.model_fields, False))
_FREE = ChatPermissions(**dict.fromkeys(ChatPermissions.model_fields, True))


class TelegramActions:
    """Carries out actions on Telegram; every refusal becomes ``ActionFailed``.

    Args:
        bot: the aiogram bot (its session decides which Bot API server is used).
        limiter: spaces Dozor's own messages per chat.
    """

    capabilities = CAPABILITIES

    def __init__(self, bot: Bot, limiter: ChatRateLimiter | None = None) -> None:
        self.bot = bot
        self.limiter = limiter or ChatRateLimiter()

    def batch_key(self, action: Action) -> tuple[str, str] | None:
        """Deletes in one chat go together (``deleteMessages``); everything else alone."""
        return ("delete", action.chat_id) if isinstance(action, Delete) else None

    async def perform(self, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
        if len(actions) > 1 and all(isinstance(a, Delete) for a in actions):
            ids = [m for a in actions if isinstance(a, Delete) for m in a.message_ids]
            await self.delete_messages(actions[0].chat_id, ids)
            return [Done() for _ in actions]
        return await perform.each(self, actions, keys)

    async def _call(self, what: str, call: Awaitable[T]) -> T:
        try:
            return await call
        except AiogramError as exc:
            failure = action_failed(exc, what)
            log.warning("telegram: %s", failure)
            raise failure from exc

    async def delete_messages(
        self, chat_id: str, message_ids: Sequence[str], *, kind: str = "", thread_id: str | None = None
    ) -> Done | None:
        """Delete messages; one id uses deleteMessage (precise errors), more use deleteMessages
        (which skips messages that are already gone). A message already gone is done: the wanted
        state is there (someone deleted it, or an attempt cut by a crash did)."""
        ids = [int(m) for m in message_ids]
        if len(ids) == 1:
            try:
                await self.bot.delete_message(chat_id=int(chat_id), message_id=ids[0])
            except AiogramError as exc:
                if not is_gone(exc):
                    raise action_failed(exc, f"delete message {ids[0]} in chat {chat_id}") from exc
                log.info("telegram: message %s in chat %s: already gone", ids[0], chat_id)
                return Done(already_gone=True)
            return None
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            await self._call(
                f"delete {len(batch)} messages in chat {chat_id}",
                self.bot.delete_messages(chat_id=int(chat_id), message_ids=batch),
            )
        return None

    async def restrict(self, chat_id: str, user_id: str, until: datetime | None) -> None:
        """Mute: no sending of anything until ``until`` (None: until lifted)."""
        await self._call(
            f"mute user {user_id} in chat {chat_id}",
            self.bot.restrict_chat_member(
                chat_id=int(chat_id),
                user_id=int(user_id),
                permissions=_MUTED,
                use_independent_chat_permissions=True,
                until_date=until,
            ),
        )

    async def unrestrict(self, chat_id: str, user_id: str) -> None:
        await self._call(
            f"lift the mute of user {user_id} in chat {chat_id}",
            self.bot.restrict_chat_member(
                chat_id=int(chat_id),
                user_id=int(user_id),
                permissions=_FREE,
                use_independent_chat_permissions=True,
            ),
        )

    async def ban(
        self, chat_id: str, user_id: str, until: datetime | None, *, sender_chat: bool = False
    ) -> None:
        """Ban a user (until ``until``; None is permanent) or, with ``sender_chat``, a channel."""
        if sender_chat:
            await self._call(
                f"ban channel {user_id} in chat {chat_id}",
                self.bot.ban_chat_sender_chat(chat_id=int(chat_id), sender_chat_id=int(user_id)),
            )
            return
        await self._call(
            f"ban user {user_id} in chat {chat_id}",
            self.bot.ban_chat_member(chat_id=int(chat_id), user_id=int(user_id), until_date=until),
        )

    async def unban(self, chat_id: str, user_id: str, *, sender_chat: bool = False) -> None:
        if sender_chat:
            await self._call(
                f"unban channel {user_id} in chat {chat_id}",
                self.bot.unban_chat_sender_chat(chat_id=int(chat_id), sender_chat_id=int(user_id)),
            )
            return
        await self._call(
            f"unban user {user_id} in chat {chat_id}",
            self.bot.unban_chat_member(chat_id=int(chat_id), user_id=int(user_id), only_if_banned=True),
        )

    async def send_message(
        self,
        chat_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        thread_id: str | None = None,
        buttons: Sequence[Sequence[Button]] = (),
        kind: str = "",
        dedup_key: str | None = None,
    ) -> str:
        """Send plain text (no parse mode: user text is never markup) and return the message id."""
        markup = keyboard(buttons)
        await self.limiter.acquire(chat_id)
        message = await self._call(
            f"send a message to chat {chat_id}",
            self.bot.send_message(
                chat_id=int(chat_id),
                text=clip(text),
                parse_mode=None,
                message_thread_id=int(thread_id) if thread_id else None,
                reply_parameters=(
                    ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True)
                    if reply_to
                    else None
                ),
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        return str(message.message_id)

    async def edit_message(
        self, chat_id: str, message_id: str, text: str, *, buttons: Sequence[Sequence[Button]] = ()
    ) -> None:
        """Replace the text (and buttons; none removes them) of one of Dozor's messages."""
        try:
            await self.bot.edit_message_text(
                chat_id=int(chat_id),
                message_id=int(message_id),
                text=clip(text),
                parse_mode=None,
                reply_markup=keyboard(buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except AiogramError as exc:
            if is_not_modified(exc):
                return
            raise action_failed(exc, f"edit message {message_id} in chat {chat_id}") from exc

    async def send_document(
        self,
        chat_id: str,
        filename: str,
        data: bytes,
        *,
        caption: str = "",
        reply_to: str | None = None,
        dedup_key: str | None = None,
    ) -> str:
        """Send a file (e.g. ``/rule export`` YAML) and return the message id."""
        await self.limiter.acquire(chat_id)
        message = await self._call(
            f"send the file {filename} to chat {chat_id}",
            self.bot.send_document(
                chat_id=int(chat_id),
                document=BufferedInputFile(data, filename=filename),
                caption=clip(caption, 1024) or None,
                parse_mode=None,
                reply_parameters=(
                    ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True)
                    if reply_to
                    else None
                ),
            ),
        )
        return str(message.message_id)

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None:
        """Answer a button press; flood control gets one inline retry (the press expires soon)."""
        what = "answer a button press"
        call = {"callback_query_id": callback_id, "text": clip(text, 200), "show_alert": alert}
        try:
            await self.bot.answer_callback_query(**call)
        except TelegramRetryAfter as exc:
            if exc.retry_after > INLINE_RETRY_LIMIT:
                raise action_failed(exc, what) from exc
            await asyncio.sleep(exc.retry_after)
            await self._call(what, self.bot.answer_callback_query(**call))
        except AiogramError as exc:
            raise action_failed(exc, what) from exc

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole:
        """The user's standing in the chat; channels (negative ids) have none."""
        if user_id.startswith("-"):
            return ChatRole()
        member = await self._call(
            f"look up user {user_id} in chat {chat_id}",
            self.bot.get_chat_member(chat_id=int(chat_id), user_id=int(user_id)),
        )
        if member.status == "creator":
            return ChatRole(is_admin=True, is_owner=True, can_delete=True, can_restrict=True)
        if member.status == "administrator":
            return ChatRole(
                is_admin=True,
                can_delete=bool(getattr(member, "can_delete_messages", False)),
                can_restrict=bool(getattr(member, "can_restrict_members", False)),
            )
        return ChatRole()


def keyboard(buttons: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard, refusing ``callback_data`` over Telegram's 64-byte limit.

    Raises:
        ActionFailed: (permanent) naming the button whose data is too long.
    """
    rows = [row for row in buttons if row]
    if not rows:
        return None
    for row in rows:
        for button in row:
            if button.url:
                continue
            size = len(button.data.encode("utf-8"))
            if size > MAX_CALLBACK_DATA or size == 0:
                raise ActionFailed(
                    f"button {button.text!r} carries {size} bytes of data; Telegram takes 1-64 bytes",
                    permanent=True,
                )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.text, url=b.url)
                if b.url
                else InlineKeyboardButton(text=b.text, callback_data=b.data)
                for b in row
            ]
            for row in rows
        ]
    )


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Text cut to Telegram's limit, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
