"""Carrying out typed actions through an adapter's own calls: the one ``match`` on action types.

Each adapter has a method per action (``delete_messages``, ``restrict``, ``send_message`` …)
that speaks its platform; ``one`` picks the method for an action and ``each`` runs a batch one
action at a time, for adapters (or batches) with no cheaper way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from moderation.actions import Action, Ban, Delete, Document, Edit, Restrict, Send, Unban, Unrestrict
from moderation.errors import ActionFailed
from moderation.ports import Button, Done, Outcome


class Calls(Protocol):
    """An adapter's own calls, one per action type."""

    async def delete_messages(
        self, chat_id: str, message_ids: Sequence[str], *, kind: str = "", thread_id: str | None = None
    ) -> Done | None: ...

    async def restrict(self, chat_id: str, user_id: str, until: datetime | None) -> None: ...

    async def unrestrict(self, chat_id: str, user_id: str) -> None: ...

    async def ban(
        self, chat_id: str, user_id: str, until: datetime | None, *, sender_chat: bool = False
    ) -> None: ...

    async def unban(self, chat_id: str, user_id: str, *, sender_chat: bool = False) -> None: ...

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
    ) -> str: ...

    async def edit_message(
        self, chat_id: str, message_id: str, text: str, *, buttons: Sequence[Sequence[Button]] = ()
    ) -> None: ...

    async def send_document(
        self, chat_id: str, filename: str, data: bytes, *, caption: str = "", dedup_key: str | None = None
    ) -> str: ...


def _comment(comment: str) -> dict[str, str]:
    """A comment for the person, passed only when there is one: only VK's calls take it."""
    return {"comment": comment} if comment else {}


async def one(calls: Calls, action: Action, key: str | None = None) -> Done:
    """Carry out one action; raises ``ActionFailed`` when the platform refuses."""
    match action:
        case Delete():
            done = await calls.delete_messages(
                action.chat_id, action.message_ids, kind=action.surface, thread_id=action.thread_id
            )
            return done or Done()
        case Restrict():
            await calls.restrict(action.chat_id, action.user_id, action.until, **_comment(action.comment))
        case Unrestrict():
            await calls.unrestrict(action.chat_id, action.user_id)
        case Ban():
            await calls.ban(
                action.chat_id, action.user_id, action.until, sender_chat=action.sender_chat,
                **_comment(action.comment),
            )  # fmt: skip
        case Unban():
            await calls.unban(action.chat_id, action.user_id, sender_chat=action.sender_chat)
        case Send():
            message_id = await calls.send_message(
                action.chat_id,
                action.text,
                reply_to=action.reply_to,
                thread_id=action.thread_id,
                buttons=action.buttons,
                kind=action.surface,
                dedup_key=key,
            )
            return Done(message_id=message_id)
        case Edit():
            await calls.edit_message(action.chat_id, action.message_id, action.text, buttons=action.buttons)
        case Document():
            message_id = await calls.send_document(
                action.chat_id, action.filename, action.content, caption=action.caption, dedup_key=key
            )
            return Done(message_id=message_id)
    return Done()


async def each(calls: Calls, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
    """Carry out actions one after the other; each one's refusal is its own outcome."""
    outcomes: list[Outcome] = []
    for action, key in zip(actions, keys, strict=True):
        try:
            outcomes.append(await one(calls, action, key))
        except ActionFailed as exc:
            outcomes.append(exc)
    return outcomes
