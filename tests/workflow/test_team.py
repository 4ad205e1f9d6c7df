"""`/mod`: admins keep the moderator list from the chat; rights are enforced on the buttons."""

from __future__ import annotations

from models import escalations, moderators
from moderation.events import Author
from tests.workflow.world import ALICE, CAROL, World

DAN = Author(id="5", name="Dan")


async def _open_escalation(world: World) -> int:
    await world.say(CAROL, "I want a refund, nobody answers")
    async with world.db.transaction() as s:
        [esc] = await escalations.list_open(s)
    return esc.id


async def test_a_delete_only_moderator_can_delete_but_not_ban(world: World) -> None:
    message = await world.say(DAN, "hello all")
    await world.command(ALICE, "mod", "add delete-only", reply_to=(message, DAN, "hello all"))
    assert world.last_text() == "Dan is now a moderator: may only delete and approve."
    esc = await _open_escalation(world)
    await world.press(DAN, esc, "ban")
    assert world.sim.of("ban") == []
    await world.press(DAN, esc, "delete")
    assert len(world.sim.deleted_ids()) == 1
    async with world.db.transaction() as s:
        decided = await escalations.get(s, esc)
    assert decided is not None and decided.decided_by == DAN.id and decided.resolution == "delete"


async def test_list_and_remove(world: World) -> None:
    await world.command(ALICE, "mod", "add 77")
    await world.command(ALICE, "mod", "list")
    assert "id 77" in world.last_text() and "delete, mute, ban" in world.last_text()
    await world.command(ALICE, "mod", "remove 77")
    assert world.last_text() == "77 is no longer a moderator."
    await world.command(ALICE, "mod", "remove 77")
    assert world.last_text() == "77 was not a moderator."
    c = await world.community()
    async with world.db.transaction() as s:
        assert await moderators.list_for(s, c.id) == []


async def test_only_admins_manage_moderators(world: World) -> None:
    await world.command(CAROL, "mod", "add 3")
    assert world.last_text() == "Sorry, only the community's admins can use this command."
    c = await world.community()
    async with world.db.transaction() as s:
        assert await moderators.get(s, c.id, CAROL.id) is None


async def _dozor_added(world: World, chat: str, *, can_delete: bool, can_restrict: bool) -> None:
    from datetime import UTC, datetime

    from handlers.updates import BotStatusChange
    from moderation.events import Platform

    change = BotStatusChange(
        platform=Platform.SHELL,
        chat_id=chat,
        title="New group",
        is_admin=can_delete or can_restrict,
        can_delete=can_delete,
        can_restrict=can_restrict,
        removed=False,
        date=datetime.now(UTC),
    )
    await world.dozor.handle(change, "bot-status")
    await world.flush()


async def test_dozor_says_which_rights_it_lacks(world: World) -> None:
    await _dozor_added(world, "-500", can_delete=True, can_restrict=False)
    [text] = world.sim.sent_to("-500")  # a new community speaks the default language, Russian
    assert "блокировать участников" in text and "удалять сообщения" not in text
    await _dozor_added(world, "-501", can_delete=True, can_restrict=True)
    assert world.sim.sent_to("-501")[0].startswith("Dozor на посту")


async def test_a_moderator_is_added_by_the_username_dozor_saw_and_a_stranger_is_refused(
    world: World,
) -> None:
    erin = Author(id="6", name="Erin (@erin_mod)")
    await world.say(erin, "hi all")
    await world.command(ALICE, "mod", "add @Erin_Mod")
    assert world.last_text() == "Erin (@erin_mod) is now a moderator: may delete, mute and ban."
    # an id no platform gives was confirmed and then matched nobody, ever
    await world.command(ALICE, "mod", "add @nobody_here")
    assert "I do not know @nobody_here in this community" in world.last_text()
    await world.command(ALICE, "mod", "add delete-only [id5550099|Иван Петров]")  # a VK mention
    c = await world.community()
    async with world.db.transaction() as s:
        assert sorted(m.user_id for m in await moderators.list_for(s, c.id)) == ["5550099", "6"]
