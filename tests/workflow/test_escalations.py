"""Escalation cards and moderators' buttons: verified, atomic, recorded, learned from."""

from __future__ import annotations

import asyncio

from models import cases, communities, escalations, examples, moderators
from moderation.events import Author
from tests.workflow.world import ALICE, BORIS, CAROL, FULL, MODCHAT, SPAMMER, World


async def _open(world: World) -> escalations.EscalationRecord:
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    return esc


async def test_escalation_card_has_buttons_within_64_bytes(both: World) -> None:
    world = both
    await world.say(CAROL, "I want a refund now")
    [card] = [c for c in world.sim.of("send_message") if c.chat_id == MODCHAT]
    assert "refund" in card.args["text"] and "Carol" in card.args["text"] and "complaint" in card.args["text"]
    labels = [b.text for row in card.args["buttons"] for b in row]
    assert labels == ["Delete", "Ban", "Mute", "Approve", "Mark spam"]
    assert all(len(b.data.encode()) <= 64 for row in card.args["buttons"] for b in row)
    esc = await _open(world)
    assert esc.card_message_id == card.args["message_id"]


async def test_two_moderators_pressing_at_once_make_one_decision(both: World) -> None:
    world = both
    await world.say(CAROL, "where is my refund")
    esc = await _open(world)
    await asyncio.gather(
        world.press(ALICE, esc.id, "ban", flush=False), world.press(BORIS, esc.id, "mute", flush=False)
    )
    await world.flush()
    restrictions = world.sim.of("ban") + world.sim.of("restrict")
    assert len(restrictions) == 1
    answers = [c.args["text"] for c in world.sim.of("answer_callback")]
    assert sum(a.startswith("Done") for a in answers) == 1
    assert sum(a.startswith("Already decided") for a in answers) == 1
    async with world.db.transaction() as s:
        decided = await escalations.get(s, esc.id)
    assert decided is not None and decided.status == "resolved"
    assert decided.resolution in ("ban", "mute") and decided.decided_by in (ALICE.id, BORIS.id)


async def test_a_moderator_of_another_community_cannot_decide(both: World) -> None:
    world = both
    outsider = Author(id="9", name="Mallory")
    world.sim.set_role("-300", outsider.id, FULL)  # admin of community B only
    async with world.db.transaction() as s:
        b = await communities.ensure(s, "shell", "-300", title="B")
        await moderators.add(s, b.id, outsider.id, name="Mallory")
    await world.say(CAROL, "refund!")
    esc = await _open(world)
    await world.press(outsider, esc.id, "ban")
    assert world.sim.of("ban") == []
    assert world.sim.of("answer_callback")[-1].args["text"].startswith("You are not a moderator")
    assert (await _open(world)).status == "open"


async def test_a_decision_is_carried_out_recorded_and_the_card_edited(world: World) -> None:
    mid = await world.say(CAROL, "give me a refund, idiots")
    esc = await _open(world)
    await world.press(BORIS, esc.id, "mute")
    assert world.sim.deleted_ids() == [mid]
    [mute] = world.sim.of("restrict")
    assert mute.args["user_id"] == CAROL.id
    [edit] = world.sim.of("edit_message")
    assert edit.args["message_id"] == esc.card_message_id and "Mute — Boris" in edit.args["text"]
    assert edit.args["buttons"] == []
    c = await world.community()
    async with world.db.transaction() as s:
        manual = await cases.query(s, community_id=c.id, source="manual")
        learned = await examples.list_examples(s, community_id=c.id)
    assert [(m.action, m.actor, m.status) for m in manual] == [("mute", BORIS.id, "executed")]
    assert [(e.label, e.source) for e in learned] == [("spam", "moderator")]


async def test_approving_dozors_removal_overturns_it(world: World) -> None:
    await world.say(SPAMMER, "casino")
    c = await world.community()
    async with world.db.transaction() as s:
        [case] = await cases.query(s, community_id=c.id)
        fields = {"case_id": case.id, "community_id": c.id, "kind": "report", "modchat_id": MODCHAT}
        [esc] = await escalations.create_many(s, [{**fields, "created_at": world.now()}])
    await world.press(ALICE, esc.id, "approve")
    async with world.db.transaction() as s:
        after = await cases.get(s, case.id)
        learned = await examples.list_examples(s, community_id=c.id)
    assert after is not None and after.status == "overturned"
    assert [e.label for e in learned] == ["ham"]


async def test_unanswered_escalation_is_reminded_once_per_period(world: World) -> None:
    await world.say(CAROL, "refund?")
    esc = await _open(world)
    assert await world.dozor.remind_due() == 0
    world.later(minutes=world.settings.escalation_reminder_minutes + 1)
    assert await world.dozor.remind_due() == 1
    assert await world.dozor.remind_due() == 0
    await world.flush()
    reminder = world.sim.of("send_message")[-1]
    assert reminder.chat_id == MODCHAT and reminder.args["reply_to"] == esc.card_message_id
    assert "waited" in reminder.args["text"]


async def test_a_stale_or_foreign_button_is_refused(world: World) -> None:
    await world.press(BORIS, 999, "ban")
    assert world.sim.of("answer_callback")[-1].args["text"] == "Эта карточка устарела."
    assert world.sim.of("ban") == []
