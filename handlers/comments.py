"""The incoming comment flow: Event → engine → case and planned actions, in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, replace

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import autoreply
from handlers.cards import open_escalation
from handlers.community_config import notify_removed, policy_for
from handlers.context import Context, plan_send
from handlers.i18n import t
from handlers.planning import plan_delete, plan_restriction
from handlers.roles import ADMIN_TTL
from models import autoreplies, cases, communities, members, warnings
from models.autoreplies import AutoReplyRecord
from models.cases import CaseRecord
from models.communities import CommunityRecord
from moderation.events import Event
from moderation.policy import Policy
from moderation.rules import RuleSet
from moderation.verdict import Action, Verdict

log = logging.getLogger(__name__)


def _reasons(items: tuple) -> list[dict]:  # type: ignore[type-arg]
    return [asdict(r) for r in items]


async def enrich(session: AsyncSession, ctx: Context, community: CommunityRecord, event: Event) -> Event:
    """Add what the community knows to the author: first seen, earlier messages, live warnings.

    An edit is not a new message: it does not count toward the author's activity.
    """
    author = event.author
    when = event.date
    if event.edited:
        before = await members.ensure(session, community.id, author.id, name=author.name, now=when)
    else:
        before = await members.seen_message(session, community.id, author.id, name=author.name, now=when)
    live = await warnings.live_count(session, community.id, author.id, when)
    cached_admin = (
        before.is_admin
        and before.admin_checked_at is not None
        and ctx.now() - before.admin_checked_at < ADMIN_TTL
    )
    enriched = replace(
        author,
        first_seen=min(before.first_seen, author.first_seen) if author.first_seen else before.first_seen,
        message_count=max(before.message_count, author.message_count),
        warnings=live,
        is_trusted=author.is_trusted or before.trusted,
        is_admin=author.is_admin or cached_admin,
    )
    return replace(event, author=enriched)


async def on_event(ctx: Context, event: Event, event_key: str) -> CaseRecord | None:
    """Moderate one comment. Returns its case, or None when it was not moderated (Dozor's own
    messages, and messages in a moderators' chat).

    Idempotent per ``event_key``: a repeated delivery finds the case already recorded.
    """
    return (await on_events(ctx, [(event, event_key)]))[0]


async def on_events(ctx: Context, items: Sequence[tuple[Event, str]]) -> list[CaseRecord | None]:
    """Moderate comments of one community, in order, in one transaction.

    What is the same for all of them — the community, its policy, rules and auto-replies, which
    events already have a case — is read once. Returns each comment's case (None when not
    moderated), in the order given.
    """
    if not items:
        return []
    first = items[0][0]
    if any((e.platform, e.community_id) != (first.platform, first.community_id) for e, _ in items):
        raise ValueError("on_events takes comments of one community; group them first")
    results: list[CaseRecord | None] = []
    async with ctx.db.transaction() as session:
        community = await ctx.community(session, first.platform.value, first.community_id)
        if await communities.by_modchat(session, first.platform.value, first.community_id):
            return [None] * len(items)  # the moderators' own chat is where Dozor reports
        known = await cases.by_events(session, community.id, [key for _, key in items])
        policy = policy_for(community, ctx.settings)
        rules = await ctx.rules.for_community(session, community.id)
        replies = await autoreplies.list_for(session, community.id)
        planned_any = False
        for event, event_key in items:
            if ctx.bot_user_id and event.author.id == ctx.bot_user_id:
                results.append(None)
                continue
            if event_key in known:
                results.append(known[event_key])
                continue
            case, planned = await _moderate(session, ctx, community, policy, rules, replies, event, event_key)
            known[event_key] = case
            planned_any = planned_any or planned
            results.append(case)
    if planned_any:
        ctx.poke()
    return results


async def _moderate(
    session: AsyncSession,
    ctx: Context,
    community: CommunityRecord,
    policy: Policy,
    rules: RuleSet,
    replies: list[AutoReplyRecord],
    event: Event,
    event_key: str,
) -> tuple[CaseRecord, bool]:
    """Decide one comment and plan what the decision needs. Returns its case and whether any
    platform action was planned."""
    enriched = await enrich(session, ctx, community, event)
    verdict: Verdict = ctx.engine.decide(
        enriched, rules=rules, policy=policy, recent=ctx.recent_for(community.id), now=event.date
    )
    reply, reasons = verdict.reply, _reasons(verdict.reasons)
    action = verdict.action
    if (
        action is Action.ALLOW
        and not reply
        and not community.dry_run
        and not policy.is_exempt(enriched.author)
    ):
        faq = await autoreply.answer_for(
            session, community, event.message.chat_id, event.text, ctx.now(), replies=replies
        )
        if faq is not None:
            reply, action = faq.answer, Action.REPLY
            reasons.append(
                {"kind": "autoreply", "name": faq.trigger, "detail": "FAQ trigger", "matched": None}
            )
    case = await cases.create(
        session,
        community_id=community.id,
        platform=community.platform,
        kind=event.kind.value,
        event_key=event_key,
        chat_id=event.message.chat_id,
        message_id=event.message.message_id,
        thread_id=event.message.thread_id,
        edited=event.edited,
        author_id=event.author.id,
        author_name=event.author.name,
        text=event.text,
        scores=asdict(verdict.scores),
        reasons=reasons,
        shadow=_reasons(verdict.shadow),
        action=action.value,
        duration_seconds=int(verdict.duration.total_seconds()) if verdict.duration else None,
        reason=verdict.reasons[0].detail if verdict.reasons else "",
        source="auto",
        status="dry_run" if community.dry_run else "pending",
        dry_run=community.dry_run,
        created_at=ctx.now(),
    )
    if community.dry_run:
        return case, False
    planned = await _carry_out(session, ctx, community, event, case, verdict, reply, policy.warning_ttl)
    if not planned:
        await cases.set_status(session, case.id, "executed", only_from={"pending"})
    return case, planned


async def _carry_out(
    session: AsyncSession,
    ctx: Context,
    community: CommunityRecord,
    event: Event,
    case: CaseRecord,
    verdict: Verdict,
    reply: str | None,
    warning_ttl: object,
) -> bool:
    """Plan the verdict's platform actions. Returns whether any belong to the case."""
    now = ctx.now()
    planned = False
    if verdict.delete_message:
        planned = await plan_delete(session, community, case) is not None
    if verdict.action in (Action.MUTE, Action.BAN):
        await plan_restriction(
            session,
            community,
            case,
            verdict.action.value,
            verdict.duration,
            now,
            sender_chat=event.author.is_sender_chat,
        )
        planned = True
    # Every offence that went through the ladder counts as a warning, also the ones it turned
    # into a mute or a ban: the ladder counts offences, this one included.
    if verdict.action is Action.WARN or any(r.kind == "ladder" for r in verdict.reasons):
        await warnings.add(
            session,
            community.id,
            case.author_id,
            issued_at=event.date,
            expires_at=event.date + warning_ttl,
            case_id=case.id,
        )
    where = {"thread_id": event.message.thread_id}
    if reply:
        reply_to = None if verdict.delete_message else event.message.message_id
        await plan_send(session, community, event.message.chat_id, reply, reply_to=reply_to, **where)
    if verdict.notify_author and verdict.delete_message and notify_removed(community):
        reason = verdict.reasons[0].detail if verdict.reasons else verdict.action.value
        text = t(
            community.language,
            "removed_notice",
            name=event.author.name or event.author.id,
            reason=reason,
            case=case.id,
        )
        ttl = ctx.settings.notice_ttl_seconds or None
        await plan_send(session, community, event.message.chat_id, text, delete_after=ttl, **where)
    if verdict.alert_moderators or verdict.action in (Action.ESCALATE, Action.HOLD):
        await open_escalation(session, community, case, kind="auto", now=now)
    return planned
