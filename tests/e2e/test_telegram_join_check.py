"""End to end on the fake Bot API: a newcomer is held until they press the button, or removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import communities
from models.db import Database
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.e2e.service import make_runner, settled, setup_community, wait_until


def _join(user_id: int, name: str) -> dict:
    who = s.user(user_id, name, None)
    return s.member_update({"status": "left", "user": who}, {"status": "member", "user": who})


async def test_join_check_on_telegram(sqlite_database: Database, telegram: FakeTelegram) -> None:
    community_id = await setup_community(sqlite_database)
    async with sqlite_database.transaction() as session:
        c = await communities.get(session, community_id)
        assert c is not None
        await communities.update_fields(
            session, c.id, settings={**c.settings, "join_check_minutes": 2, "welcome": "Hi {{name}}!"}
        )
    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()
    try:
        telegram.push_update(_join(501, "Nina"))
        await wait_until(lambda: telegram.calls("sendMessage") and telegram.calls("restrictChatMember"))
        await wait_until(lambda: settled(sqlite_database, runner))
        [mute] = telegram.calls("restrictChatMember")
        assert mute["user_id"] == 501 and not any(mute["permissions"].values())
        [check] = telegram.calls("sendMessage")
        assert check["chat_id"] == s.GROUP and check["text"].startswith("Hi Nina!\n\nNina, press the button")
        [[button]] = check["reply_markup"]["inline_keyboard"]
        assert len(button["callback_data"].encode()) <= 64
        shown = s.message(check["text"], sender=s.user(BOT_ID, "Dozor", BOT_USERNAME), message_id=5000)
        telegram.push_update(
            s.callback(button["callback_data"], card=shown, sender=s.user(501, "Nina", None), query_id="n1")
        )
        await wait_until(
            lambda: len(telegram.calls("restrictChatMember")) == 2 and telegram.calls("deleteMessage")
        )
        lift = telegram.calls("restrictChatMember")[1]
        assert lift["user_id"] == 501 and all(lift["permissions"].values())
        assert telegram.calls("deleteMessage") == [{"chat_id": s.GROUP, "message_id": 5000}]

        telegram.push_update(_join(502, "Spambot"))  # never presses
        await wait_until(lambda: len(telegram.calls("restrictChatMember")) == 3)
        await wait_until(lambda: settled(sqlite_database, runner))
        assert await runner.dozor.remind_due(datetime.now(UTC) + timedelta(minutes=3)) == 1
        await wait_until(lambda: telegram.calls("unbanChatMember"))
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert [c["user_id"] for c in telegram.calls("banChatMember")] == [502]
    assert [c["user_id"] for c in telegram.calls("unbanChatMember")] == [502]
    assert telegram.calls("answerCallbackQuery")[0]["text"] == "Welcome! You can write now."
