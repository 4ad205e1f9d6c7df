"""Platform-neutral incoming items. Adapters translate platform updates into these at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    TELEGRAM = "telegram"
    VK = "vk"
    SHELL = "shell"  # the local simulated community of `dozor shell` and the tests


class EventKind(StrEnum):
    """What kind of item a comment is; rules can be limited to some kinds (`type:` condition)."""

    TELEGRAM_MESSAGE = "telegram_message"
    TELEGRAM_COMMENT = "telegram_comment"  # a comment in a channel's discussion group
    VK_WALL_COMMENT = "vk_wall_comment"
    VK_PHOTO_COMMENT = "vk_photo_comment"
    VK_VIDEO_COMMENT = "vk_video_comment"
    VK_MARKET_COMMENT = "vk_market_comment"
    VK_BOARD_COMMENT = "vk_board_comment"  # a post in a community's discussion topic
    VK_CHAT_MESSAGE = "vk_chat_message"
    SHELL_MESSAGE = "shell_message"

    @classmethod
    def usual(cls, platform: str) -> EventKind:
        """What a comment on a platform usually is (``/rule test`` judges text as one)."""
        return _USUAL.get(platform, cls.SHELL_MESSAGE)

    @property
    def under_post(self) -> bool:
        """A comment under a post, photo, video, item or topic (its answer is a comment there)."""
        return self in _UNDER_POST


_USUAL = {
    Platform.TELEGRAM.value: EventKind.TELEGRAM_MESSAGE,
    Platform.VK.value: EventKind.VK_WALL_COMMENT,
    Platform.SHELL.value: EventKind.SHELL_MESSAGE,
}
_UNDER_POST = frozenset(
    {
        EventKind.VK_WALL_COMMENT,
        EventKind.VK_PHOTO_COMMENT,
        EventKind.VK_VIDEO_COMMENT,
        EventKind.VK_MARKET_COMMENT,
        EventKind.VK_BOARD_COMMENT,
    }
)


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a message lives on its platform.

    Telegram: chat id + message id (+ forum topic thread id). VK comments: the owner id
    (negative for a community) + comment id, with the post, photo, video, item or topic id as
    ``thread_id``. VK chats: peer id + conversation message id.
    """

    chat_id: str
    message_id: str
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote the item, with what the community knows about them."""

    id: str
    name: str = ""
    is_admin: bool = False
    is_anonymous_admin: bool = False  # Telegram GroupAnonymousBot posting as the chat itself
    is_trusted: bool = False
    is_bot: bool = False
    is_sender_chat: bool = False  # posted on behalf of another channel/chat
    first_seen: datetime | None = None
    message_count: int = 0  # messages seen before this one
    warnings: int = 0  # live (unexpired) warnings


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    domain: str


@dataclass(frozen=True, slots=True)
class Content:
    """Facts about the item beyond its text, as the platform reported them."""

    links: tuple[Link, ...] = ()
    mentions: tuple[str, ...] = ()
    media: tuple[str, ...] = ()  # "photo", "video", "sticker", "document", "voice", "audio", "animation"
    forwarded: bool = False
    has_keyboard: bool = False
    has_contact: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """One incoming comment or message, new or edited."""

    platform: Platform
    kind: EventKind
    community_id: str  # the platform's id of the group / community
    message: MessageRef
    author: Author
    text: str
    date: datetime
    edited: bool = False
    reply_to: MessageRef | None = None
    content: Content = field(default_factory=Content)
