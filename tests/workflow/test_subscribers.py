"""Subscribers: auto-replies (cooldown, raids), reports, appeals with their outcome told."""

from __future__ import annotations

from handlers.updates import MemberChange, MemberStatus
from models import cases, escalations, warnings
from moderation.events import Author, Platform
from tests.workflow.world import ALICE, BORIS, CAROL, COMMUNITY, MODCHAT, SPAMMER, World


async def test_auto_reply_answers_once_per_cooldown(world: World) -> None:
    await world.command(ALICE, "autoreply", "add delivery -> We ship within 3 days.")
    assert world.last_text() == "Auto-reply to 'delivery' saved."
    await world.say(CAROL, "how long is Delivery?")
    assert world.last_text() == "We ship within 3 days."
    await world.say(CAROL, "delivery??")
    assert world.sim.sent_to(COMMUNITY).count("We ship within 3 days.") == 1
    world.later(seconds=301)
    await world.say(CAROL, "delivery to Omsk?")
    assert world.sim.sent_to(COMMUNITY).count("We ship within 3 days.") == 2
    await world.command(ALICE, "autoreply", "list")
    assert world.last_text() == "• delivery → We ship within 3 days."
    await world.command(ALICE, "autoreply", "remove delivery")
    assert world.last_text() == "Auto-reply to 'delivery' removed."


async def test_auto_reply_is_suppressed_for_a_flagged_message(world: World) -> None:
    await world.command(ALICE, "autoreply", "add delivery -> We ship within 3 days.")
    await world.say(SPAMMER, "casino delivery")
    assert "We ship within 3 days." not in world.sim.sent_to(COMMUNITY)


async def test_auto_reply_pauses_during_a_raid(world: World) -> None:
    await world.command(ALICE, "autoreply", "add delivery -> We ship within 3 days.")
    for n in range(10):
        joined = Author(id=f"r{n}", name=f"Raider {n}")
        await world.dozor.handle(
            MemberChange(Platform.SHELL, COMMUNITY, joined, MemberStatus.JOINED, world.now()), f"j{n}"
        )
    await world.say(CAROL, "delivery?")
    assert "We ship within 3 days." not in world.sim.sent_to(COMMUNITY)
    world.later(minutes=6)
    await world.say(CAROL, "delivery?")
    assert "We ship within 3 days." in world.sim.sent_to(COMMUNITY)


async def test_report_escalates_the_replied_message_once(world: World) -> None:
    mid = await world.say(SPAMMER, "buy followers cheap")
    await world.command(CAROL, "report", "spam", reply_to=(mid, SPAMMER, "buy followers cheap"))
    assert world.last_text() == "Thank you, the moderators will take a look."
    await world.command(CAROL, "report", reply_to=(mid, SPAMMER, "buy followers cheap"))
    cards = [t for t in world.sim.sent_to(MODCHAT) if "Report by" in t]
    assert len(cards) == 1 and "buy followers cheap" in cards[0]
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    await world.press(BORIS, esc.id, "spam")
    assert world.sim.deleted_ids() == [mid]


async def test_appeal_round_trip_overturns_and_tells_the_author(both: World) -> None:
    world = both
    await world.say(SPAMMER, "idiot")  # a warning, and the message removed
    c = await world.community()
    async with world.db.transaction() as s:
        [case] = await cases.query(s, community_id=c.id)
    await world.command(SPAMMER, "appeal", str(case.id))
    assert world.last_text() == f"Your appeal of case #{case.id} went to the moderators."
    card = world.sim.sent_to(MODCHAT)[-1]
    assert card.startswith(f"⚖️ Appeal · case #{case.id}") and "history:" in card
    await world.command(SPAMMER, "appeal", str(case.id))
    assert world.last_text() == f"Case #{case.id} is already under appeal."
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
        assert (await cases.get(s, case.id)).status == "appealed"  # type: ignore[union-attr]
    await world.press(ALICE, esc.id, "approve")
    assert (
        world.last_text() == f"Spammer, your appeal of case #{case.id} succeeded: the decision is reversed."
    )
    async with world.db.transaction() as s:
        assert (await cases.get(s, case.id)).status == "overturned"  # type: ignore[union-attr]
        assert await warnings.live_count(s, c.id, SPAMMER.id, world.now()) == 0


async def test_private_appeal_of_a_ban_is_declined_and_told(world: World) -> None:
    await world.say(SPAMMER, "scam")
    await world.command(SPAMMER, "appeal", chat="777", private=True)
    assert world.last_text("777").startswith("Your appeal of case #")
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    await world.press(BORIS, esc.id, "ban")
    assert "was declined" in world.last_text("777")
    async with world.db.transaction() as s:
        assert (await cases.get(s, esc.case_id)).status == "upheld"  # type: ignore[union-attr]


async def test_someone_elses_case_cannot_be_appealed(world: World) -> None:
    await world.say(SPAMMER, "scam")
    await world.command(CAROL, "appeal", "1")
    assert world.last_text().startswith("I found no case of yours")


async def test_removal_notice_can_be_switched_off(world: World) -> None:
    from handlers.community_config import set_switch

    async with world.db.transaction() as s:
        await set_switch(s, await world.community(), "notify_removed", False)
    await world.say(SPAMMER, "casino")
    assert world.sim.sent_to(COMMUNITY) == []
    assert len(world.sim.deleted_ids()) == 1
