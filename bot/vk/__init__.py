"""The VK adapter: the only package that speaks VK's HTTP API.

``client`` calls VK methods (form-encoded POST, API 5.199, token in the ``Authorization``
header), ``translate`` turns Callback API / Bots Long Poll events into Dozor updates,
``actions`` carries out Dozor's actions, ``callback`` and ``longpoll`` receive events without
losing any (each is in the inbox before VK is told it arrived). The adapter decides nothing.
"""

from __future__ import annotations

PLATFORM = "vk"

# The event types Dozor handles; `dozor doctor` checks that they are switched on in VK.
EVENT_TYPES: tuple[str, ...] = (
    "message_new",
    "message_edit",
    "message_event",
    "wall_reply_new",
    "wall_reply_edit",
    "wall_reply_restore",
    "wall_reply_delete",
    "photo_comment_new",
    "photo_comment_edit",
    "photo_comment_restore",
    "photo_comment_delete",
    "video_comment_new",
    "video_comment_edit",
    "video_comment_restore",
    "video_comment_delete",
    "market_comment_new",
    "market_comment_edit",
    "market_comment_restore",
    "market_comment_delete",
    "board_post_new",
    "board_post_edit",
    "board_post_restore",
    "board_post_delete",
    "group_join",
    "group_leave",
    "user_block",
    "user_unblock",
    "group_officers_edit",
)


def event_key(group_id: int | str, event_id: str) -> str:
    """The inbox key of a VK event: the same in Callback and Long Poll mode."""
    return f"{group_id}:{event_id}"
