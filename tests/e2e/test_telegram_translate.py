"""Telegram updates → Dozor updates, table-driven over realistic raw Bot API JSON."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.types import Update as TgUpdate

from bot.telegram.translate import translate
from handlers.updates import BotStatusChange, ButtonPress, CommandCall, MemberChange, MemberStatus
from moderation.events import Event, EventKind, Link
from tests.e2e import tg_samples as s

BOT = "dozor_test_bot"


def one(raw: dict[str, Any]) -> Any:
    result = translate(raw, bot_username=BOT)
    assert len(result) == 1, result
    return result[0]


def command_in_group(raw: dict) -> CommandCall:
    """A group command is moderated as a message first, then handled as a command."""
    result = translate(raw)
    assert [type(u) for u in result] == [Event, CommandCall], result
    event, command = result
    assert event.text == raw["message"]["text"] and event.message == command.message
    return command


def test_plain_message_becomes_an_event() -> None:
    event = one(s.text_update("Привет всем", message_id=7))
    assert isinstance(event, Event)
    assert event.kind is EventKind.TELEGRAM_MESSAGE
    assert (event.community_id, event.message.chat_id, event.message.message_id) == (
        str(s.GROUP),
        str(s.GROUP),
        "7",
    )
    assert event.author.id == "42" and event.author.name == "Ivan (@ivan)"
    assert event.text == "Привет всем" and not event.edited and event.message.thread_id is None
    assert event.date.timestamp() == s.DATE


def test_edited_message_is_an_edited_event() -> None:
    raw = s.update(edited_message=s.message("fixed", edit_date=s.DATE + 60))
    event = one(raw)
    assert isinstance(event, Event) and event.edited and event.date.timestamp() == s.DATE + 60


@pytest.mark.parametrize(
    ("text", "entities", "links", "mentions"),
    [
        (
            "earn at https://Spam.example.com/x now",
            [{"type": "url", "offset": 8, "length": 26}],
            [Link("https://Spam.example.com/x", "spam.example.com")],
            [],
        ),
        (
            "click here",
            [{"type": "text_link", "offset": 0, "length": 5, "url": "http://www.Bit.ly/a"}],
            [Link("http://www.Bit.ly/a", "bit.ly")],
            [],
        ),
        # UTF-16 offsets: the emoji counts as two code units
        (
            "🔥 t.me/joinchat",
            [{"type": "url", "offset": 3, "length": 13}],
            [Link("t.me/joinchat", "t.me")],
            [],
        ),
        ("hi @someone", [{"type": "mention", "offset": 3, "length": 8}], [], ["@someone"]),
        (
            "hi Bob",
            [{"type": "text_mention", "offset": 3, "length": 3, "user": s.user(99, "Bob", None)}],
            [],
            ["99"],
        ),
    ],
)
def test_links_and_mentions_come_from_entities(
    text: str, entities: list[dict[str, Any]], links: list[Link], mentions: list[str]
) -> None:
    event = one(s.text_update(text, entities=entities))
    assert list(event.content.links) == links
    assert list(event.content.mentions) == mentions


PHOTO = [{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}]
DOC = {"file_id": "d", "file_unique_id": "du"}
ANIMATION = {"file_id": "a", "file_unique_id": "au", "width": 1, "height": 1, "duration": 1}


@pytest.mark.parametrize(
    ("fields", "media", "flags"),
    [
        ({"photo": PHOTO, "caption": "buy"}, ("photo",), {}),
        ({"document": DOC, "animation": ANIMATION}, ("animation",), {}),
        ({"contact": {"phone_number": "+7900", "first_name": "X"}}, (), {"has_contact": True}),
        (
            {
                "text": "fwd",
                "forward_origin": {"type": "hidden_user", "date": s.DATE, "sender_user_name": "Z"},
            },
            (),
            {"forwarded": True},
        ),
        (
            {
                "text": "via inline bot",
                "reply_markup": {"inline_keyboard": [[{"text": "Go", "url": "https://x.example"}]]},
            },
            (),
            {"has_keyboard": True},
        ),
    ],
)
def test_content_facts(fields: dict[str, Any], media: tuple[str, ...], flags: dict[str, bool]) -> None:
    event = one(s.update(message=s.message(fields.pop("text", None), **fields)))
    assert event.content.media == media
    for name, value in flags.items():
        assert getattr(event.content, name) is value
    if "caption" in fields:
        assert event.text == fields["caption"]


def test_comment_under_a_channel_post_is_a_comment() -> None:
    post = s.message(
        "channel post",
        sender=s.SERVICE_USER,
        sender_chat={"id": s.CHANNEL, "type": "channel", "title": "News"},
        is_automatic_forward=True,
    )
    event = one(s.text_update("nice post", reply_to_message=post))
    assert event.kind is EventKind.TELEGRAM_COMMENT
    assert event.reply_to is not None and event.reply_to.message_id == str(post["message_id"])


def test_automatic_forward_is_not_moderated() -> None:
    raw = s.update(
        message=s.message(
            "channel post",
            sender=s.SERVICE_USER,
            is_automatic_forward=True,
            sender_chat={"id": s.CHANNEL, "type": "channel", "title": "News"},
        )
    )
    assert translate(raw) == []


def test_anonymous_admin_is_an_admin() -> None:
    raw = s.text_update("/ban spam", sender=s.ANON_BOT, sender_chat=s.group(), author_signature="Boss")
    command = command_in_group(raw)
    assert command.author.is_anonymous_admin and command.author.is_admin
    assert command.author.name == "Boss" and command.author.id == "1087968824"


def test_message_as_another_channel_is_authored_by_that_channel() -> None:
    raw = s.text_update(
        "buy now",
        sender=s.ANON_BOT | {"id": 136817688, "username": "Channel_Bot"},
        sender_chat={"id": -100777, "type": "channel", "title": "Spam channel"},
    )
    event = one(raw)
    assert event.author.id == "-100777" and event.author.is_sender_chat and not event.author.is_admin


def test_forum_topic_keeps_its_thread() -> None:
    event = one(s.text_update("in topic", message_thread_id=55, is_topic_message=True))
    assert event.message.thread_id == "55"


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/ban", "ban", ""),
        ("/Ban@dozor_test_bot 1d flood", "ban", "1d flood"),
        ("/rule add\nname: x\n  match: y", "rule", "add\nname: x\n  match: y"),
    ],
)
def test_commands(text: str, name: str, args: str) -> None:
    command = command_in_group(s.text_update(text))
    assert (command.name, command.args, command.title) == (name, args, "Test group")
    assert not command.private


def test_command_to_another_bot_is_an_ordinary_message() -> None:
    assert isinstance(one(s.text_update("/start@other_bot")), Event)


def test_command_as_reply_carries_the_replied_message() -> None:
    target = s.message("spam text", sender=s.user(66, "Spammer", None), message_id=31)
    command = command_in_group(
        s.text_update("/ban", sender=s.user(1, "Admin", "admin"), reply_to_message=target)
    )
    assert command.reply_to.message_id == "31"
    assert command.reply_to_author.id == "66" and command.reply_to_text == "spam text"


def test_private_chatter_is_ignored_but_commands_pass() -> None:
    private = {"id": 42, "type": "private", "first_name": "Ivan"}
    assert translate(s.text_update("hello bot", chat=private)) == []
    appeal = one(s.text_update("/appeal 12 please", chat=private))
    assert isinstance(appeal, CommandCall) and appeal.private and appeal.args == "12 please"


def test_service_message_is_ignored() -> None:
    raw = s.update(message=s.message(None, new_chat_members=[s.user(5)]))
    assert translate(raw) == []


def test_button_press() -> None:
    card = s.message("card", chat=s.group(s.MODCHAT), sender=s.user(123456789, "Dozor", BOT), message_id=900)
    press = one(s.callback("esc:5:delete", card=card, query_id="q9"))
    assert isinstance(press, ButtonPress)
    assert (press.callback_id, press.chat_id, press.message_id, press.data, press.user.id) == (
        "q9",
        str(s.MODCHAT),
        "900",
        "esc:5:delete",
        "7",
    )


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [
        (s.member("left"), s.member("member"), MemberStatus.JOINED),
        (s.member("member"), s.member("left"), MemberStatus.LEFT),
        (s.member("member"), s.member("kicked", until_date=0), MemberStatus.BANNED),
        (
            s.member("member"),
            s.member("administrator"),
            MemberStatus.ADMIN,
        ),
    ],
)
def test_member_changes(old: dict[str, Any], new: dict[str, Any], status: MemberStatus) -> None:
    change = one(s.member_update(old, new))
    assert isinstance(change, MemberChange) and change.status is status and change.user.id == "42"


def test_bot_promoted_and_removed() -> None:
    promoted = s.member("administrator", can_restrict_members=False)
    status = one(s.member_update(s.member("member"), promoted, mine=True))
    assert isinstance(status, BotStatusChange)
    assert status.is_admin and status.can_delete and not status.can_restrict and not status.removed
    removed = one(s.member_update(s.member("member"), s.member("left"), mine=True))
    assert removed.removed and not removed.is_admin


def test_aiogram_update_object_and_dump_round_trip() -> None:
    raw = s.text_update("hello", update_id=5)
    parsed = TgUpdate.model_validate(raw)
    assert translate(parsed) == translate(raw)
    assert translate(parsed.model_dump(mode="json", exclude_none=True)) == translate(raw)
