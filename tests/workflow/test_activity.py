"""Rewarding the active: /top and a reproducible, published /giveaway."""

from __future__ import annotations

import contextlib
import io
import re

from handlers import giveaway
from models import giveaways, members
from moderation.events import Author
from tests.workflow.world import ALICE, BORIS, CAROL, COMMUNITY, MODCHAT, World

DAVE = Author(id="5", name="Dave")
ERIN = Author(id="6", name="Erin")
FRANK = Author(id="7", name="Frank")
ROBOT = Author(id="8", name="HelperBot", is_bot=True)


async def _day(world: World) -> None:
    """Carol 4 messages on 2 days, Dave 5 on 1, Erin 2 kept and 1 warned, Frank 1 kept and 1
    reported, Alice (admin) and a bot chatty but never counted."""
    c = await world.community()
    async with world.db.transaction() as s:
        await members.set_admin(s, c.id, ALICE.id, True, world.now())
    for n in range(3):
        await world.say(CAROL, f"good morning {n}")
    for n in range(5):
        await world.say(DAVE, f"hi all {n}")
    await world.say(ERIN, "hello")
    await world.say(ERIN, "nice")
    await world.say(ERIN, "you idiot")  # warned by the "rude" rule
    await world.say(FRANK, "hey")
    reported = await world.say(FRANK, "buy my stuff")
    await world.command(CAROL, "report", reply_to=(reported, FRANK, "buy my stuff"))
    for n in range(9):
        await world.say(ALICE, f"admin note {n}")
        await world.say(ROBOT, f"beep {n}")
    world.later(days=1)
    await world.say(CAROL, "and again")


async def test_top_counts_messages_that_stayed_up(world: World) -> None:
    await _day(world)
    await world.command(BORIS, "top", "7", chat=MODCHAT)
    assert world.last_text(MODCHAT).splitlines() == [
        "Most active in the last 7 days (score = messages + 2 × active days):",
        "1. Carol — 8 (4 messages, 2 days)",
        "2. Dave — 7 (5 messages, 1 day)",
        "3. Erin — 4 (2 messages, 1 day)",
        "4. Frank — 3 (1 message, 1 day)",
    ]


async def test_top_in_russian_and_its_usage(world: World) -> None:
    await _day(world)
    await world.command(ALICE, "lang", "ru", chat=MODCHAT)
    await world.command(BORIS, "top", chat=MODCHAT)
    lines = world.last_text(MODCHAT).splitlines()
    assert lines[0].startswith("Самые активные за 7 дней")
    assert (
        lines[1] == "1. Carol — 8 (4 сообщения, 2 дня)" and lines[4] == "4. Frank — 3 (1 сообщение, 1 день)"
    )
    await world.command(BORIS, "top", "many", chat=MODCHAT)
    assert world.last_text(MODCHAT).startswith("Как использовать: /top")


async def test_giveaway_draws_among_the_clean_and_publishes_the_proof(world: World) -> None:
    await _day(world)
    await world.command(ALICE, "giveaway", "winners=2 min=1", chat=COMMUNITY)
    result = world.last_text()
    assert result.startswith("🎁 Giveaway #1: 2 winners among 3 members active in the last 7 days.")
    async with world.db.transaction() as s:
        record = await giveaways.get(s, 1)
    assert record is not None
    # Erin was warned in the period: out; admins and bots never in.
    assert record.candidates == [CAROL.id, DAVE.id, FRANK.id]
    assert record.winners == giveaway.draw(record.candidates, record.seed, 2)
    assert f"seed {record.seed}, list fingerprint {record.fingerprint}" in result

    await world.command(CAROL, "giveaway", "proof 1")  # not an admin
    assert world.last_text().startswith("Sorry, only")
    await world.command(ALICE, "giveaway", "proof 1")
    [doc] = world.sim.of("send_document")
    code = doc.args["data"].decode().split("\n\n", 1)[1]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # the published code recomputes the draw
    assert printed.getvalue().strip() == f"{record.fingerprint} {record.winners!r}"


async def test_giveaway_conditions(world: World) -> None:
    await _day(world)
    await world.command(ALICE, "giveaway", "winners=5 min=4")
    async with world.db.transaction() as s:
        record = await giveaways.get(s, 1)
    assert record is not None and record.candidates == [CAROL.id, DAVE.id]
    assert re.search(r"2 winners among 2 members", world.last_text())
    await world.command(ALICE, "giveaway", "joined_before=2000-01-01")
    assert world.last_text() == "Nobody meets the conditions: no draw was made."
    await world.command(ALICE, "giveaway", "winners=zero")
    assert world.last_text().startswith("Usage: /giveaway")


def test_the_draw_is_reproducible_and_order_free() -> None:
    people = [str(n) for n in range(50)]
    once = giveaway.draw(people, "seed", 3)
    assert once == giveaway.draw(list(reversed(people)), "seed", 3)
    assert once != giveaway.draw(people, "other", 3)
    assert giveaway.fingerprint(sorted(people)) != giveaway.fingerprint(sorted(people[1:]))
