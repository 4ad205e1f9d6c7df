"""Nothing unanswered: ``/queue`` lists what waits for an answer; the admins hear of what waits too long.

Every complaint — a negativity escalation, a ``/report``, an appeal — stays open until a
moderator answers it from the card, approves it or removes it. Open items are reminded after
``escalation_reminder_minutes`` (``handlers.decisions.remind_due``) and, after
``escalation_admin_minutes``, put in front of the community's admins by name.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Context, plan_send
from handlers.i18n import plural, span, t
from handlers.invocation import Invocation
from models import cases, communities, escalations, members
from models.escalations import EscalationRecord

MAX_LINES = 20
SNIPPET = 60


async def queue_cmd(inv: Invocation) -> None:
    """``/queue``: open items of the community, oldest first, with how long each has waited."""
    now = inv.ctx.now()
    async with inv.ctx.db.transaction() as session:
        waiting = await escalations.list_open(session, inv.community.id, statuses=("open",))
        lines: list[str] = []
        for esc in waiting[:MAX_LINES]:
            case = await cases.get(session, esc.case_id)
            who = (case.author_name or case.author_id) if case else "?"
            text = (case.text or "").replace("\n", " ") if case else ""
            snippet = text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")
            line = inv.t(
                "queue_line",
                case=esc.case_id,
                kind=inv.t(f"queue_kind_{esc.kind}"),
                who=who,
                waited=_waited(inv.lang, esc, now),
            )
            lines.append(line + (f"\n   «{snippet}»" if snippet else ""))
    if not waiting:
        await inv.answer_key("queue_empty")
        return
    head = inv.t(
        "queue_head", items=plural(inv.lang, len(waiting), "item"), oldest=_waited(inv.lang, waiting[0], now)
    )
    more = len(waiting) - MAX_LINES
    tail = [f"… +{more}"] if more > 0 else []
    await inv.answer("\n".join([head, *lines, *tail]))


def _waited(language: str, esc: EscalationRecord, now: object) -> str:
    return span(language, (now - esc.created_at).total_seconds() / 60)  # type: ignore[operator]


async def tell_admins_due(ctx: Context) -> int:
    """Name the admins under each item open longer than ``escalation_admin_minutes``. Returns how many."""
    minutes = ctx.settings.escalation_admin_minutes
    if not minutes:
        return 0
    now = ctx.now()
    count = 0
    async with ctx.db.transaction() as session:
        for esc in await escalations.due_admin_escalation(session, now - timedelta(minutes=minutes)):
            await escalations.mark_escalated(session, esc.id, now)
            community = await communities.get(session, esc.community_id)
            if community is None or not esc.modchat_id:
                continue
            admins = await members.admins(session, community.id)
            names = ", ".join(m.name or m.user_id for m in admins) or t(community.language, "none")
            text = t(
                community.language,
                "card_admins",
                case=esc.case_id,
                waited=span(community.language, (now - esc.created_at).total_seconds() / 60),
                admins=names,
            )
            await plan_send(session, community, esc.modchat_id, text, reply_to=esc.card_message_id)
            count += 1
    return count
