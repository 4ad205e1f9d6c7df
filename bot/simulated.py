"""The simulated platform: an ``Actions`` twin that records what would have happened.

Used by dry runs, ``dozor shell`` and the tests. Every call is appended to ``calls`` as a plain
``Call`` record; sent messages get simulated ids and are kept (with their buttons) so a card can
be edited and pressed; roles are configured per chat with ``set_role``; a method can be told to
fail with ``fail_next`` to exercise retries and permanent failures.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot import perform
from moderation.actions import Action, Delete
from moderation.errors import ActionFailed
from moderation.ports import Button, Capabilities, ChatRole, Done, Outcome

# A platform that can do everything, in batches of deletes per chat like Telegram.
FULL = Capabilities(
    batch=100,
    mute=True,
    join_check=True,
    greets_newcomers=True,
    comment_buttons=True,
    comment_files=True,
    dedup_messages=False,
    banned_can_write=True,
)


@dataclass(frozen=True, slots=True)
class Call:
    """One thing the simulated platform was asked to do.

    Attributes:
        method: the ``Actions`` method name, e.g. "ban", "send_message".
        chat_id: the chat it concerned ("" for callback answers).
        args: the remaining arguments, by name.
    """

    method: str
    chat_id: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SimMessage:
    chat_id: str
    message_id: str
    text: str
    buttons: list[list[Button]]
    deleted: bool = False


class SimulatedActions:
    """Implements ``moderation.ports.Actions`` in memory.

    Args:
        names: display names by user id, used by ``describe`` ("muted Alice").
        first_message_id: the first simulated message id handed out.
        capabilities: what the simulated platform can do (default: everything).
    """

    def __init__(
        self,
        names: dict[str, str] | None = None,
        first_message_id: int = 1,
        capabilities: Capabilities = FULL,
    ) -> None:
        self.capabilities = capabilities
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], SimMessage] = {}
        self.names: dict[str, str] = dict(names or {})
        self._ids = itertools.count(first_message_id)
        self._roles: dict[tuple[str, str], ChatRole] = {}
        self._failures: dict[str, deque[ActionFailed]] = defaultdict(deque)

    # configuration -------------------------------------------------------------------------
    def set_role(self, chat_id: str, user_id: str, role: ChatRole) -> None:
        """What ``get_role`` answers for this user in this chat (default: ordinary member)."""
        self._roles[(chat_id, user_id)] = role

    def fail_next(self, method: str, error: ActionFailed, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` raise ``error`` (and record nothing)."""
        self._failures[method].extend([error] * times)

    def new_message_id(self) -> str:
        """A fresh message id from the same sequence as sent messages (for typed-in messages)."""
        return str(next(self._ids))

    def post(self, chat_id: str, text: str) -> str:
        """Register a message someone typed in a chat; returns its id."""
        message_id = self.new_message_id()
        self.messages[(chat_id, message_id)] = SimMessage(chat_id, message_id, text, [])
        return message_id

    # inspection ----------------------------------------------------------------------------
    def of(self, method: str) -> list[Call]:
        """The recorded calls of one method, oldest first."""
        return [c for c in self.calls if c.method == method]

    def deleted_ids(self, chat_id: str | None = None) -> list[str]:
        return [
            m
            for c in self.of("delete_messages")
            if chat_id in (None, c.chat_id)
            for m in c.args["message_ids"]
        ]

    def sent_to(self, chat_id: str) -> list[str]:
        """Texts sent to a chat, oldest first."""
        return [c.args["text"] for c in self.of("send_message") if c.chat_id == chat_id]

    def describe(self, call: Call) -> str:
        """A one-line human account of a call, as `dozor shell` prints it."""
        a = call.args
        who = self.names.get(str(a.get("user_id", "")), str(a.get("user_id", "")))
        until = a.get("until")
        span = f" until {until:%Y-%m-%d %H:%M}" if isinstance(until, datetime) else " for good"
        if call.method == "delete_messages":
            return f"🗑 deleted message {', '.join(a['message_ids'])}"
        if call.method == "restrict":
            return f"🔇 muted {who}{span}"
        if call.method == "unrestrict":
            return f"🔊 unmuted {who}"
        if call.method == "ban":
            return f"⛔ banned {who}{span}"
        if call.method == "unban":
            return f"✅ unbanned {who}"
        if call.method in ("send_message", "edit_message"):
            verb = "sent" if call.method == "send_message" else "edited"
            buttons = " ".join(f"[{b.text} → {b.data}]" for row in a.get("buttons", ()) for b in row)
            head = f"💬 {verb} #{a['message_id']} in {call.chat_id}"
            return (
                f"{head}:\n    " + a["text"].replace("\n", "\n    ") + (f"\n    {buttons}" if buttons else "")
            )
        if call.method == "send_document":
            return f"📎 sent {a['filename']} ({len(a['data'])} bytes) to {call.chat_id}: {a['caption']}"
        if call.method == "answer_callback":
            return f"🔔 popup: {a['text']}"
        return f"{call.method} {call.chat_id} {a}"

    # the port ------------------------------------------------------------------------------
    def batch_key(self, action: Action) -> tuple[str, str, str | None] | None:
        """Deletes in one place go together, as one call."""
        if isinstance(action, Delete) and self.capabilities.batch > 1:
            return (action.chat_id, action.surface, action.thread_id)
        return None

    async def perform(self, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
        if len(actions) > 1 and all(isinstance(a, Delete) for a in actions):
            first = actions[0]
            assert isinstance(first, Delete)
            ids = [m for a in actions if isinstance(a, Delete) for m in a.message_ids]
            await self.delete_messages(first.chat_id, ids, kind=first.surface, thread_id=first.thread_id)
            return [Done() for _ in actions]
        return await perform.each(self, actions, keys)

    def _check(self, method: str) -> None:
        queue = self._failures.get(method)
        if queue:
            raise queue.popleft()

    async def delete_messages(
        self, chat_id: str, message_ids: Sequence[str], *, kind: str = "", thread_id: str | None = None
    ) -> None:
        self._check("delete_messages")
        for message_id in message_ids:
            msg = self.messages.get((chat_id, str(message_id)))
            if msg is not None:
                msg.deleted = True
        self.calls.append(Call("delete_messages", chat_id, {"message_ids": [str(m) for m in message_ids]}))

    async def restrict(self, chat_id: str, user_id: str, until: datetime | None) -> None:
        self._check("restrict")
        self.calls.append(Call("restrict", chat_id, {"user_id": user_id, "until": until}))

    async def unrestrict(self, chat_id: str, user_id: str) -> None:
        self._check("unrestrict")
        self.calls.append(Call("unrestrict", chat_id, {"user_id": user_id}))

    async def ban(
        self, chat_id: str, user_id: str, until: datetime | None, *, sender_chat: bool = False
    ) -> None:
        self._check("ban")
        self.calls.append(
            Call("ban", chat_id, {"user_id": user_id, "until": until, "sender_chat": sender_chat})
        )

    async def unban(self, chat_id: str, user_id: str, *, sender_chat: bool = False) -> None:
        self._check("unban")
        self.calls.append(Call("unban", chat_id, {"user_id": user_id, "sender_chat": sender_chat}))

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
        self._check("send_message")
        message_id = self.new_message_id()
        rows = [list(row) for row in buttons]
        self.messages[(chat_id, message_id)] = SimMessage(chat_id, message_id, text, rows)
        args = {"message_id": message_id, "text": text, "reply_to": reply_to, "thread_id": thread_id}
        self.calls.append(Call("send_message", chat_id, {**args, "buttons": rows}))
        return message_id

    async def edit_message(
        self, chat_id: str, message_id: str, text: str, *, buttons: Sequence[Sequence[Button]] = ()
    ) -> None:
        self._check("edit_message")
        msg = self.messages.get((chat_id, message_id))
        if msg is None:
            raise ActionFailed(f"message {message_id} not found in chat {chat_id}", permanent=True)
        msg.text, msg.buttons = text, [list(row) for row in buttons]
        self.calls.append(
            Call("edit_message", chat_id, {"message_id": message_id, "text": text, "buttons": msg.buttons})
        )

    async def send_document(
        self, chat_id: str, filename: str, data: bytes, *, caption: str = "", dedup_key: str | None = None
    ) -> str:
        self._check("send_document")
        message_id = self.new_message_id()
        self.calls.append(
            Call(
                "send_document",
                chat_id,
                {"message_id": message_id, "filename": filename, "data": data, "caption": caption},
            )
        )
        return message_id

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None:
        self._check("answer_callback")
        self.calls.append(
            Call("answer_callback", "", {"callback_id": callback_id, "text": text, "alert": alert})
        )

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole:
        self._check("get_role")
        return self._roles.get((chat_id, user_id), ChatRole())
