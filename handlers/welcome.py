"""The first line of defence: ``/welcome``, ``/joincheck`` and raid mode.

Community switches (``communities.settings``): ``welcome`` (text with ``{{name}}`` and
``{{community}}``), ``join_check_minutes`` (0 or absent: off), ``raid_until`` (ISO time) and
``raid_joins`` (joins within ``RAID_WINDOW`` that turn raid mode on, default ``RAID_JOINS``) and
``raid_ended`` (when an admin ended one: earlier joins do not count toward the next).
In raid mode every newcomer goes through the join check (``RAID_CHECK_MINUTES`` when the
community has none) and the admins are told; it ends ``RAID_QUIET`` after the last join. Where
the platform cannot hold a newcomer (``Capabilities.join_check``), raid mode hides newcomers'
comments until a moderator decides instead (``Policy.hold_newcomers``), and ``/welcome`` and
``/joincheck`` say they cannot be honoured there rather than confirm.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers import bounds, join_check
from handlers.answers import first_name, render
from handlers.community_config import set_switch
from handlers.context import Context, plan_send
from handlers.i18n import plural, t
from handlers.invocation import Invocation
from handlers.updates import MemberChange, MemberStatus
from models import communities, member_events
from models.communities import CommunityRecord

RAID_JOINS = 10
RAID_WINDOW = timedelta(minutes=5)
RAID_QUIET = timedelta(minutes=30)
RAID_CHECK_MINUTES = 5
MAX_MINUTES = 1440


def raid_until(community: CommunityRecord) -> datetime | None:
    raw = community.settings.get("raid_until")
    return datetime.fromisoformat(raw) if raw else None


def in_raid(community: CommunityRecord, now: datetime) -> bool:
    until = raid_until(community)
    return until is not None and until > now


async def on_member_change(ctx: Context, change: MemberChange) -> None:
    """Record joins and leaves; greet, check and watch for a raid on a join."""
    if change.status not in (MemberStatus.JOINED, MemberStatus.LEFT) or change.user.is_bot:
        return
    now = ctx.now()
    async with ctx.db.transaction() as session:
        community = await ctx.community(session, change.platform.value, change.community_id)
        await member_events.add(session, community.id, change.user.id, change.status.value, change.date)
        if change.status is MemberStatus.LEFT:
            return
        # joins before an admin's "/raid off" do not count toward the next raid
        ended = community.settings.get("raid_ended")
        since = max(now - RAID_WINDOW, datetime.fromisoformat(ended)) if ended else now - RAID_WINDOW
        joins = await member_events.count(session, community.id, "joined", since)
        threshold = int(community.settings.get("raid_joins") or RAID_JOINS)
        can = ctx.can(community.platform)
        if in_raid(community, now) or joins >= threshold:
            if not in_raid(community, now) and community.modchat_id:
                text = t(
                    community.language,
                    "raid_on" if can.join_check else "raid_on_hold",
                    joins=plural(community.language, joins, "join"),
                    window=plural(community.language, int(RAID_WINDOW.total_seconds() // 60), "minute"),
                    quiet=plural(community.language, int(RAID_QUIET.total_seconds() // 60), "minute"),
                )
                await plan_send(session, community, community.modchat_id, text)
            await set_switch(session, community, "raid_until", (now + RAID_QUIET).isoformat())
            community = await communities.get(session, community.id) or community
        greeting = _greeting(community, change)
        minutes = int(community.settings.get("join_check_minutes") or 0)
        if in_raid(community, now) and not minutes:
            minutes = RAID_CHECK_MINUTES
        if minutes and can.join_check:
            await join_check.start(session, community, change.user, minutes, now, greeting)
        elif greeting and can.greets_newcomers:
            await plan_send(session, community, community.platform_id, greeting)
    ctx.poke()


def _greeting(community: CommunityRecord, change: MemberChange) -> str:
    text = community.settings.get("welcome") or ""
    name = first_name(change.user.name) or change.user.id
    return render(text, name=name, author=name, community=community.title or community.platform_id)


async def welcome_cmd(inv: Invocation) -> None:
    """``/welcome TEXT`` sets the greeting, ``/welcome off`` removes it, ``/welcome`` shows it."""
    if not inv.args:
        current = inv.community.settings.get("welcome")
        await inv.answer(inv.t("welcome_show", text=current) if current else inv.t("welcome_none"))
        return
    value = "" if inv.args.lower() == "off" else inv.args
    if value and not inv.ctx.can(inv.community.platform).greets_newcomers:
        await inv.answer_key("welcome_unsupported")
        return
    async with inv.ctx.db.transaction() as session:
        await set_switch(session, inv.community, "welcome", value)
        await inv.answer_in(session, inv.t("welcome_saved" if value else "welcome_removed"))
    inv.ctx.poke()


async def joincheck_cmd(inv: Invocation) -> None:
    """``/joincheck MINUTES`` or ``/joincheck off``."""
    arg = inv.args.lower()
    if arg == "off":
        minutes = 0
    elif (given := bounds.number(arg, 1, MAX_MINUTES)) is not None:
        minutes = given
    else:
        await inv.answer_key("usage", usage="/joincheck MINUTES|off")
        return
    if minutes and not inv.ctx.can(inv.community.platform).join_check:
        await inv.answer_key("joincheck_unsupported")
        return
    async with inv.ctx.db.transaction() as session:
        await set_switch(session, inv.community, "join_check_minutes", minutes)
        text = (
            inv.t("joincheck_on", minutes=plural(inv.lang, minutes, "minute"))
            if minutes
            else inv.t("joincheck_off")
        )
        await inv.answer_in(session, text)
    inv.ctx.poke()


async def raid_cmd(inv: Invocation) -> None:
    """``/raid`` shows the state; ``/raid on`` starts raid mode by hand, ``/raid off`` ends it."""
    arg = inv.args.lower()
    now = inv.ctx.now()
    if arg not in ("", "on", "off"):
        await inv.answer_key("usage", usage="/raid on|off")
        return
    async with inv.ctx.db.transaction() as session:
        if arg == "on":
            await set_switch(session, inv.community, "raid_until", (now + RAID_QUIET).isoformat())
        elif arg == "off":
            await set_switch(session, inv.community, "raid_until", "")
            await set_switch(session, await inv.reload(session), "raid_ended", now.isoformat())
        await inv.reload(session)
        until_at = raid_until(inv.community)
        if in_raid(inv.community, now) and until_at is not None:
            holds = not inv.ctx.can(inv.community.platform).join_check
            text = inv.t("raid_status_on_hold" if holds else "raid_status_on", until=f"{until_at:%H:%M} UTC")
        else:
            text = inv.t("raid_status_off")
        await inv.answer_in(session, text)
    inv.ctx.poke()
