"""The incoming comment flow: decide, record, carry out; idempotent; dry run; edits; warnings."""

from __future__ import annotations

from sqlalchemy import select

from handlers.updates import MemberStatus
from models import cases, members, outbox
from models.tables import OutboxItem
from moderation.errors import ActionFailed
from tests.workflow.world import ALICE, CAROL, COMMUNITY, MODCHAT, SPAMMER, World


async def _cases(world: World) -> list[cases.CaseRecord]:
    c = await world.community()
    async with world.db.transaction() as s:
        return await cases.query(s, community_id=c.id)


async def test_spam_is_deleted_the_author_told_and_the_case_executed(both: World) -> None:
    world = both
    mid = await world.say(SPAMMER, "best casino bonus here")
    assert world.sim.deleted_ids(COMMUNITY)[0] == mid
    [case] = await _cases(world)
    assert (case.action, case.status, case.message_id, case.source) == ("delete", "executed", mid, "auto")
    assert case.rule_names == ["casino"]
    notice = world.last_text()
    assert "Spammer" in notice and "casino spam" in notice and f"/appeal {case.id}" in notice
    # the notice deletes itself after notice_ttl_seconds
    notice_id = world.sim.of("send_message")[-1].args["message_id"]
    world.later(seconds=world.settings.notice_ttl_seconds + 1)
    await world.flush()
    assert notice_id in world.sim.deleted_ids(COMMUNITY)


async def test_a_repeated_delivery_makes_one_case(both: World) -> None:
    world = both
    mid = await world.say(SPAMMER, "casino!", key="same")
    await world.say(SPAMMER, "casino!", key="same", edit_of=mid)
    assert len(await _cases(world)) == 1
    assert world.sim.deleted_ids() == [mid]


async def test_ordinary_messages_are_recorded_and_members_counted(world: World) -> None:
    await world.say(CAROL, "hello")
    await world.say(CAROL, "how are you")
    recorded = await _cases(world)
    assert [c.action for c in recorded] == ["allow", "allow"]
    assert all(c.status == "executed" for c in recorded)
    c = await world.community()
    async with world.db.transaction() as s:
        carol = await members.get(s, c.id, CAROL.id)
    assert carol is not None and carol.message_count == 2
    assert world.sim.calls == []


async def test_edited_message_is_checked_again_without_counting_twice(world: World) -> None:
    mid = await world.say(CAROL, "hello")
    await world.say(CAROL, "hello, visit my casino", edit_of=mid)
    first, second = await _cases(world)
    assert (first.action, second.action, second.edited) == ("allow", "delete", True)
    assert world.sim.deleted_ids() == [mid]
    c = await world.community()
    async with world.db.transaction() as s:
        carol = await members.get(s, c.id, CAROL.id)
    assert carol is not None and carol.message_count == 1


async def test_dry_run_records_and_plans_nothing(world: World) -> None:
    await world.command(ALICE, "dryrun", "on")
    world.sim.calls.clear()
    await world.say(SPAMMER, "casino scam")
    case = (await _cases(world))[-1]
    assert (case.action, case.status, case.dry_run) == ("ban", "dry_run", True)
    assert world.sim.calls == []
    async with world.db.transaction() as s:
        assert await outbox.for_case(s, case.id) == []


async def test_ban_rule_bans_and_removes(world: World) -> None:
    mid = await world.say(SPAMMER, "a scam offer")
    assert world.sim.deleted_ids() == [mid]
    [ban] = world.sim.of("ban")
    assert ban.args["user_id"] == SPAMMER.id and ban.args["until"] is None


async def test_warnings_climb_the_ladder_and_expire(world: World) -> None:
    for _ in range(3):
        await world.say(SPAMMER, "you idiot")
    actions = [c.action for c in await _cases(world)]
    assert actions == ["warn", "warn", "mute"]  # default ladder: the third live warning mutes
    [mute] = world.sim.of("restrict")
    assert mute.args["user_id"] == SPAMMER.id
    world.later(days=31)  # warnings live 30 days
    await world.say(SPAMMER, "you idiot")
    assert (await _cases(world))[-1].action == "warn"


async def test_admins_are_not_moderated(world: World) -> None:
    await world.say(ALICE.__class__(id=ALICE.id, name="Alice", is_admin=True), "casino night at the club!")
    assert (await _cases(world))[-1].action == "allow"
    assert world.sim.deleted_ids() == []


async def test_a_permanent_failure_marks_the_case_and_alerts_moderators(world: World) -> None:
    world.sim.fail_next("delete_messages", ActionFailed("message too old", permanent=True))
    await world.say(SPAMMER, "casino")
    case = (await _cases(world))[-1]
    assert case.status == "failed" and "message too old" in (case.error or "")
    assert any("message too old" in text for text in world.sim.sent_to(MODCHAT))


async def test_a_transient_failure_is_retried(world: World) -> None:
    world.sim.fail_next("delete_messages", ActionFailed("flood", retry_after=1))
    mid = await world.say(SPAMMER, "casino")
    assert world.sim.deleted_ids() == []
    world.later(seconds=2)
    await world.flush()
    assert world.sim.deleted_ids() == [mid]
    assert (await _cases(world))[-1].status == "executed"


async def test_a_batch_of_comments_gets_each_its_case_in_arrival_order(both: World) -> None:
    from handlers.comments import on_events
    from moderation.events import Event, EventKind, MessageRef, Platform

    def comment(text: str, who: object, key: str) -> tuple[Event, str]:
        message_id = both.sim.post(COMMUNITY, text)
        ref = MessageRef(COMMUNITY, message_id)
        return Event(Platform.SHELL, EventKind.SHELL_MESSAGE, COMMUNITY, ref, who, text, both.now()), key  # type: ignore[arg-type]

    batch = [
        comment("good morning", CAROL, "b1"),
        comment("casino bonus here", SPAMMER, "b2"),
        comment("and to you", CAROL, "b3"),
        comment("and to you", CAROL, "b3"),  # the same event delivered twice
    ]
    results = await on_events(both.dozor.ctx, batch)
    assert [r.action if r else None for r in results] == ["allow", "delete", "allow", "allow"]
    assert results[2] == results[3]
    ids = [r.id for r in results[:3] if r]
    assert ids == sorted(ids) and len(set(ids)) == 3  # ids follow arrival order


async def test_a_removal_notice_held_back_past_its_lifetime_is_dropped(both: World) -> None:
    world = both
    world.sim.fail_next("send_message", ActionFailed("chat limit", retry_after=30))
    mid = await world.say(SPAMMER, "best casino bonus here")
    assert world.sim.deleted_ids(COMMUNITY)[0] == mid
    assert world.sim.of("send_message") == []  # held back by the chat's limit
    world.later(seconds=world.settings.notice_ttl_seconds + 1)
    await world.flush()
    assert world.sim.of("send_message") == []  # it would be long out of date now: dropped
    async with world.db.transaction() as s:
        sends = (await s.scalars(select(OutboxItem).where(OutboxItem.kind == "send"))).all()
    assert [(r.status, r.result) for r in sends] == [("done", {"expired": True})]


async def test_an_author_already_muted_or_banned_is_not_restricted_again(both: World) -> None:
    """A flood's spammer goes on posting until their mute or ban reaches the platform: each
    offence is a case, and the restriction is sent once — until they are let speak again."""
    world = both
    for n in range(7):
        await world.say(SPAMMER, f"you idiot {n}")
    actions = [c.action for c in await _cases(world)]
    assert actions == ["warn", "warn", "mute", "mute", "ban", "ban", "ban"]
    restrictions = lambda: [c.method for c in world.sim.calls if c.method in ("restrict", "ban")]  # noqa: E731
    assert restrictions() == ["restrict", "ban"]
    await world.join(SPAMMER, MemberStatus.MEMBER)  # a moderator lifted the ban by hand
    await world.say(SPAMMER, "you idiot again")
    assert restrictions() == ["restrict", "ban", "ban"]
