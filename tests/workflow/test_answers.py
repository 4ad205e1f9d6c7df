"""Answering from the card, saved and quick answers, the open queue, reminders to admins."""

from __future__ import annotations

from models import cases, escalations, members, moderators
from moderation.events import Author
from tests.workflow.world import ALICE, BORIS, CAROL, COMMUNITY, MODCHAT, World

OUTSIDER = Author(id="9", name="Mallory")


async def _esc(world: World) -> escalations.EscalationRecord:
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    return esc


async def _answer_cases(world: World) -> list[cases.CaseRecord]:
    c = await world.community()
    async with world.db.transaction() as s:
        return await cases.query(s, community_id=c.id, action="answer")


async def test_a_reply_to_the_card_is_posted_under_the_comment(both: World) -> None:
    world = both
    mid = await world.say(CAROL, "I want a refund, the parcel never came")
    esc = await _esc(world)
    await world.say(
        BORIS, "Carol, we are sorry: the refund is on its way.", chat=MODCHAT, reply_to=esc.card_message_id
    )

    [answer] = [c for c in world.sim.of("send_message") if c.chat_id == COMMUNITY]
    assert answer.args["reply_to"] == mid and answer.args["text"].startswith("Carol, we are sorry")
    async with world.db.transaction() as s:
        after = await escalations.get(s, esc.id)
    assert after is not None and after.status == "answered" and after.answered_by == BORIS.id
    assert after.answered_at is not None
    [record] = await _answer_cases(world)
    assert (record.actor, record.status, record.message_id) == (BORIS.id, "executed", mid)
    [edit] = world.sim.of("edit_message")
    assert edit.args["message_id"] == esc.card_message_id
    assert "Answered — Boris" in edit.args["text"] and "refund is on its way" in edit.args["text"]
    # answered, not decided: the decision buttons stay
    assert [b.text for b in edit.args["buttons"][0]] == ["Delete", "Ban", "Mute"]


async def test_a_repeated_delivery_answers_once(world: World) -> None:
    await world.say(CAROL, "refund please")
    esc = await _esc(world)
    for _ in range(2):
        await world.say(BORIS, "On it.", chat=MODCHAT, reply_to=esc.card_message_id, key="same-update")
    assert [c.args["text"] for c in world.sim.of("send_message") if c.chat_id == COMMUNITY] == ["On it."]
    assert len(await _answer_cases(world)) == 1


async def test_only_a_moderator_may_answer(world: World) -> None:
    await world.say(CAROL, "refund please")
    esc = await _esc(world)
    await world.say(OUTSIDER, "lol no", chat=MODCHAT, reply_to=esc.card_message_id)
    assert [c for c in world.sim.of("send_message") if c.chat_id == COMMUNITY] == []
    assert world.last_text(MODCHAT).startswith("Only the community's moderators")
    assert (await _esc(world)).status == "open"


async def test_an_answer_that_fails_is_retried_then_sent_once(world: World) -> None:
    from moderation.errors import ActionFailed

    await world.say(CAROL, "refund please")
    esc = await _esc(world)
    world.sim.fail_next("send_message", ActionFailed("flood", retry_after=1))
    await world.say(BORIS, "Sorted.", chat=MODCHAT, reply_to=esc.card_message_id)
    assert [c for c in world.sim.of("send_message") if c.chat_id == COMMUNITY] == []
    world.later(seconds=2)
    await world.flush()
    assert [c.args["text"] for c in world.sim.of("send_message") if c.chat_id == COMMUNITY] == ["Sorted."]


async def test_saved_answers_and_a_quick_button(both: World) -> None:
    world = both
    await world.command(
        ALICE, "answers", "add sorry -> {{author}}, sorry! {{moderator}} is on it.", chat=MODCHAT
    )
    await world.command(ALICE, "answers", "quick sorry", chat=MODCHAT)
    await world.command(ALICE, "answers", chat=MODCHAT)
    assert "⚡ sorry: {{author}}, sorry!" in world.last_text(MODCHAT)
    mid = await world.say(CAROL, "where is my refund")
    [card] = [c for c in world.sim.of("send_message") if c.chat_id == MODCHAT and c.args["buttons"]]
    quick = [b for row in card.args["buttons"] for b in row if b.text == "💬 sorry"]
    assert len(quick) == 1 and len(quick[0].data.encode()) <= 64

    await world.press_data(BORIS, quick[0].data)
    await world.press_data(ALICE, quick[0].data)  # a second press posts nothing
    posted = [c for c in world.sim.of("send_message") if c.chat_id == COMMUNITY]
    assert [(c.args["text"], c.args["reply_to"]) for c in posted] == [("Carol, sorry! Boris is on it.", mid)]
    popups = [c.args["text"] for c in world.sim.of("answer_callback")]
    assert popups == ["Answer sent: sorry.", "Already answered by Boris."]
    edit = world.sim.of("edit_message")[-1]
    assert all(not b.text.startswith("💬") for row in edit.args["buttons"] for b in row)


async def test_answers_commands_need_an_admin_to_change(world: World) -> None:
    c = await world.community()
    async with world.db.transaction() as s:
        await moderators.add(s, c.id, CAROL.id, name="Carol")  # a moderator, not an admin
    await world.command(CAROL, "answers", "add hi -> hello", chat=MODCHAT)
    assert world.last_text(MODCHAT).startswith("Sorry, only the community's admins")
    await world.command(ALICE, "answers", "add bad name! -> hello", chat=MODCHAT)
    assert "one word" in world.last_text(MODCHAT)
    await world.command(ALICE, "answers", "del nothing", chat=MODCHAT)
    assert world.last_text(MODCHAT) == "There is no answer 'nothing'. See /answers"


async def test_queue_lists_open_items_oldest_first_with_waiting_time(world: World) -> None:
    await world.command(ALICE, "queue", chat=MODCHAT)
    assert world.last_text(MODCHAT).startswith("The queue is empty")
    first = await world.say(CAROL, "refund for order 1")
    world.later(minutes=125)
    await world.say(CAROL, "refund for order 2")
    world.later(minutes=1)
    await world.command(BORIS, "queue", chat=MODCHAT)
    text = world.last_text(MODCHAT)
    assert text.splitlines()[0] == "Waiting for an answer: 2 items; the oldest for 2 hours 6 minutes."
    assert text.index("order 1") < text.index("order 2") and "waiting 1 minute" in text
    # answering takes an item off the queue
    async with world.db.transaction() as s:
        oldest = (await escalations.list_open(s))[0]
    await world.say(BORIS, "Refunded.", chat=MODCHAT, reply_to=oldest.card_message_id)
    await world.command(BORIS, "queue", chat=MODCHAT)
    assert world.last_text(MODCHAT).startswith("Waiting for an answer: 1 item;")
    assert first not in world.last_text(MODCHAT)


async def test_queue_speaks_russian_plurals(world: World) -> None:
    await world.command(ALICE, "lang", "ru", chat=MODCHAT)
    for n in range(2):
        await world.say(CAROL, f"refund {n}")
    world.later(minutes=21)
    await world.command(BORIS, "queue", chat=MODCHAT)
    assert world.last_text(MODCHAT).splitlines()[0] == "Ждут ответа: 2 обращения, самое старое — 21 минута."


async def test_an_item_nobody_answers_goes_to_the_admins(world: World) -> None:
    async with world.db.transaction() as s:
        c = await world.community()
        await members.set_admin(s, c.id, ALICE.id, True, world.now())
        await members.update_fields(s, c.id, ALICE.id, name="Alice")
    await world.say(CAROL, "refund?")
    esc = await _esc(world)
    world.later(minutes=world.settings.escalation_admin_minutes + 1)
    await world.dozor.remind_due()
    await world.flush()
    texts = world.sim.sent_to(MODCHAT)
    assert any(
        t.startswith(f"⏫ Case #{esc.case_id} has had no answer for 4 hours 1 minute. Admins: Alice")
        for t in texts
    )
    before = len(world.sim.sent_to(MODCHAT))
    world.later(minutes=world.settings.escalation_admin_minutes + 1)
    await world.dozor.remind_due()
    await world.flush()
    assert not any(t.startswith("⏫") for t in world.sim.sent_to(MODCHAT)[before:])  # once per item


async def test_an_appeal_is_answered_where_it_was_made(world: World) -> None:
    await world.say(CAROL, "casino")  # deleted by the casino rule
    await world.command(CAROL, "appeal", private=True, chat="carol-private")
    esc = await _esc(world)
    assert esc.kind == "appeal"
    await world.say(BORIS, "We looked again: the link was an ad.", chat=MODCHAT, reply_to=esc.card_message_id)
    [answer] = [c for c in world.sim.of("send_message") if c.args["text"].startswith("We looked again")]
    assert answer.chat_id == "carol-private"


async def test_stats_show_answered_share_and_time_to_first_answer(world: World) -> None:
    from handlers import stats

    for n in range(3):
        await world.say(CAROL, f"refund {n}")
    async with world.db.transaction() as s:
        first, second, _ = await escalations.list_open(s)
    world.later(minutes=10)
    await world.say(BORIS, "Done.", chat=MODCHAT, reply_to=first.card_message_id)
    world.later(minutes=20)
    await world.press(ALICE, second.id, "approve")
    c = await world.community()
    figures = await stats.compute(world.db, c.id, 7, world.now())
    assert (figures.complaints, figures.answered) == (3, 2)
    assert figures.median_first_answer_minutes is not None and 19 < figures.median_first_answer_minutes < 21
    assert [(n, k) for n, k, _ in figures.responders] == [("Alice", 1), ("Boris", 1)]
    await world.command(ALICE, "stats", chat=MODCHAT)
    text = world.last_text(MODCHAT)
    assert (
        "Complaints answered: 2/3 (67%)" in text and "Answered by: Alice 1 (30 min), Boris 1 (10 min)" in text
    )


async def test_a_command_typed_as_a_reply_to_the_card_is_not_an_answer(world: World) -> None:
    await world.say(CAROL, "refund please")
    esc = await _esc(world)
    await world.say(BORIS, "/history Carol", chat=MODCHAT, reply_to=esc.card_message_id)
    assert [c for c in world.sim.of("send_message") if c.chat_id == COMMUNITY] == []
    assert (await _esc(world)).status == "open"


async def test_an_answered_item_can_still_be_decided(world: World) -> None:
    mid = await world.say(CAROL, "refund, you thieves")
    esc = await _esc(world)
    await world.say(BORIS, "We hear you.", chat=MODCHAT, reply_to=esc.card_message_id)
    await world.press(ALICE, esc.id, "delete")
    assert world.sim.deleted_ids(COMMUNITY) == [mid]
    edit = world.sim.of("edit_message")[-1]
    assert "Answered — Boris" in edit.args["text"] and "Delete — Alice" in edit.args["text"]
    assert edit.args["buttons"] == []
    async with world.db.transaction() as s:
        done = await escalations.get(s, esc.id)
    assert done is not None and (done.status, done.answered_by, done.decided_by) == (
        "resolved",
        BORIS.id,
        ALICE.id,
    )
