"""Without a moderators' chat, cards and failure alerts go nowhere: the admins are told, quietly."""

from __future__ import annotations

from models import communities
from moderation.errors import ActionFailed
from tests.workflow.world import ALICE, CAROL, COMMUNITY, SPAMMER, World


async def _unlink(world: World) -> None:
    async with world.db.transaction() as s:
        await communities.update_fields(s, (await world.community()).id, modchat_id=None)


async def test_the_first_card_with_nowhere_to_go_tells_the_admins_once_a_day(world: World) -> None:
    await _unlink(world)
    await world.say(CAROL, "refund please, the order never came")
    notes = [c for c in world.sim.of("send_message") if "no moderators' chat" in c.args["text"]]
    assert len(notes) == 1 and notes[0].chat_id == COMMUNITY
    assert "/modchat" in notes[0].args["text"]
    await world.say(CAROL, "refund now!")  # a second card the same day: no second note
    world.sim.fail_next("delete_messages", ActionFailed("message too old", permanent=True))
    await world.say(SPAMMER, "casino")  # and an alert: still quiet
    assert sum("no moderators' chat" in t for t in world.sim.sent_to(COMMUNITY)) == 1
    world.later(minutes=11)
    await world.flush()
    assert notes[0].args["message_id"] in world.sim.deleted_ids(COMMUNITY)  # the note cleans itself up
    world.later(hours=25)
    world.sim.fail_next("delete_messages", ActionFailed("message too old", permanent=True))
    await world.say(SPAMMER, "casino again")
    alert = world.sim.sent_to(COMMUNITY)[-1]
    assert "could not carry out an action here" in alert and "/modchat" in alert


async def test_status_says_where_cards_go(world: World) -> None:
    await world.command(ALICE, "status")
    assert "Moderators' chat: -200" in world.last_text()
    await _unlink(world)
    await world.command(ALICE, "status")
    assert (
        "Moderators' chat: not linked: cards and alerts go nowhere; /modchat links one" in world.last_text()
    )
