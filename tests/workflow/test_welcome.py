"""Welcome message, join check and raid mode on the simulated platform."""

from __future__ import annotations

from handlers.updates import MemberStatus
from models import cases, join_checks, member_events
from moderation.events import Author
from tests.workflow.world import ALICE, COMMUNITY, MODCHAT, World

NEWBIE = Author(id="50", name="Nina (@nina)")


def _buttons(world: World) -> list[str]:
    return [b.data for c in world.sim.of("send_message") for row in c.args["buttons"] for b in row]


async def test_welcome_greets_a_newcomer_by_name(world: World) -> None:
    await world.command(ALICE, "welcome")
    assert world.last_text().startswith("No welcome message. Set one: /welcome Hi {{name}}!")
    await world.command(ALICE, "welcome", "Hi {{name}}, welcome to {{community}}! Rules are pinned.")
    assert world.last_text() == "The welcome message is saved."
    await world.join(NEWBIE)
    assert world.last_text() == "Hi Nina, welcome to Test community! Rules are pinned."
    assert world.sim.of("restrict") == []  # no join check asked for
    await world.command(ALICE, "welcome", "off")
    await world.join(Author(id="51", name="Oleg"))
    assert world.last_text() == "The welcome message is removed."


async def test_join_check_passed_in_time(world: World) -> None:
    await world.command(ALICE, "joincheck", "3")
    assert world.last_text() == "The join check is on: newcomers must press the button within 3 minutes."
    await world.join(NEWBIE)
    [mute] = world.sim.of("restrict")
    assert mute.args == {"user_id": NEWBIE.id, "until": None}
    assert world.last_text() == "Nina (@nina), press the button within 3 minutes to be able to write here."
    [data] = [d for d in _buttons(world) if d.startswith("join:")]
    await world.press_data(ALICE, data, chat=COMMUNITY)  # not theirs
    await world.press_data(NEWBIE, data, chat=COMMUNITY)
    popups = [c.args["text"] for c in world.sim.of("answer_callback")]
    assert popups == ["This button is for the newcomer being checked.", "Welcome! You can write now."]
    [lift] = world.sim.of("unrestrict")
    assert lift.args["user_id"] == NEWBIE.id
    check_message = world.sim.of("send_message")[-1].args["message_id"]
    assert world.sim.deleted_ids(COMMUNITY) == [check_message]
    world.later(minutes=5)
    assert await world.dozor.remind_due() == 0  # passed: nobody is removed


async def test_join_check_not_passed_removes_the_newcomer(world: World) -> None:
    await world.command(ALICE, "joincheck", "2")
    await world.join(NEWBIE)
    world.later(minutes=1)
    assert await world.dozor.remind_due() == 0
    world.later(minutes=2)
    assert await world.dozor.remind_due() == 1
    await world.flush()
    assert [c.args["user_id"] for c in world.sim.of("ban")] == [NEWBIE.id]
    assert [c.args["user_id"] for c in world.sim.of("unban")] == [NEWBIE.id]  # may come back later
    c = await world.community()
    async with world.db.transaction() as s:
        [kick] = await cases.query(s, community_id=c.id, action="kick")
    assert kick.author_id == NEWBIE.id and kick.status == "executed"
    [data] = [d for d in _buttons(world) if d.startswith("join:")]
    await world.press_data(NEWBIE, data, chat=COMMUNITY)
    assert world.sim.of("answer_callback")[-1].args["text"] == "The check has run out."


async def test_a_join_spike_turns_raid_mode_on_and_tells_the_admins(world: World) -> None:
    async with world.db.transaction() as s:
        c = await world.community()
        from models import communities

        await communities.update_fields(s, c.id, settings={**c.settings, "raid_joins": 3})
    for n in range(2):
        await world.join(Author(id=f"6{n}", name=f"Bot{n}"))
    assert world.sim.of("restrict") == []
    await world.join(Author(id="62", name="Bot2"))
    raid = [t for t in world.sim.sent_to(MODCHAT) if t.startswith("🚨")]
    assert raid == [
        "🚨 Raid mode: 3 joins in 5 minutes. Every newcomer must pass the join check; "
        "it ends after 30 minutes without joins. /raid off ends it now."
    ]
    await world.join(Author(id="63", name="Bot3"))
    assert [c.args["user_id"] for c in world.sim.of("restrict")] == ["62", "63"]
    assert len([t for t in world.sim.sent_to(MODCHAT) if t.startswith("🚨")]) == 1  # told once
    await world.command(ALICE, "raid", "off", chat=MODCHAT)
    assert world.last_text(MODCHAT) == "Raid mode is off."
    await world.join(Author(id="64", name="Late"))
    assert "64" not in [c.args["user_id"] for c in world.sim.of("restrict")]
    async with world.db.transaction() as s:
        assert await member_events.count(s, c.id, "joined", world.now().replace(year=2000)) == 5
        assert await join_checks.pending_for(s, c.id, "63") is not None


async def test_leaving_is_recorded_and_russian_texts(world: World) -> None:
    await world.command(ALICE, "lang", "ru")
    await world.command(ALICE, "joincheck", "1")
    assert world.last_text() == "Проверка новичков включена. Время на нажатие кнопки — 1 минута."
    await world.command(ALICE, "joincheck", "22")
    assert world.last_text() == "Проверка новичков включена. Время на нажатие кнопки — 22 минуты."
    await world.join(NEWBIE)
    assert world.last_text() == "Nina (@nina), чтобы писать в чате, нажмите кнопку. Время на это — 22 минуты."
    await world.join(NEWBIE, MemberStatus.LEFT)
    c = await world.community()
    async with world.db.transaction() as s:
        assert await member_events.count(s, c.id, "left", world.now().replace(year=2000)) == 1
