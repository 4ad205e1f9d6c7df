"""The scheduled digest: ``/digest weekly|daily|off``, posted to the moderators' chat with a chart.

``communities.settings["digest"]`` holds ``{"every": "weekly"|"daily", "next": ISO time}``.
``digest_due`` (the runner calls ``Dozor.digest_due`` every few minutes) plans the text and the
PNG chart of every community whose time has come and moves ``next`` on, in one transaction, so
a digest is planned once however often the job runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import report_format
from handlers.community_config import set_switch
from handlers.context import Context, plan, plan_send
from handlers.i18n import t
from handlers.invocation import Invocation
from handlers.owner_report import Report, build
from models import communities
from models.communities import CommunityRecord
from moderation.actions import Document

PERIODS = {"weekly": 7, "daily": 1}


def _every(community: CommunityRecord) -> str | None:
    every = (community.settings.get("digest") or {}).get("every")
    return every if every in PERIODS else None


async def digest_cmd(inv: Invocation) -> None:
    """``/digest`` shows the schedule; ``weekly``/``daily`` starts it (first one now), ``off`` stops it."""
    choice = inv.args.lower()
    if not choice:
        every = _every(inv.community)
        await inv.answer_key("digest_status", every=inv.t(f"digest_{every or 'none'}"))
        return
    if choice not in (*PERIODS, "off"):
        await inv.answer_key("usage", usage="/digest weekly|daily|off")
        return
    if choice != "off" and not inv.community.modchat_id:
        await inv.answer_key("digest_no_modchat")
        return
    async with inv.ctx.db.transaction() as session:
        value = {} if choice == "off" else {"every": choice, "next": inv.ctx.now().isoformat()}
        await set_switch(session, inv.community, "digest", value)
        key = "digest_off" if choice == "off" else "digest_set"
        await inv.answer_in(session, inv.t(key, every=inv.t(f"digest_{choice}") if choice != "off" else ""))
    inv.ctx.poke()
    if choice != "off":  # the first one at once, not at the periodic job's next turn
        await digest_due(inv.ctx)


async def digest_due(ctx: Context, now: datetime | None = None) -> int:
    """Plan every digest whose time has come. Returns how many were planned."""
    now = now or ctx.now()
    async with ctx.db.transaction() as session:
        known = await communities.list_all(session)
    planned = 0
    for community in known:
        every = _every(community)
        if every is None or not community.modchat_id:
            continue
        due = datetime.fromisoformat(community.settings["digest"].get("next") or now.isoformat())
        if due > now:
            continue
        report = await build(
            ctx.db, community.id, PERIODS[every], now, bot_user_id=ctx.bot_id(community.platform)
        )
        async with ctx.db.transaction() as session:
            fresh = await communities.get(session, community.id)
            if fresh is None or fresh.settings.get("digest") != community.settings.get("digest"):
                continue  # changed meanwhile (another process planned it, or an admin)
            nxt = max(due + timedelta(days=PERIODS[every]), now)
            await set_switch(session, fresh, "digest", {"every": every, "next": nxt.isoformat()})
            await post(session, fresh, report)
        planned += 1
    if planned:
        ctx.poke()
    return planned


async def post(session: AsyncSession, community: CommunityRecord, report: Report) -> None:
    """Plan the digest's text and chart in the moderators' chat."""
    assert community.modchat_id
    await plan_send(session, community, community.modchat_id, report_format.digest_text(report))
    chart = Document(
        community.modchat_id,
        f"dozor-digest-{community.platform_id}.png",
        report_format.digest_chart(report),
        caption=t(community.language, "digest_caption"),
    )
    await plan(session, community, chart)
