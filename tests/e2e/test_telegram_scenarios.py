"""End to end: the whole service (runner, pipeline, use cases, executor, aiogram) and a fake Telegram."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.runner import Runner
from models.db import Database
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.e2e.service import all_cases, make_runner, settled, setup_community, wait_until

SPAMMER = s.user(66, "Spammer", None)
CAROL = s.user(3, "Carol", "carol")
MOD = s.user(7, "Mod", "mod")


@pytest.fixture
async def polling(sqlite_database: Database, telegram: FakeTelegram) -> AsyncIterator[Runner]:
    await setup_community(sqlite_database)
    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()
    yield runner
    await runner.stop()


async def test_spam_is_deleted_warned_then_muted_then_banned(
    polling: Runner, sqlite_database: Database, telegram: FakeTelegram
) -> None:
    ids = [811, 812, 813]
    for mid in ids:
        telegram.push_update(s.text_update("best casino bonus", sender=SPAMMER, message_id=mid))
    await wait_until(lambda: len(telegram.calls("banChatMember")) == 1)
    await wait_until(lambda: settled(sqlite_database, polling))

    assert telegram.deleted()[:3] == ids  # one call each, or together by deleteMessages
    [mute] = telegram.calls("restrictChatMember")
    assert mute["user_id"] == 66 and abs(mute["until_date"] - (time.time() + 3600)) < 60
    assert not any(mute["permissions"].values())
    [ban] = telegram.calls("banChatMember")
    assert ban == {"chat_id": s.GROUP, "user_id": 66}
    warning = telegram.calls("sendMessage")[0]
    assert warning["chat_id"] == s.GROUP and "Spammer" in warning["text"] and "casino spam" in warning["text"]

    cases = await all_cases(sqlite_database)
    assert [(c.action, c.status, c.author_id) for c in cases] == [
        ("warn", "executed", "66"),
        ("mute", "executed", "66"),
        ("ban", "executed", "66"),
    ]
    assert [c.message_id for c in cases] == [str(m) for m in ids]


def _card_and_button(telegram: FakeTelegram, label: str) -> tuple[dict, str]:
    [card] = [m for m in telegram.calls("sendMessage") if m["chat_id"] == s.MODCHAT and m.get("reply_markup")]
    buttons = [b for row in card["reply_markup"]["inline_keyboard"] for b in row]
    return card, next(b["callback_data"] for b in buttons if b["text"] == label)


async def test_complaint_escalates_and_only_a_moderator_decides(
    database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(database)
    telegram.set_member(s.GROUP, MOD["id"], "administrator")
    runner = make_runner(database.url, telegram)
    await runner.start()
    try:
        telegram.push_update(s.text_update("I want a refund", sender=CAROL, message_id=901))
        await wait_until(lambda: any(m["chat_id"] == s.MODCHAT for m in telegram.calls("sendMessage")))
        await wait_until(lambda: settled(database, runner))
        card, delete = _card_and_button(telegram, "Delete")
        assert "refund" in card["text"] and "Carol" in card["text"]
        card_message = s.message(
            card["text"],
            chat=s.group(s.MODCHAT),
            sender=s.user(BOT_ID, "Dozor", BOT_USERNAME),
            message_id=5000,
        )

        telegram.push_update(s.callback(delete, card=card_message, sender=CAROL, query_id="q-carol"))
        await wait_until(lambda: len(telegram.calls("answerCallbackQuery")) == 1)
        [refusal] = telegram.calls("answerCallbackQuery")
        assert refusal["callback_query_id"] == "q-carol" and "not a moderator" in refusal["text"]
        assert telegram.calls("deleteMessage") == []

        telegram.push_update(s.callback(delete, card=card_message, sender=MOD, query_id="q-mod"))
        await wait_until(lambda: telegram.calls("editMessageText") and telegram.calls("deleteMessage"))
        await wait_until(lambda: settled(database, runner))
        assert [c["message_id"] for c in telegram.calls("deleteMessage")] == [901]
        [edit] = telegram.calls("editMessageText")
        assert edit["chat_id"] == s.MODCHAT and edit["message_id"] == 5000 and "Mod" in edit["text"]
        assert telegram.calls("answerCallbackQuery")[-1]["callback_query_id"] == "q-mod"
    finally:
        await runner.stop()
    cases = await all_cases(database)
    assert [(c.action, c.source, c.actor, c.status) for c in cases] == [
        ("escalate", "auto", "dozor", "upheld"),
        ("delete", "manual", "7", "executed"),
    ]


async def test_anonymous_admin_command_works_and_automatic_forward_is_ignored(
    polling: Runner, sqlite_database: Database, telegram: FakeTelegram
) -> None:
    channel = {"id": s.CHANNEL, "type": "channel", "title": "News"}
    telegram.push_update(
        s.update(
            message=s.message(
                "casino news",
                sender=s.SERVICE_USER,
                sender_chat=channel,
                is_automatic_forward=True,
                message_id=950,
            )
        )
    )
    target = s.message("spam", sender=SPAMMER, message_id=951)
    telegram.push_update(s.update(message=target))
    telegram.push_update(
        s.text_update(
            "/ban flood", sender=s.ANON_BOT, sender_chat=s.group(), reply_to_message=target, message_id=952
        )
    )
    await wait_until(lambda: telegram.calls("banChatMember"))
    await wait_until(lambda: settled(sqlite_database, polling))
    assert telegram.calls("banChatMember") == [{"chat_id": s.GROUP, "user_id": 66}]
    deleted = telegram.deleted()
    assert 951 in deleted and 950 not in deleted
    cases = await all_cases(sqlite_database)
    assert "950" not in [c.message_id for c in cases]
    assert [(c.action, c.source) for c in cases if c.author_id == "66"][-1] == ("ban", "manual")


async def test_spam_behind_a_command_is_moderated_and_the_moderators_chat_is_not(
    polling: Runner, sqlite_database: Database, telegram: FakeTelegram
) -> None:
    telegram.push_update(s.text_update("/start best casino bonus", sender=SPAMMER, message_id=960))
    telegram.push_update(
        s.text_update("that casino guy again", chat=s.group(s.MODCHAT), sender=MOD, message_id=961)
    )
    telegram.push_update(s.text_update("hello", sender=CAROL, message_id=962))
    await wait_until(lambda: telegram.calls("deleteMessage"))
    await wait_until(lambda: settled(sqlite_database, polling))
    assert [c["message_id"] for c in telegram.calls("deleteMessage")] == [960]
    cases = await all_cases(sqlite_database)
    assert [(c.message_id, c.action) for c in cases] == [("960", "warn"), ("962", "allow")]


async def test_flood_control_on_delete_is_retried_after_retry_after(
    polling: Runner, sqlite_database: Database, telegram: FakeTelegram
) -> None:
    telegram.fail_next("deleteMessage", error_code=429, retry_after=1)
    telegram.push_update(s.text_update("casino here", sender=SPAMMER, message_id=971))
    await wait_until(lambda: len(telegram.calls("deleteMessage")) == 2)
    first, second = telegram.call_log("deleteMessage")
    assert first.params == second.params == {"chat_id": s.GROUP, "message_id": 971}
    assert second.at - first.at >= 1.0
    await wait_until(lambda: settled(sqlite_database, polling))
    [case] = await all_cases(sqlite_database)
    assert case.status == "executed"


async def test_message_too_old_to_delete_is_recorded_and_moderators_alerted(
    polling: Runner, sqlite_database: Database, telegram: FakeTelegram
) -> None:
    telegram.fail_next("deleteMessage", 400, "Bad Request: message can't be deleted")
    telegram.push_update(s.text_update("casino here", sender=SPAMMER, message_id=981))
    await wait_until(lambda: settled(sqlite_database, polling))
    await wait_until(lambda: any(m["chat_id"] == s.MODCHAT for m in telegram.calls("sendMessage")))
    assert len(telegram.calls("deleteMessage")) == 1  # permanent: not retried
    [case] = await all_cases(sqlite_database)
    assert case.status == "failed" and "48 hours" in (case.error or "")
    alert = [m for m in telegram.calls("sendMessage") if m["chat_id"] == s.MODCHAT][-1]
    assert "48 hours" in alert["text"]
