"""Platform-neutral updates besides comments. Adapters translate platform updates into these.

A comment or message to moderate is a ``moderation.events.Event``; everything else that a
platform tells Dozor is one of the dataclasses below. ``Update`` is the union the service handles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from moderation.events import Author, Event, EventKind, MessageRef, Platform


@dataclass(frozen=True, slots=True)
class CommandCall:
    """A chat command such as ``/rule add …`` typed in a community or its moderators' chat.

    Attributes:
        chat_id: the chat the command was typed in (a community or a moderators' chat).
        name: the command without the slash and bot suffix, lower-cased: "rule", "stats".
        args: everything after the command name, verbatim (may span lines: inline YAML).
        reply_to / reply_to_author / reply_to_text: the message the command answers, if any
            (``/ban`` as a reply; ``/rule add`` replying to a file's text).
    """

    platform: Platform
    chat_id: str
    message: MessageRef
    author: Author
    name: str
    args: str
    date: datetime
    reply_to: MessageRef | None = None
    reply_to_author: Author | None = None
    reply_to_text: str | None = None
    title: str = ""  # the chat's title, to register a community on first sight
    private: bool = False  # typed in a private chat with Dozor (e.g. ``/appeal`` while muted)
    # Where the chat is not the community itself (a VK community's chat or a comment under its
    # post): the community's platform id, and the surface the command was typed on.
    community_id: str | None = None
    kind: EventKind | None = None

    @property
    def via(self) -> str:
        """The platform community the command came through (its connection answers it)."""
        return self.community_id or self.chat_id


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A tap on an inline button of one of Dozor's messages (an escalation card)."""

    platform: Platform
    callback_id: str
    chat_id: str
    message_id: str
    user: Author
    data: str
    date: datetime
    community_id: str | None = None  # the platform community whose chat it is, where chats are its own

    @property
    def via(self) -> str:
        """The platform community the press came through (its connection answers it)."""
        return self.community_id or self.chat_id


class MemberStatus(StrEnum):
    JOINED = "joined"
    LEFT = "left"
    ADMIN = "admin"  # promoted (or already an admin)
    MEMBER = "member"  # demoted to an ordinary member
    RESTRICTED = "restricted"
    BANNED = "banned"


@dataclass(frozen=True, slots=True)
class MemberChange:
    """A member joined, left, or their standing changed (admin cache invalidation)."""

    platform: Platform
    community_id: str
    user: Author
    status: MemberStatus
    date: datetime
    title: str = ""


@dataclass(frozen=True, slots=True)
class BotStatusChange:
    """Dozor itself was added to, promoted in, demoted in or removed from a chat."""

    platform: Platform
    chat_id: str
    title: str
    is_admin: bool
    can_delete: bool
    can_restrict: bool
    removed: bool
    date: datetime


Update = Event | CommandCall | ButtonPress | MemberChange | BotStatusChange
