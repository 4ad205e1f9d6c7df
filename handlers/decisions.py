"""Moderators' decisions on escalation cards: verified, first press wins, carried out via the outbox."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import queue
from handlers.cards import APPEAL_REPLY_KEY, card_text, decided_line, parse_button
from handlers.context import Context, plan, plan_send
from handlers.explain import reason_row
from handlers.i18n import decision, span, t
from handlers.planning import ENFORCED, STANDING, plan_delete, plan_restriction, plan_reversal
from handlers.roles import may_decide
from handlers.updates import ButtonPress
from models import cases, communities, escalations, examples, state, warnings
from models.cases import CaseRecord
from models.communities import CommunityRecord
from models.escalations import EscalationRecord
from moderation.actions import Edit

MODERATOR_MUTE = timedelta(days=1)


async def on_press(ctx: Context, press: ButtonPress) -> None:
    """Handle a tap on a card button: verify, decide once, plan the consequences, answer."""
    parsed = parse_button(press.data)
    async with ctx.db.transaction() as session:
        esc = await escalations.get(session, parsed[0]) if parsed else None
        community = await communities.get(session, esc.community_id) if esc else None
    if parsed is None or esc is None or community is None or community.modchat_on != press.platform.value:
        await ctx.answer_press(press, t(ctx.settings.language, "esc_unknown"))  # no card: no community
        return
    choice, lang = parsed[1], community.language
    if not await may_decide(ctx, community, press.user, choice, platform=press.platform.value):
        await ctx.answer_press(press, t(lang, "esc_forbidden"), alert=True)
        return
    won, current = await decide(
        ctx, community, esc.id, choice, press.user.id, press.user.name or press.user.id
    )
    if won:
        await ctx.answer_press(press, t(lang, "esc_done", decision=decision(lang, choice)))
    else:
        taken = decision(lang, current.resolution or "") if current else "?"
        by = (current.decided_by_name or current.decided_by or "?") if current else "?"
        await ctx.answer_press(press, t(lang, "esc_taken", decision=taken, by=by), alert=True)


async def decide(
    ctx: Context, community: CommunityRecord, escalation_id: int, choice: str, by: str, by_name: str
) -> tuple[bool, EscalationRecord | None]:
    """Decide an escalation once (the caller has checked ``roles.may_decide``): the first decision
    wins and is carried out (``apply_decision``). Returns whether this one won, and the escalation
    as it stands (who decided what, when another decision came first)."""
    async with ctx.db.transaction() as session:
        # The conditional UPDATE comes first so the transaction takes the write lock at once.
        won = await escalations.decide(
            session, escalation_id, by=by, by_name=by_name, resolution=choice, at=ctx.now()
        )
        if won:
            await apply_decision(ctx, session, community, escalation_id, choice, by, by_name)
        current = await escalations.get(session, escalation_id)
    ctx.poke()
    return won, current


def _dimension(case: CaseRecord) -> tuple[str, str]:
    """The label pair the case is about: toxic/ok when toxicity led, else spam/ham."""
    spam, toxic = float(case.scores.get("spam", 0)), float(case.scores.get("toxicity", 0))
    return ("toxic", "ok") if toxic > spam else ("spam", "ham")


async def apply_decision(
    ctx: Context,
    session: AsyncSession,
    community: CommunityRecord,
    escalation_id: int,
    choice: str,
    by: str,
    by_name: str,
) -> None:
    """Carry out a won decision inside its transaction: actions, case statuses, label, card, appellant."""
    now = ctx.now()
    esc = await escalations.get(session, escalation_id)
    assert esc is not None
    case = await cases.get(session, esc.case_id)
    assert case is not None
    dozor_acted = case.source == "auto" and case.action in ENFORCED and case.status in STANDING
    if choice == "approve":
        if dozor_acted or (esc.kind == "appeal" and case.action in ENFORCED):
            await plan_reversal(session, community, case, case_id=case.id)
            await warnings.revoke_for_case(session, case.id)
            await cases.set_status(session, case.id, "overturned", decided_at=now)
    else:
        follow = await _moderator_case(session, community, case, esc, choice, by, by_name, now)
        if follow is not None:
            already_gone = case.action in ENFORCED and case.status in STANDING
            if choice in ("delete", "spam", "ban", "mute") and not already_gone:
                await plan_delete(session, community, follow)
            if choice in ("ban", "mute"):
                duration = MODERATOR_MUTE if choice == "mute" else None
                await plan_restriction(session, community, follow, choice, duration, now)
        if case.status in STANDING:
            await cases.set_status(session, case.id, "upheld", decided_at=now)
    positive, negative = _dimension(case)
    label = "spam" if choice == "spam" else negative if choice == "approve" else positive
    if case.text:
        await examples.add(
            session,
            case.text,
            label,
            source="moderator",
            community_id=community.id,
            case_id=case.id,
            created_by=by,
        )
    await _edit_card(session, community, case, esc, choice, by_name, now)
    if esc.kind == "appeal":
        await _tell_appellant(session, community, case, esc, overturned=choice == "approve")


async def _moderator_case(
    session: AsyncSession,
    community: CommunityRecord,
    case: CaseRecord,
    esc: EscalationRecord,
    choice: str,
    by: str,
    by_name: str,
    now: object,
) -> CaseRecord | None:
    """A moderator's action is a case of its own, with the moderator as actor."""
    action = {"spam": "delete"}.get(choice, choice)
    return await cases.create(
        session,
        community_id=community.id,
        platform=community.platform,
        kind=case.kind,  # the message's surface: a VK delete needs it
        chat_id=case.chat_id,
        message_id=case.message_id,
        thread_id=case.thread_id,
        author_id=case.author_id,
        author_name=case.author_name,
        text=case.text,
        scores=case.scores,
        reasons=[
            reason_row(
                "escalation",
                str(esc.id),
                f"case #{case.id}: {choice}",
                "escalation",
                case=case.id,
                decision=choice,
            )
        ],
        action=action,
        duration_seconds=int(MODERATOR_MUTE.total_seconds()) if choice == "mute" else None,
        actor=by,
        actor_name=by_name,
        reason=f"escalation #{esc.id} ({esc.kind}) of case #{case.id}: {choice}",
        source="manual",
        status="pending",
        created_at=now,
        decided_at=now,
    )


async def _edit_card(
    session: AsyncSession,
    community: CommunityRecord,
    case: CaseRecord,
    esc: EscalationRecord,
    choice: str,
    by_name: str,
    now: object,
) -> None:
    if not (esc.modchat_id and esc.card_message_id):
        return  # the card is not sent yet; the send hook edits it once it is
    fresh = await cases.get(session, case.id) or case
    text = await card_text(session, community, fresh, esc)
    line = decided_line(community.language, choice, by_name, now)  # type: ignore[arg-type]
    await plan(session, community, Edit(esc.modchat_id, esc.card_message_id, f"{text}\n{line}"))


async def _tell_appellant(
    session: AsyncSession,
    community: CommunityRecord,
    case: CaseRecord,
    esc: EscalationRecord,
    *,
    overturned: bool,
) -> None:
    raw = await state.get(session, APPEAL_REPLY_KEY.format(esc.id))
    if raw is None:
        return
    where = json.loads(raw)
    key = "appeal_overturned" if overturned else "appeal_upheld"
    text = t(
        where.get("lang", community.language), key, name=case.author_name or case.author_id, case=case.id
    )
    await plan_send(
        session,
        community,
        where["chat_id"],
        text,
        reply_to=where.get("message_id"),
        thread_id=where.get("thread_id"),
        surface=where.get("kind") or "",
    )


async def remind_due(ctx: Context) -> int:
    """Remind the moderators' chat of escalations nobody decided in time. Returns how many."""
    now = ctx.now()
    minutes = ctx.settings.escalation_reminder_minutes
    count = 0
    async with ctx.db.transaction() as session:
        for esc in await escalations.due_reminders(session, now - timedelta(minutes=minutes)):
            community = await communities.get(session, esc.community_id)
            await escalations.mark_reminded(session, esc.id, now)
            if community is None or not esc.modchat_id:
                continue
            waited = span(community.language, (now - esc.created_at).total_seconds() / 60)
            text = t(community.language, "card_reminder", case=esc.case_id, waited=waited)
            await plan_send(session, community, esc.modchat_id, text, reply_to=esc.card_message_id)
            count += 1
    count += await queue.tell_admins_due(ctx)
    if count:
        ctx.poke()
    return count
