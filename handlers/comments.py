"""The incoming comment flow: Events → engine → cases and planned actions, in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import autoreply
from handlers.authors import Authors
from handlers.cards import open_escalation
from handlers.context import Context, plan_send
from handlers.i18n import t
from handlers.planning import plan_delete, plan_restriction
from handlers.policy import notify_removed, policy_for
from models import autoreplies, cases, communities, warnings
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


async def on_event(ctx: Context, event: Event, event_key: str) -> CaseRecord | None:
    """Moderate one comment. Returns its case, or None when it was not moderated (Dozor's own
    messages, and messages in a moderators' chat).

    Idempotent per ``event_key``: a repeated delivery finds the case already recorded.
    """
    return (await on_events(ctx, [(event, event_key)]))[0]


@dataclass
class _Batch:
    """One community's comments being decided together, and what they share."""

    ctx: Context
    session: AsyncSession
    community: CommunityRecord
    policy: Policy
    rules: RuleSet
    replies: list[AutoReplyRecord]
    authors: Authors
    results: list[CaseRecord | None]  # each comment's case, by its position in the batch
    quiet: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (position, case row)
    planned: bool = False


async def on_events(ctx: Context, items: Sequence[tuple[Event, str]]) -> list[CaseRecord | None]:
    """Moderate comments of one community, in order, in one transaction.

    What the comments share — the community, its policy, rules and auto-replies, their authors,
    which already have a case — is read once. Cases that need no action (most of them) are
    written together in one statement. Returns each comment's case (None when not moderated),
    in the order given.
    """
    if not items:
        return []
    first = items[0][0]
    if any((e.platform, e.community_id) != (first.platform, first.community_id) for e, _ in items):
        raise ValueError("on_events takes comments of one community; group them first")
    async with ctx.db.transaction() as session:
        community = await ctx.community(session, first.platform.value, first.community_id)
        # The moderators' own chat is where Dozor reports, not what it watches (on VK it is a
        # chat of the community, so each chat of the batch is looked at).
        platform = first.platform.value
        chats = {first.community_id} | {e.message.chat_id for e, _ in items}
        modchats = {chat for chat in chats if await communities.by_modchat(session, platform, chat)}
        known = await cases.by_events(session, community.id, [key for _, key in items])
        results = [known.get(key) for _, key in items]
        first: dict[str, int] = {}  # the same event twice in one batch gets one case
        fresh = [
            (i, event, key)
            for i, (event, key) in enumerate(items)
            if key not in known
            and first.setdefault(key, i) == i
            and event.author.id != ctx.bot_id(platform)
            and not {event.message.chat_id, event.community_id} & modchats
        ]
        if not fresh:
            return results
        batch = _Batch(
            ctx,
            session,
            community,
            policy_for(community, ctx.settings),
            await ctx.rules.for_community(session, community.id),
            await autoreplies.list_for(session, community.id),
            await Authors.load(session, community.id, [event for _, event, _ in fresh]),
            results,
        )
        for i, event, key in fresh:
            await _moderate(batch, i, event, key)
        await _write_quiet(batch)
        for i, (_, key) in enumerate(items):  # a repeated event shares its first delivery's case
            results[i] = results[i] or results[first.get(key, i)]
        await batch.authors.save(session)
    if batch.planned:
        ctx.poke()
    return results


async def _write_quiet(batch: _Batch) -> None:
    """Insert the queued cases that need nothing done, in one statement."""
    queued, batch.quiet = batch.quiet, []
    for (position, _), case in zip(
        queued, await cases.create_many(batch.session, [row for _, row in queued]), strict=True
    ):
        batch.results[position] = case


async def _moderate(batch: _Batch, position: int, event: Event, event_key: str) -> None:
    """Decide one comment into ``batch.results``. A case that needs nothing done is queued for the
    batch's single insert; any other is written at once with its planned actions."""
    ctx, community, policy = batch.ctx, batch.community, batch.policy
    enriched = batch.authors.enrich(event, ctx.now())
    verdict: Verdict = ctx.engine.decide(
        enriched, rules=batch.rules, policy=policy, recent=ctx.recent_for(community.id), now=event.date
    )
    reply, reasons = verdict.reply, _reasons(verdict.reasons)
    action = verdict.action
    exempt = policy.is_exempt(enriched.author)
    if action is Action.ALLOW and not reply and not community.dry_run and not exempt:
        faq = await autoreply.answer_for(
            batch.session, community, event.message.chat_id, event.text, ctx.now(), replies=batch.replies
        )
        if faq is not None:
            reply, action = faq.answer, Action.REPLY
            reasons.append(
                {"kind": "autoreply", "name": faq.trigger, "detail": "FAQ trigger", "matched": None}
            )
    row: dict[str, Any] = {
        "community_id": community.id,
        "platform": community.platform,
        "kind": event.kind.value,
        "event_key": event_key,
        "chat_id": event.message.chat_id,
        "message_id": event.message.message_id,
        "thread_id": event.message.thread_id,
        "edited": event.edited,
        "author_id": event.author.id,
        "author_name": event.author.name,
        "text": event.text,
        "scores": asdict(verdict.scores),
        "reasons": reasons,
        "shadow": _reasons(verdict.shadow),
        "action": action.value,
        "duration_seconds": int(verdict.duration.total_seconds()) if verdict.duration else None,
        "reason": verdict.reasons[0].detail if verdict.reasons else "",
        "source": "auto",
        "dry_run": community.dry_run,
        "created_at": ctx.now(),
    }
    if community.dry_run or _quiet(verdict, action, reply):
        row["status"] = "dry_run" if community.dry_run else "executed"
        batch.quiet.append((position, row))
        return
    # Cases keep arrival order in their ids: the quiet ones decided before this go in first.
    await _write_quiet(batch)
    case = await cases.create(batch.session, **row, status="pending")
    planned = await _carry_out(
        batch.session, ctx, community, event, case, verdict, reply, policy.warning_ttl, batch.authors
    )
    if not planned:
        await cases.set_status(batch.session, case.id, "executed", only_from={"pending"})
    batch.planned = True
    batch.results[position] = case


def _quiet(verdict: Verdict, action: Action, reply: str | None) -> bool:
    """Whether a verdict needs nothing done: no action, reply, warning or escalation."""
    return (
        action is Action.ALLOW
        and not reply
        and not verdict.delete_message
        and not verdict.alert_moderators
        and not any(r.kind == "ladder" for r in verdict.reasons)
    )


async def _carry_out(
    session: AsyncSession,
    ctx: Context,
    community: CommunityRecord,
    event: Event,
    case: CaseRecord,
    verdict: Verdict,
    reply: str | None,
    warning_ttl: timedelta,
    authors: Authors,
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
        authors.warned(case.author_id, event.date + warning_ttl)
    where = {"thread_id": event.message.thread_id, "kind": event.kind.value}
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
