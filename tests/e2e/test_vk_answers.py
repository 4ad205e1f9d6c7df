"""End to end on the fake VK API: answering a complaint from its card in the VK moderators' chat.

The real runner and VkAdapter (Bots Long Poll) against ``FakeVk``; the answer is posted as the
community under the same post, as a reply to the complaint, and the card says who answered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.runner import Runner
from models.db import Database
from models.tables import Escalation
from tests.e2e import vk_samples as s
from tests.e2e.fake_vk import GROUP_ID, FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, settled, wait_until
from tests.e2e.vk_service import make_vk_runner, setup_vk_community

COMPLAINT = 950


@pytest.fixture
async def runner(sqlite_database: Database, vk: FakeVk) -> AsyncIterator[Runner]:
    """A VK community with a moderators' chat, its moderator a manager and a chat admin."""
    await setup_vk_community(sqlite_database)
    vk.managers = {s.MODERATOR: "moderator"}
    vk.add_chat(CHAT_PEER, {s.MODERATOR: True, s.OTHER: False})
    runner, _ = make_vk_runner(sqlite_database.url, vk)
    await runner.start()
    await wait_until(lambda: vk.a_checks, what="the first a_check")
    yield runner
    await runner.stop()


async def _complaint_card(vk: FakeVk, db: Database, runner: Runner) -> tuple[int, dict[str, Any]]:
    """A complaint under the post; returns its card's conversation_message_id and the card."""
    vk.push_event(s.wall_reply_new("I want a refund, order 77", from_id=s.USER, comment_id=COMPLAINT))
    await wait_until(lambda: _cards(vk), what="the card in the moderators' chat")
    await wait_until(lambda: settled(db, runner), what="the complaint settled")
    [(cmid, card)] = _cards(vk)
    return cmid, card


def _cards(vk: FakeVk) -> list[tuple[int, dict[str, Any]]]:
    return [(cmid, m) for (peer, cmid), m in vk.messages.items() if peer == CHAT_PEER and m.get("keyboard")]


def _labels(keyboard: str) -> list[str]:
    return [b["action"]["label"] for row in json.loads(keyboard)["buttons"] for b in row]


def _chat_said(vk: FakeVk, text: str) -> bool:
    return any(text in m["text"] for (peer, _), m in vk.messages.items() if peer == CHAT_PEER)


def _answers(vk: FakeVk) -> list[dict[str, str]]:
    return [c for c in vk.calls("wall.createComment") if c.get("reply_to_comment") == str(COMPLAINT)]


async def _escalation(db: Database) -> Escalation:
    async with db.transaction() as session:
        return (await session.scalars(select(Escalation))).one()


async def test_a_moderator_replies_to_the_card_and_the_community_answers_under_the_post(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    cmid, card = await _complaint_card(vk, sqlite_database, runner)
    reply_to_card = {
        "conversation_message_id": cmid,
        "from_id": -GROUP_ID,
        "peer_id": CHAT_PEER,
        "date": s.DATE,
        "text": card["text"],
    }
    # a chat member without rights is refused; nothing is posted under the post
    vk.push_event(s.message_new("no refunds lol", from_id=s.OTHER, reply_message=reply_to_card))
    vk.push_event(
        s.message_new(
            "Sorry! Your refund for order 77 is on its way.",
            from_id=s.MODERATOR,
            reply_message=reply_to_card,
        )
    )
    await wait_until(lambda: _answers(vk), what="the answer under the post")
    await wait_until(
        lambda: any("Answered" in e.get("message", "") for e in vk.calls("messages.edit")),
        what="the card edited to say who answered",
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the answer settled")

    [answer] = _answers(vk)
    assert answer["message"] == "Sorry! Your refund for order 77 is on its way."
    assert (answer["owner_id"], answer["post_id"], answer["from_group"]) == (
        str(-GROUP_ID),
        str(s.POST),
        str(GROUP_ID),
    )
    assert answer["guid"].startswith("dozor-outbox-")
    edit = vk.calls("messages.edit")[-1]
    assert edit["peer_id"] == str(CHAT_PEER) and edit["cmid"] == str(cmid)
    assert "Answered" in edit["message"] and "order 77 is on its way" in edit["message"]
    assert _labels(edit["keyboard"]) == ["Delete", "Ban", "Mute", "Approve", "Mark spam"]  # still to decide
    [refusal] = [m for m in vk.messages.values() if m["text"].startswith("Only the community's moderators")]
    assert refusal["peer_ids"] == str(CHAT_PEER)
    esc = await _escalation(sqlite_database)
    assert esc.answered_by == str(s.MODERATOR) and esc.answered_at is not None
    answered = [c for c in await all_cases(sqlite_database) if c.action == "answer"]
    assert [(c.actor, c.status, c.message_id, c.thread_id) for c in answered] == [
        (str(s.MODERATOR), "executed", str(COMPLAINT), str(s.POST))
    ]


async def test_a_quick_answer_button_posts_once_and_a_second_press_is_told_who_answered(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    # an admin saves the answer and makes it a card button, in the VK moderators' chat
    for command in (
        "/answers add sorry -> {{author}}, sorry for the wait! We are on it.",
        "/answers quick sorry",
    ):
        vk.push_event(s.message_new(command, from_id=s.MODERATOR))
    await wait_until(lambda: _chat_said(vk, "is now a card button"), what="the quick answer confirmed")
    assert _chat_said(vk, "Answer 'sorry' saved.")
    cmid, card = await _complaint_card(vk, sqlite_database, runner)
    assert _labels(card["keyboard"])[-1] == "💬 sorry"
    buttons = [b["action"] for row in json.loads(card["keyboard"])["buttons"] for b in row]
    [quick] = [json.loads(b["payload"])["d"] for b in buttons if b["label"] == "💬 sorry"]
    assert quick.startswith("ans:")

    vk.push_event(s.message_event(quick, user_id=s.MODERATOR, cmid=cmid))
    vk.push_event(s.message_event(quick, user_id=s.MODERATOR, cmid=cmid))
    await wait_until(lambda: len(vk.event_answers) == 2, what="both presses answered")
    await wait_until(lambda: settled(sqlite_database, runner), what="the quick answer settled")

    [answer] = _answers(vk)
    # VK events carry no names: people are "id<number>" (see bot/vk/content.py author)
    assert answer["message"] == f"id{s.USER}, sorry for the wait! We are on it."
    snackbars = [json.loads(a["event_data"])["text"] for a in vk.event_answers]
    assert snackbars[0] == "Answer sent: sorry."
    assert snackbars[1] == f"Already answered by id{s.MODERATOR}."
    esc = await _escalation(sqlite_database)
    assert esc.answered_by == str(s.MODERATOR) and esc.status == "answered"
    # the card says who answered and loses its quick buttons; the decision buttons stay
    edit = vk.messages[(CHAT_PEER, cmid)]
    assert f"Answered — id{s.MODERATOR}" in edit["text"]
    assert _labels(edit["keyboard"]) == ["Delete", "Ban", "Mute", "Approve", "Mark spam"]


async def test_an_appeal_typed_under_a_post_is_answered_from_its_card_under_the_same_post(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    vk.push_event(s.wall_reply_new("best casino bonus", from_id=s.USER, comment_id=970))
    await wait_until(lambda: vk.deleted, what="the spam deleted")
    vk.push_event(s.wall_reply_new("/appeal it was a joke", from_id=s.USER, comment_id=971))
    await wait_until(lambda: _cards(vk), what="the appeal's card")
    await wait_until(lambda: settled(sqlite_database, runner), what="the appeal settled")
    [(cmid, card)] = _cards(vk)
    reply_to_card = {"conversation_message_id": cmid, "from_id": -GROUP_ID, "text": card["text"]}
    vk.push_event(
        s.message_new("We looked again: fair enough.", from_id=s.MODERATOR, reply_message=reply_to_card)
    )
    await wait_until(
        lambda: any(c["message"] == "We looked again: fair enough." for c in vk.calls("wall.createComment")),
        what="the answer under the appeal",
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the answer settled")

    answer = vk.calls("wall.createComment")[-1]
    assert (answer["post_id"], answer["reply_to_comment"], answer["from_group"]) == (
        str(s.POST),
        "971",
        str(GROUP_ID),
    )
    answered = [c for c in await all_cases(sqlite_database) if c.action == "answer"]
    assert [(c.status, c.error) for c in answered] == [("executed", None)]

    # the moderator approves the appeal: the appellant is told under the same post
    buttons = [b["action"] for row in json.loads(card["keyboard"])["buttons"] for b in row]
    approve = next(json.loads(b["payload"])["d"] for b in buttons if b["label"] == "Approve")
    vk.push_event(s.message_event(approve, user_id=s.MODERATOR, cmid=cmid))
    await wait_until(
        lambda: any(
            "appeal of case" in c["message"] and "succeeded" in c["message"]
            for c in vk.calls("wall.createComment")
        ),
        what="the appellant told under the post",
    )
    await wait_until(lambda: settled(sqlite_database, runner), what="the decision settled")
    [told] = [c for c in vk.calls("wall.createComment") if "succeeded" in c["message"]]
    assert (told["post_id"], told["reply_to_comment"], told["from_group"]) == (
        str(s.POST),
        "971",
        str(GROUP_ID),
    )
    assert told["message"] == f"id{s.USER}, your appeal of case #1 succeeded: the decision is reversed."


async def test_a_complaint_in_a_community_chat_is_answered_there_as_a_reply(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    community_chat = CHAT_PEER + 1
    vk.add_chat(community_chat, {s.USER: False})
    vk.push_event(s.message_new("I want a refund, order 78", from_id=s.USER, peer_id=community_chat, cmid=41))
    await wait_until(lambda: _cards(vk), what="the card in the moderators' chat")
    await wait_until(lambda: settled(sqlite_database, runner), what="the complaint settled")
    [(cmid, card)] = _cards(vk)
    reply_to_card = {"conversation_message_id": cmid, "from_id": -GROUP_ID, "text": card["text"]}
    vk.push_event(s.message_new("On its way!", from_id=s.MODERATOR, reply_message=reply_to_card))
    await wait_until(lambda: (community_chat, 1) in vk.messages, what="the answer in the community chat")
    await wait_until(lambda: settled(sqlite_database, runner), what="the answer settled")

    answer = vk.messages[(community_chat, 1)]
    assert answer["text"] == "On its way!"
    assert json.loads(answer["forward"]) == {
        "peer_id": community_chat,
        "conversation_message_ids": [41],
        "is_reply": True,
    }


async def test_an_unanswered_complaint_is_reminded_under_its_card_then_put_before_the_admins(
    runner: Runner, sqlite_database: Database, vk: FakeVk
) -> None:
    cmid, _ = await _complaint_card(vk, sqlite_database, runner)
    vk.push_event(s.message_new("/queue", from_id=s.MODERATOR))  # the moderator is now a known admin
    await wait_until(lambda: _chat_said(vk, "Waiting for an answer"), what="/queue answered")
    [queue] = [m["text"] for m in vk.messages.values() if m["text"].startswith("Waiting for an answer")]
    assert f"#1 ⚠️ flagged · id{s.USER} · waiting" in queue
    later = datetime.now(UTC) + timedelta(hours=5)
    assert await runner.dozor.remind_due(now=later) == 2  # the reminder, and the admins
    await wait_until(lambda: _chat_said(vk, "Admins:"), what="the admins told")
    await wait_until(lambda: settled(sqlite_database, runner), what="the reminders settled")

    said = [m for (peer, _), m in vk.messages.items() if peer == CHAT_PEER and m["text"][:1] in "⏰⏫"]
    assert [m["text"][:1] for m in said] == ["⏰", "⏫"]
    assert said[1]["text"].endswith(f"Admins: {s.MODERATOR}")  # known as admin, by id (no name seen)
    for m in said:  # each a reply to the card
        assert json.loads(m["forward"])["conversation_message_ids"] == [cmid]
