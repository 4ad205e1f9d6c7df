"""TelegramActions through the real aiogram client against the fake Bot API server."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.telegram.actions import TelegramActions
from bot.telegram.ratelimit import ChatRateLimiter
from moderation.actions import Ban, Delete
from moderation.errors import ActionFailed
from moderation.ports import Button, ChatRole, Done
from tests.e2e.fake_telegram import BOT_ID, FakeTelegram
from tests.e2e.tg_samples import GROUP

CHAT = str(GROUP)


async def test_delete_one_and_many(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    await tg_actions.delete_messages(CHAT, ["10"])
    await tg_actions.delete_messages(CHAT, [str(i) for i in range(150)])
    assert telegram.calls("deleteMessage") == [{"chat_id": GROUP, "message_id": 10}]
    batches = telegram.calls("deleteMessages")
    assert [len(b["message_ids"]) for b in batches] == [100, 50]


async def test_restrict_with_end_time_and_unrestrict(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    await tg_actions.restrict(CHAT, "42", until)
    await tg_actions.unrestrict(CHAT, "42")
    muted, freed = telegram.calls("restrictChatMember")
    assert muted["until_date"] == round(until.timestamp()) and muted["user_id"] == 42
    assert not any(muted["permissions"].values()) and all(freed["permissions"].values())


async def test_ban_users_and_sender_chats(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    await tg_actions.ban(CHAT, "42", None)
    await tg_actions.ban(CHAT, "-100777", None, sender_chat=True)
    await tg_actions.unban(CHAT, "42")
    await tg_actions.unban(CHAT, "-100777", sender_chat=True)
    assert telegram.calls("banChatMember") == [{"chat_id": GROUP, "user_id": 42}]
    assert telegram.calls("banChatSenderChat") == [{"chat_id": GROUP, "sender_chat_id": -100777}]
    assert telegram.calls("unbanChatMember")[0]["only_if_banned"] is True
    assert telegram.calls("unbanChatSenderChat") == [{"chat_id": GROUP, "sender_chat_id": -100777}]


async def test_send_with_buttons_edit_and_answer(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    buttons = [[Button("Delete", "esc:1:delete"), Button("Keep", "esc:1:keep")]]
    message_id = await tg_actions.send_message(
        CHAT, "<b>card</b>", reply_to="5", thread_id="9", buttons=buttons
    )
    sent = telegram.calls("sendMessage")[0]
    assert sent["text"] == "<b>card</b>" and "parse_mode" not in sent
    assert sent["reply_markup"]["inline_keyboard"][0][1] == {"text": "Keep", "callback_data": "esc:1:keep"}
    assert sent["reply_parameters"]["message_id"] == 5 and sent["message_thread_id"] == 9
    await tg_actions.edit_message(CHAT, message_id, "decided")
    edited = telegram.calls("editMessageText")[0]
    assert edited["message_id"] == int(message_id) and "reply_markup" not in edited
    await tg_actions.answer_callback("q1", "Done", alert=True)
    assert telegram.calls("answerCallbackQuery") == [
        {"callback_query_id": "q1", "text": "Done", "show_alert": True}
    ]


async def test_send_document(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    await tg_actions.send_document(CHAT, "rules.yaml", b"name: x\n", caption="rules")
    sent = telegram.calls("sendDocument")[0]
    files = [v for v in sent.values() if isinstance(v, dict) and "content" in v]
    assert files[0]["content"] == b"name: x\n" and files[0]["filename"] == "rules.yaml"


async def test_callback_data_over_64_bytes_is_refused(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    with pytest.raises(ActionFailed, match="64 bytes") as info:
        await tg_actions.send_message(CHAT, "card", buttons=[[Button("Я", "я" * 33)]])
    assert info.value.permanent and telegram.calls("sendMessage") == []


async def test_not_modified_edit_is_fine(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    telegram.fail_next(
        "editMessageText", 400, "Bad Request: message is not modified: specified new message content"
    )
    await tg_actions.edit_message(CHAT, "5", "same")


@pytest.mark.parametrize(
    ("code", "description", "permanent", "words"),
    [
        (400, "Bad Request: message can't be deleted", True, "older than 48 hours"),
        (400, "Bad Request: not enough rights to delete a message", True, "Delete messages"),
        (403, "Forbidden: bot was kicked from the supergroup chat", True, "removed from the chat"),
        (400, "Bad Request: something new", True, "refused the request"),
        (500, "Internal Server Error", False, "will retry"),
    ],
)
async def test_errors_are_mapped(
    telegram: FakeTelegram,
    tg_actions: TelegramActions,
    code: int,
    description: str,
    permanent: bool,
    words: str,
) -> None:
    telegram.fail_next("deleteMessage", code, description)
    with pytest.raises(ActionFailed) as info:
        await tg_actions.delete_messages(CHAT, ["10"])
    assert info.value.permanent is permanent and info.value.retry_after is None
    assert words in str(info.value) and "message 10" in str(info.value)


async def test_a_message_already_gone_counts_as_deleted(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    """Someone deleted it first, or an attempt cut by a crash did: the wanted state is there."""
    telegram.fail_next("deleteMessage", 400, "Bad Request: message to delete not found")
    done = await tg_actions.delete_messages(CHAT, ["10"])
    assert done == Done(already_gone=True) and done.result() == {"already_gone": True}


async def test_a_batch_of_deletes_in_one_chat_is_one_request(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    deletes = [Delete(CHAT, (str(m),)) for m in range(1, 4)]
    assert len({tg_actions.batch_key(d) for d in deletes}) == 1
    assert tg_actions.batch_key(Ban(CHAT, "42")) is None
    outcomes = await tg_actions.perform(deletes, [None] * 3)
    assert outcomes == [Done()] * 3
    assert telegram.calls("deleteMessages") == [{"chat_id": GROUP, "message_ids": [1, 2, 3]}]


async def test_flood_control_gives_retry_after(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    telegram.fail_next("banChatMember", 429, retry_after=7)
    with pytest.raises(ActionFailed) as info:
        await tg_actions.ban(CHAT, "42", None)
    assert info.value.retry_after == 7 and not info.value.permanent


async def test_network_error_is_transient(tg_actions: TelegramActions, telegram: FakeTelegram) -> None:
    await telegram.__aexit__(None, None, None)  # the server goes away
    with pytest.raises(ActionFailed) as info:
        await tg_actions.delete_messages(CHAT, ["1"])
    assert not info.value.permanent and info.value.retry_after is None


async def test_answer_callback_retries_once_inline(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    telegram.fail_next("answerCallbackQuery", 429, retry_after=1)
    await tg_actions.answer_callback("q1", "ok")
    first, second = telegram.call_log("answerCallbackQuery")
    assert second.at - first.at >= 1.0


async def test_get_role(telegram: FakeTelegram, tg_actions: TelegramActions) -> None:
    telegram.set_member(GROUP, 1, "creator")
    telegram.set_member(GROUP, 2, "administrator", can_restrict_members=False)
    assert await tg_actions.get_role(CHAT, "1") == ChatRole(True, True, True, True)
    assert await tg_actions.get_role(CHAT, "2") == ChatRole(
        is_admin=True, can_delete=True, can_restrict=False
    )
    assert await tg_actions.get_role(CHAT, "3") == ChatRole()
    assert await tg_actions.get_role(CHAT, str(BOT_ID)) == ChatRole(
        is_admin=True, can_delete=True, can_restrict=True
    )
    assert await tg_actions.get_role(CHAT, "-100777") == ChatRole()


async def test_rate_limiter_spaces_messages_per_chat(
    telegram: FakeTelegram, tg_actions: TelegramActions
) -> None:
    tg_actions.limiter = ChatRateLimiter(per_second_interval=0.3, group_per_minute=3, max_sleep=1.0)
    start = time.monotonic()
    for _ in range(3):
        await tg_actions.send_message(CHAT, "hi")
    await tg_actions.send_message("42", "private chats are separate")
    assert time.monotonic() - start >= 0.6
    with pytest.raises(ActionFailed) as info:  # the fourth in a minute: rescheduled, not slept
        await tg_actions.send_message(CHAT, "one too many")
    assert info.value.retry_after is not None and info.value.retry_after > 50
    assert len(telegram.calls("sendMessage")) == 4
