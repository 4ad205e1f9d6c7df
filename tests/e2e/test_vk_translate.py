"""VK events → Dozor updates: every surface, addressed as the platform seam says."""

from __future__ import annotations

from typing import Any

import pytest

from bot.vk.translate import button_data, translate
from handlers.updates import ButtonPress, CommandCall, MemberChange, MemberStatus
from moderation.events import Event, EventKind, MessageRef
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk_methods import CHAT_PEER, GROUP_ID

G = str(GROUP_ID)
WALL = str(-GROUP_ID)


@pytest.mark.parametrize(
    ("raw", "kind", "chat_id", "thread_id", "edited"),
    [
        (s.wall_reply_new("buy now", comment_id=501), EventKind.VK_WALL_COMMENT, WALL, str(s.POST), False),
        (
            s.event("wall_reply_edit", s.wall_comment("buy now", comment_id=501)),
            EventKind.VK_WALL_COMMENT,
            WALL,
            str(s.POST),
            True,
        ),
        (
            s.event("wall_reply_restore", s.wall_comment("buy now", comment_id=501)),
            EventKind.VK_WALL_COMMENT,
            WALL,
            str(s.POST),
            False,
        ),
        (
            s.photo_comment_new("buy now", comment_id=501),
            EventKind.VK_PHOTO_COMMENT,
            WALL,
            "457239017",
            False,
        ),
        (
            s.video_comment_new("buy now", comment_id=501),
            EventKind.VK_VIDEO_COMMENT,
            WALL,
            "456239018",
            False,
        ),
        (
            s.market_comment_new("buy now", comment_id=501),
            EventKind.VK_MARKET_COMMENT,
            WALL,
            "8812345",
            False,
        ),
    ],
)
def test_comments_on_every_surface(
    raw: dict[str, Any], kind: EventKind, chat_id: str, thread_id: str, edited: bool
) -> None:
    [event] = translate(raw)
    assert isinstance(event, Event)
    assert (event.kind, event.community_id, event.edited, event.text) == (kind, G, edited, "buy now")
    assert event.message == MessageRef(chat_id=chat_id, message_id="501", thread_id=thread_id)
    assert event.author.id == str(s.USER) and event.date.timestamp() == s.DATE


def test_a_board_post_is_addressed_by_the_community_and_topic() -> None:
    raw = s.board_post_new("spam in the topic", topic_id=39000001)
    [event] = translate(raw)
    assert isinstance(event, Event) and event.kind is EventKind.VK_BOARD_COMMENT
    assert event.message == MessageRef(WALL, str(raw["object"]["id"]), "39000001")


@pytest.mark.parametrize(
    "raw",
    [
        s.wall_reply_new("our answer", from_id=-GROUP_ID),  # the community itself (Dozor, admins)
        s.event("wall_reply_delete", {"owner_id": -GROUP_ID, "id": 3, "user_id": s.USER, "post_id": s.POST}),
        s.event(
            "photo_comment_delete",
            {"owner_id": -GROUP_ID, "id": 3, "user_id": 1, "photo_id": 2, "deleter_id": 1},
        ),
        s.event("board_post_delete", {"topic_owner_id": -GROUP_ID, "topic_id": 1, "id": 3}),
        s.message_new("our card", from_id=-GROUP_ID),
        s.message_new("", action={"type": "chat_invite_user", "member_id": s.OTHER}),
        s.message_new("hi there", peer_id=s.USER),  # private chatter is not moderated
        s.event("wall_post_new", {"id": 1, "owner_id": -GROUP_ID, "text": "a post"}),
        s.event("message_typing_state", {"state": "typing", "from_id": 1, "to_id": -GROUP_ID}),
        {"type": "wall_reply_new", "group_id": GROUP_ID, "event_id": "x"},  # no object
        {"type": "wall_reply_new", "object": "garbage", "group_id": GROUP_ID},
    ],
)
def test_what_dozor_ignores(raw: dict[str, Any]) -> None:
    assert translate(raw) == []


def test_a_comment_by_another_community_is_authored_by_it() -> None:
    [event] = translate(s.wall_reply_new("visit us", from_id=-777))
    assert isinstance(event, Event)
    assert event.author.id == "-777" and event.author.is_sender_chat and not event.author.is_admin


def test_a_reply_to_a_comment_points_at_it() -> None:
    [event] = translate(s.wall_reply_new("you are wrong", reply_to_comment=480, reply_to_user=s.OTHER))
    assert isinstance(event, Event)
    assert event.reply_to == MessageRef(WALL, "480", str(s.POST))


def test_report_as_a_reply_to_a_comment_is_a_command_too() -> None:
    raw = s.wall_reply_new("/report spam here", comment_id=502, reply_to_comment=480, reply_to_user=s.OTHER)
    event, command = translate(raw)
    assert isinstance(event, Event) and isinstance(command, CommandCall)
    assert (command.name, command.args, command.chat_id) == ("report", "spam here", str(-int(G)))
    assert (command.community_id, command.kind) == (G, EventKind.VK_WALL_COMMENT)
    assert command.reply_to == MessageRef(WALL, "480", str(s.POST))
    assert command.message == MessageRef(WALL, "502", str(s.POST))
    assert command.reply_to_author is not None and command.reply_to_author.id == str(s.OTHER)


def test_a_chat_message_is_addressed_by_peer_and_conversation_message_id() -> None:
    [event] = translate(s.message_new("hello all", cmid=41))
    assert isinstance(event, Event)
    assert event.kind is EventKind.VK_CHAT_MESSAGE and event.community_id == G
    assert event.message == MessageRef(str(CHAT_PEER), "41") and not event.edited


def test_an_edited_chat_message_is_moderated_again_without_running_its_command() -> None:
    [event] = translate(s.message_edit("/ban now spam", cmid=41))
    assert isinstance(event, Event) and event.edited and event.date.timestamp() == s.DATE + 60


def test_a_command_in_a_chat_is_moderated_then_handled() -> None:
    replied = {
        "from_id": s.OTHER,
        "conversation_message_id": 40,
        "peer_id": CHAT_PEER,
        "text": "spam",
        "date": 1,
    }
    event, command = translate(s.message_new("/ban 1d spammer", cmid=41, reply_message=replied))
    assert isinstance(event, Event) and isinstance(command, CommandCall)
    assert (command.name, command.args, command.chat_id, command.private) == (
        "ban",
        "1d spammer",
        str(CHAT_PEER),
        False,
    )
    assert command.reply_to == MessageRef(str(CHAT_PEER), "40")
    assert command.reply_to_author is not None and command.reply_to_author.id == str(s.OTHER)
    assert command.reply_to_text == "spam"


def test_a_command_may_start_with_a_mention_of_the_community() -> None:
    [_, command] = translate(s.message_new(f"[club{GROUP_ID}|@testcommunity] /stats\nweek"))
    assert isinstance(command, CommandCall) and (command.name, command.args) == ("stats", "week")


def test_a_private_command_is_an_appeal_not_a_moderated_message() -> None:
    [command] = translate(s.message_new("/appeal I did nothing", peer_id=s.USER))
    assert isinstance(command, CommandCall) and command.private and command.name == "appeal"
    assert command.chat_id == str(s.USER)


def test_content_links_mentions_media_forwards() -> None:
    raw = s.message_new(
        "see [id5550002|Petr] and @club42 (Shop)",
        attachments=[
            {"type": "link", "link": {"url": "https://www.Bit.ly/abc", "title": "x"}},
            {"type": "photo", "photo": {"id": 1}},
            {"type": "doc", "doc": {"id": 2}},
            {"type": "audio_message", "audio_message": {"id": 3}},
            {"type": "sticker", "sticker": {"sticker_id": 4}},
        ],
        fwd_messages=[{"from_id": 1, "text": "old"}],
    )
    [event] = translate(raw)
    assert isinstance(event, Event)
    assert [(link.url, link.domain) for link in event.content.links] == [("https://www.Bit.ly/abc", "bit.ly")]
    assert event.content.mentions == ("id5550002", "club42")
    assert event.content.media == ("photo", "document", "voice", "sticker")
    assert event.content.forwarded


def test_a_photo_without_text_is_still_moderated() -> None:
    [event] = translate(s.message_new("", attachments=[{"type": "photo", "photo": {"id": 1}}]))
    assert isinstance(event, Event) and event.content.media == ("photo",)


def test_a_callback_button_press() -> None:
    [press] = translate(s.message_event("esc:12:delete", cmid=7))
    assert isinstance(press, ButtonPress)
    assert press.callback_id == f"2f1c0a7b9d3e:{s.MODERATOR}:{CHAT_PEER}"
    assert (press.chat_id, press.message_id, press.data) == (str(CHAT_PEER), "7", "esc:12:delete")
    assert press.user.id == str(s.MODERATOR)


@pytest.mark.parametrize(
    ("payload", "data"),
    [
        ({"d": "esc:1:ok"}, "esc:1:ok"),
        ('{"d": "esc:1:ok"}', "esc:1:ok"),
        ({"other": 1}, '{"other":1}'),
        ("raw", "raw"),
    ],
)
def test_button_data(payload: Any, data: str) -> None:
    assert button_data(payload) == data


@pytest.mark.parametrize(
    ("kind", "obj", "status"),
    [
        ("group_join", {"user_id": s.USER, "join_type": "join"}, MemberStatus.JOINED),
        ("group_join", {"user_id": s.USER, "join_type": "approved"}, MemberStatus.JOINED),
        ("group_join", {"user_id": s.USER, "join_type": "request"}, None),
        ("group_leave", {"user_id": s.USER, "self": 1}, MemberStatus.LEFT),
        (
            "user_block",
            {"admin_id": 1, "user_id": s.USER, "unblock_date": 0, "reason": 0},
            MemberStatus.BANNED,
        ),
        ("user_unblock", {"admin_id": 1, "user_id": s.USER, "by_end_date": 1}, MemberStatus.MEMBER),
        (
            "group_officers_edit",
            {"admin_id": 1, "user_id": s.USER, "level_old": 0, "level_new": 1},
            MemberStatus.ADMIN,
        ),
        (
            "group_officers_edit",
            {"admin_id": 1, "user_id": s.USER, "level_old": 3, "level_new": 0},
            MemberStatus.MEMBER,
        ),
    ],
)
def test_member_changes(kind: str, obj: dict[str, Any], status: MemberStatus | None) -> None:
    updates = translate(s.event(kind, obj))
    if status is None:
        assert updates == []
        return
    [change] = updates
    assert isinstance(change, MemberChange)
    assert (change.community_id, change.user.id, change.status) == (G, str(s.USER), status)
