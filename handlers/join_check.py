"""The join check: a newcomer may write only after pressing the button within N minutes.

On joining, the newcomer is restricted and a message with a button is posted (the welcome text
when there is one). Pressing it in time lifts the restriction and removes the message; at the
deadline an unchecked newcomer is removed from the chat (banned, then unbanned so they may come
back) and the removal is a case of its own. Everything goes through the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bounds
from handlers.context import Context, plan, plan_send
from handlers.i18n import plural, t
from handlers.updates import ButtonPress
from models import cases, communities, join_checks
from models.communities import CommunityRecord
from moderation.actions import Ban, Delete, Restrict, Unban, Unrestrict
from moderation.events import Author
from moderation.ports import Button

PREFIX = "join"


def button_data(check_id: int) -> str:
    return f"{PREFIX}:{check_id}"


async def start(
    session: AsyncSession,
    community: CommunityRecord,
    user: Author,
    minutes: int,
    now: datetime,
    greeting: str,
) -> None:
    """Restrict the newcomer and post the check message (``greeting`` first, when given)."""
    check = await join_checks.start(
        session, community.id, user.id, user.name, deadline=now + timedelta(minutes=minutes), now=now
    )
    lang = community.language
    await plan(session, community, Restrict(community.platform_id, user.id))
    ask = t(lang, "join_check", name=user.name or user.id, minutes=plural(lang, minutes, "minute"))
    await plan_send(
        session,
        community,
        community.platform_id,
        f"{greeting}\n\n{ask}" if greeting else ask,
        buttons=[[Button(t(lang, "join_button"), button_data(check.id))]],
        join_check_id=check.id,
    )


async def on_press(ctx: Context, press: ButtonPress) -> None:
    """The newcomer pressed the button: lift the restriction, remove the check message."""
    fields = bounds.button(press.data, PREFIX, 1)
    check_id = bounds.row_id(fields[0]) if fields else None
    async with ctx.db.transaction() as session:
        check = await join_checks.get(session, check_id) if check_id is not None else None
        community = await communities.get(session, check.community_id) if check else None
        if check is None or community is None or community.platform != press.platform.value:
            lang = ctx.settings.language
            key = "esc_unknown"
        elif press.user.id != check.user_id:
            lang, key = community.language, "join_not_yours"
        elif not await join_checks.settle(session, check.id, "passed"):
            lang, key = community.language, "join_late" if check.status == "removed" else "join_passed"
        else:
            lang, key = community.language, "join_passed"
            await plan(session, community, Unrestrict(community.platform_id, check.user_id))
            if check.message_id:
                await plan(session, community, Delete(community.platform_id, (check.message_id,)))
    ctx.poke()
    await ctx.answer_press(press, t(lang, key))


async def expire_due(ctx: Context) -> int:
    """Remove the newcomers whose check ran out. Returns how many."""
    now = ctx.now()
    removed = 0
    async with ctx.db.transaction() as session:
        for check in await join_checks.due(session, now):
            community = await communities.get(session, check.community_id)
            if community is None or not await join_checks.settle(session, check.id, "removed"):
                continue
            case = await cases.create(
                session,
                community_id=community.id,
                platform=community.platform,
                kind="join_check",
                chat_id=community.platform_id,
                author_id=check.user_id,
                author_name=check.name,
                action="kick",
                reason="did not pass the join check in time",
                source="auto",
                status="pending",
                created_at=now,
                decided_at=now,
            )
            chat = community.platform_id
            await plan(session, community, Ban(chat, check.user_id), case_id=case.id)
            await plan(session, community, Unban(chat, check.user_id), case_id=case.id)  # may rejoin later
            if check.message_id:
                await plan(session, community, Delete(chat, (check.message_id,)))
            removed += 1
    if removed:
        ctx.poke()
    return removed
