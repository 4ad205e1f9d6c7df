"""Ports: the small capabilities the use cases need from a platform.

Each platform adapter implements ``Actions``; ``bot.simulated.SimulatedActions`` is the
twin that records what would have happened (dry runs, `dozor shell`, tests).
Every method raises ``moderation.errors.ActionFailed`` when the platform refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from moderation.verdict import Scores


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a press sends ``data`` back (at most 64 bytes, Telegram's callback_data
    limit), or, with ``url``, the button opens that link instead (a Mini App, a deep link)."""

    text: str
    data: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class ChatRole:
    """A user's standing in a chat, as the platform reports it."""

    is_admin: bool = False
    is_owner: bool = False
    can_delete: bool = False
    can_restrict: bool = False


class Actions(Protocol):
    async def delete_messages(
        self, chat_id: str, message_ids: Sequence[str], *, kind: str = "", thread_id: str | None = None
    ) -> None:
        """Delete messages or comments; ``kind`` (an ``EventKind`` value, "" for a chat message) and
        ``thread_id`` (a VK post, photo, video, item or topic id) say on which surface they live."""
        ...

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
    ) -> str:
        """Send a message and return its platform message id.

        ``kind`` is the surface of the message answered ("" for a chat; a VK comment kind makes
        the answer a comment under the same post). ``dedup_key`` is stable across retries of one
        planned message: a platform that supports it (VK's ``guid``/``random_id``) posts it once.
        """
        ...

    async def edit_message(
        self, chat_id: str, message_id: str, text: str, *, buttons: Sequence[Sequence[Button]] = ()
    ) -> None: ...

    async def send_document(
        self, chat_id: str, filename: str, data: bytes, *, caption: str = "", dedup_key: str | None = None
    ) -> str:
        """Send a file (e.g. the ``/export`` CSV) and return the message id.

        ``dedup_key`` is stable across retries of one outbox row (as for ``send_message``).
        """
        ...

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None: ...

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole: ...


class Scorer(Protocol):
    """A text classifier: spam, toxicity and negativity probabilities for normalised text.

    ``moderation.classifier`` ships the default implementation; the engine treats a missing
    scorer as all-zero scores. Implementations must be pure, fast and never raise on odd text.
    """

    def score(self, normalized: str) -> Scores:
        """Score text already passed through ``moderation.normalize.normalize``."""
        ...
