"""The incoming comment flow: Events → engine → cases and planned actions, in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import autoreply, nowhere
from handlers.authors import Authors
from handlers.cards import open_escalations
from handlers.context import Context, send_row
from handlers.explain import reason_row, reason_text
from handlers.i18n import action_name, t
from handlers.planning import delete_row, restriction_fields, restriction_row
from handlers.policy import notify_removed, policy_for
from handlers.welcome import in_raid
from models import autoreplies, cases, communities, outbox, warnings
from models.autoreplies import AutoReplyRecord
from models.cases import CaseRecord
from models.communities import CommunityRecord
from moderation.events import Event
from moderation.policy import Policy
from moderation.ports import Button
from moderation.rules import RuleSet
from moderation.verdict import Action, Verdict

log = logging.getLogger(__name__)


def _reasons(items: tuple) -> list[dict]:  # type: ignore[type-arg]
    return [r.as_dict() for r in items]


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


@dataclass
class _Decision:
    """One comment's verdict and the case row it becomes."""

    position: int  # in the batch
    event: Event
    verdict: Verdict
    reply: str | None
    row: dict[str, Any]
    quiet: bool  # nothing to do: no action, reply, warning or escalation


async def on_events(ctx: Context, items: Sequence[tuple[Event, str]]) -> list[CaseRecord | None]:
    """Moderate comments of one community, in order, in one transaction.

    What the comments share — the community, its policy, rules and auto-replies, their authors,
    which already have a case — is read once. Every comment is decided first (each sees its
    author as the earlier ones left them); then all cases are written in one statement, and the
    actions, warnings and escalations they call for in one statement each. Returns each
    comment's case (None when not moderated), in the order given.
    """
    if not items:
        return []
    first = items[0][0]
    if any((e.platform, e.community_id) != (first.platform, first.community_id) for e, _ in items):
        raise ValueError("on_events takes comments of one community; group them first")
    async with ctx.db.transaction() as session:
        # The moderators' own chat is where Dozor reports, not what it watches (on VK it is a
        # chat of the community, so each chat of the batch is looked at); it is not registered
        # as a community of its own either.
        platform = first.platform.value
        chats = {first.community_id} | {e.message.chat_id for e, _ in items}
        modchats = {chat for chat in chats if await communities.by_modchat(session, platform, chat)}
        if first.community_id in modchats:
            return [None] * len(items)
        community = await ctx.community(session, platform, first.community_id)
        known = await cases.by_events(session, community.id, [key for _, key in items])
        results = [known.get(key) for _, key in items]
        first_seen: dict[str, int] = {}  # the same event twice in one batch gets one case
        fresh = [
            (i, event, key)
            for i, (event, key) in enumerate(items)
            if key not in known
            and first_seen.setdefault(key, i) == i
            and event.author.id != ctx.bot_id(platform)
            and not {event.message.chat_id, event.community_id} & modchats
        ]
        if not fresh:
            return results
        batch = _Batch(
            ctx,
            session,
            community,
            _policy(ctx, community),
            await ctx.rules.for_community(session, community.id),
            await autoreplies.list_for(session, community.id),
            await Authors.load(session, community.id, [event for _, event, _ in fresh]),
        )
        decided = [await _decide(batch, i, event, key) for i, event, key in fresh]
        created = await cases.create_many(session, [d.row for d in decided])
        for d, case in zip(decided, created, strict=True):
            results[d.position] = case
        active = [(d, case) for d, case in zip(decided, created, strict=True) if not d.quiet]
        await _carry_out(batch, active)
        for i, (_, key) in enumerate(items):  # a repeated event shares its first delivery's case
            results[i] = results[i] or results[first_seen.get(key, i)]
        await batch.authors.save(session)
    if active:
        ctx.poke()
    return results


def _policy(ctx: Context, community: CommunityRecord) -> Policy:
    """The community's policy; in raid mode, where newcomers cannot be held at the door (no join
    check), their comments are held for a moderator instead."""
    policy = policy_for(community, ctx.settings)
    if in_raid(community, ctx.now()) and not ctx.can(community.platform).join_check:
        policy = replace(policy, hold_newcomers=True)
    return policy


async def _decide(batch: _Batch, position: int, event: Event, event_key: str) -> _Decision:
    """Decide one comment: its verdict, auto-reply and case row. A warning it earns is counted
    for the author at once, so that the next comment of the batch sees it."""
    ctx, community, policy = batch.ctx, batch.community, batch.policy
    enriched = batch.authors.enrich(event, ctx.now())
    verdict: Verdict = ctx.engine.decide(
        enriched, rules=batch.rules, policy=policy, recent=ctx.recent_for(community.id), now=event.date
    )
    reply, reasons = verdict.reply, _reasons(verdict.reasons)
    action = verdict.action
    exempt = policy.is_exempt(enriched.author)
    if action is Action.ALLOW and not reply and not ctx.dry_run(community) and not exempt:
        faq = await autoreply.answer_for(
            batch.session, community, event.message.chat_id, event.text, ctx.now(), replies=batch.replies
        )
        if faq is not None:
            reply, action = faq.answer, Action.REPLY
            reasons.append(
                reason_row("autoreply", faq.trigger, "FAQ trigger", "autoreply", trigger=faq.trigger)
            )
    dry_run = ctx.dry_run(community)
    quiet = dry_run or _quiet(verdict, action, reply)
    if dry_run:
        status = "dry_run"
    elif quiet or not _enforced(verdict, event):
        status = "executed"  # nothing for the executor to carry out
    else:
        status = "pending"
    if not quiet and _warns(verdict):
        batch.authors.warned(event.author.id, event.date + policy.warning_ttl)
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
        "scores": verdict.scores.as_dict(),
        "reasons": reasons,
        "shadow": _reasons(verdict.shadow),
        "action": action.value,
        "duration_seconds": int(verdict.duration.total_seconds()) if verdict.duration else None,
        "reason": verdict.reasons[0].detail if verdict.reasons else "",
        "source": "auto",
        "dry_run": dry_run,
        "status": status,
        "created_at": ctx.now(),
    }
    return _Decision(position, event, verdict, reply, row, quiet)


def _quiet(verdict: Verdict, action: Action, reply: str | None) -> bool:
    """Whether a verdict needs nothing done: no action, reply, warning or escalation."""
    return (
        action is Action.ALLOW
        and not reply
        and not verdict.delete_message
        and not verdict.alert_moderators
        and not any(r.kind == "ladder" for r in verdict.reasons)
    )


def _enforced(verdict: Verdict, event: Event) -> bool:
    """Whether the case's own action goes to the platform (a removal or a restriction): its
    status stays "pending" until the executor did it."""
    removes = bool(verdict.delete_message and event.message.message_id)
    return removes or verdict.action in (Action.MUTE, Action.BAN)


def _warns(verdict: Verdict) -> bool:
    """Every offence that went through the ladder counts as a warning, also the ones it turned
    into a mute or a ban: the ladder counts offences, this one included."""
    return verdict.action is Action.WARN or any(r.kind == "ladder" for r in verdict.reasons)


async def _carry_out(batch: _Batch, active: Sequence[tuple[_Decision, CaseRecord]]) -> None:
    """Plan what the batch's cases call for: their escalations first (a card needs its id), then
    every platform action in the cases' order, and the warnings; one statement each."""
    ctx, session, community = batch.ctx, batch.session, batch.community
    now = ctx.now()
    escalated = [
        case
        for d, case in active
        if d.verdict.alert_moderators or d.verdict.action in (Action.ESCALATE, Action.HOLD)
    ]
    cards = {
        esc.case_id: card
        for esc, card in await open_escalations(session, community, escalated, kind="auto", now=now)
    }
    if escalated and not community.modchat_id:
        first = escalated[0]
        where = {"surface": first.kind, "thread_id": first.thread_id}
        await nowhere.tell_admins(session, community, now, what="card", chat_id=first.chat_id, **where)
    planned: list[dict[str, Any]] = []
    issued: list[dict[str, Any]] = []
    for d, case in active:
        planned += _actions(batch, d, case, now)
        if _warns(d.verdict):
            expires = d.event.date + batch.policy.warning_ttl
            issued.append(
                warnings.issued(
                    community.id, case.author_id, issued_at=d.event.date, expires_at=expires, case_id=case.id
                )
            )
        if cards.get(case.id) is not None:
            planned.append(cards[case.id])
        if d.verdict.action in (Action.MUTE, Action.BAN):
            fields = restriction_fields(d.verdict.action.value, d.verdict.duration, now)
            batch.authors.change(case.author_id, **fields)
    await outbox.enqueue_many(session, planned)
    await warnings.add_many(session, issued)


def _actions(batch: _Batch, d: _Decision, case: CaseRecord, now: datetime) -> list[dict[str, Any]]:
    """The platform actions one case calls for, in the order they should happen."""
    ctx, community, verdict, event = batch.ctx, batch.community, d.verdict, d.event
    rows: list[dict[str, Any]] = []
    if verdict.delete_message and (row := delete_row(community, case)) is not None:
        rows.append(row)
    if verdict.action in (Action.MUTE, Action.BAN) and not batch.authors.restricted(
        case.author_id, verdict.action.value, now
    ):
        restriction = restriction_row(
            community,
            case,
            verdict.action.value,
            verdict.duration,
            now,
            sender_chat=event.author.is_sender_chat,
        )
        page = ctx.links.appeal_page(case.id, case.author_id)
        # where the banned cannot write to Dozor, the ban's comment is where they read
        if page and not ctx.can(community.platform).banned_can_write:
            restriction["payload"]["comment"] = t(community.language, "ban_comment", url=page)
        rows.append(restriction)
    where = {"thread_id": event.message.thread_id, "surface": event.kind.value}
    if d.reply:
        reply_to = None if verdict.delete_message else event.message.message_id
        rows.append(send_row(community, event.message.chat_id, d.reply, reply_to=reply_to, **where))
    if verdict.notify_author and verdict.delete_message and notify_removed(community):
        lang = community.language
        reason = (
            reason_text(lang, verdict.reasons[0])
            if verdict.reasons
            else action_name(lang, verdict.action.value)
        )
        text = t(
            community.language,
            "removed_notice",
            name=event.author.name or event.author.id,
            reason=reason,
            case=case.id,
        )
        text, buttons = _appeal_links(ctx, community, case, text)
        ttl = ctx.settings.notice_ttl_seconds or None
        # A notice that could not go out within its own lifetime (a flood filled the chat's
        # message limit) is dropped rather than shown long after, holding up the chat's replies.
        expires = ctx.now() + timedelta(seconds=ttl) if ttl else None
        rows.append(
            send_row(
                community,
                event.message.chat_id,
                text,
                delete_after=ttl,
                expires_at=expires,
                buttons=buttons,
                **where,
            )
        )
    return rows


def _appeal_links(
    ctx: Context, community: CommunityRecord, case: CaseRecord, text: str
) -> tuple[str, list[list[Button]]]:
    """The removal notice with its way to appeal: a button that opens the private chat with
    Dozor, which takes the appeal (Telegram), or, where a notice under a comment has no buttons
    (VK), the signed appeal page."""
    links = ctx.links
    chat = links.appeal_chat(community.platform, case.id)
    if chat and ctx.can(community.platform).comment_buttons:
        return text, [[Button(t(community.language, "appeal_button"), url=chat)]]
    if page := links.appeal_page(case.id, case.author_id):
        return text + "\n" + t(community.language, "appeal_page_line", url=page), []
    return text, []
