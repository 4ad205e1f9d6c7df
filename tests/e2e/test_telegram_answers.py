"""End to end on the fake Bot API: answering a complaint from its card, by a reply and by a quick button."""

from __future__ import annotations

from typing import Any

from models import answers, communities
from models.db import Database
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.e2e.service import all_cases, make_runner, settled, setup_community, wait_until

CAROL = s.user(3, "Carol", "carol")
MOD = s.user(7, "Mod", "mod")
STRANGER = s.user(8, "Stranger", "stranger")


def _cards(telegram: FakeTelegram) -> list[dict[str, Any]]:
    return [m for m in telegram.calls("sendMessage") if m["chat_id"] == s.MODCHAT and m.get("reply_markup")]


def _in_group(telegram: FakeTelegram) -> list[dict[str, Any]]:
    return [m for m in telegram.calls("sendMessage") if m["chat_id"] == s.GROUP]


def _card_message(card: dict[str, Any], message_id: int) -> dict[str, Any]:
    return s.message(
        card["text"],
        chat=s.group(s.MODCHAT, title="Moderators"),
        sender=s.user(BOT_ID, "Dozor", BOT_USERNAME),
        message_id=message_id,
        reply_markup=card["reply_markup"],
    )


async def test_a_moderator_replies_to_the_card_and_the_answer_lands_under_the_complaint(
    database: Database, telegram: FakeTelegram
) -> None:
    await setup_community(database)
    telegram.set_member(s.GROUP, MOD["id"], "administrator")
    runner = make_runner(database.url, telegram)
    await runner.start()
    try:
        telegram.push_update(s.text_update("I want a refund, order 77", sender=CAROL, message_id=901))
        await wait_until(lambda: _cards(telegram))
        await wait_until(lambda: settled(database, runner))
        card = _card_message(_cards(telegram)[0], 5000)

        # someone in the moderators' chat without rights: refused, nothing posted in the group
        telegram.push_update(
            s.text_update("no refunds lol", chat=card["chat"], sender=STRANGER, reply_to_message=card)
        )
        # the moderator answers by replying to the card
        telegram.push_update(
            s.text_update(
                "Carol, your refund for order 77 is on its way.",
                chat=card["chat"],
                sender=MOD,
                reply_to_message=card,
                message_id=902,
            )
        )
        await wait_until(lambda: _in_group(telegram) and telegram.calls("editMessageText"))
        await wait_until(lambda: settled(database, runner))
    finally:
        await runner.stop()

    [answer] = _in_group(telegram)
    assert answer["text"] == "Carol, your refund for order 77 is on its way."
    assert answer["reply_parameters"]["message_id"] == 901
    refusal = [m for m in telegram.calls("sendMessage") if m["chat_id"] == s.MODCHAT][-1]
    assert refusal["text"].startswith("Only the community's moderators")
    [edit] = telegram.calls("editMessageText")
    assert (
        edit["message_id"] == 5000
        and "Answered — Mod" in edit["text"]
        and "order 77 is on its way" in edit["text"]
    )
    cases = await all_cases(database)
    assert [(c.action, c.actor, c.status, c.message_id) for c in cases if c.action == "answer"] == [
        ("answer", "7", "executed", "901")
    ]


async def test_a_quick_answer_button_posts_the_saved_answer_once(
    database: Database, telegram: FakeTelegram
) -> None:
    community_id = await setup_community(database)
    async with database.transaction() as session:
        await answers.put(session, community_id, "sorry", "{{author}}, sorry for the wait! We are on it.")
        await answers.set_quick(session, community_id, "sorry", True)
        assert await communities.get(session, community_id) is not None
    telegram.set_member(s.GROUP, MOD["id"], "administrator")
    runner = make_runner(database.url, telegram)
    await runner.start()
    try:
        telegram.push_update(s.text_update("where is my refund", sender=CAROL, message_id=911))
        await wait_until(lambda: _cards(telegram))
        await wait_until(lambda: settled(database, runner))
        sent = _cards(telegram)[0]
        buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
        [quick] = [b for b in buttons if b["text"] == "💬 sorry"]
        assert len(quick["callback_data"].encode()) <= 64
        card = _card_message(sent, 5000)
        telegram.push_update(s.callback(quick["callback_data"], card=card, sender=MOD, query_id="q1"))
        telegram.push_update(s.callback(quick["callback_data"], card=card, sender=MOD, query_id="q2"))
        await wait_until(lambda: len(telegram.calls("answerCallbackQuery")) == 2)
        await wait_until(lambda: settled(database, runner))
    finally:
        await runner.stop()

    [answer] = _in_group(telegram)
    assert answer["text"] == "Carol, sorry for the wait! We are on it."
    assert answer["reply_parameters"]["message_id"] == 911
    popups = {c["callback_query_id"]: c["text"] for c in telegram.calls("answerCallbackQuery")}
    assert popups == {"q1": "Answer sent: sorry.", "q2": "Already answered by Mod (@mod)."}
    edit = telegram.calls("editMessageText")[-1]
    labels = [b["text"] for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Delete", "Ban", "Mute", "Approve", "Mark spam"]  # decided later, answered now
