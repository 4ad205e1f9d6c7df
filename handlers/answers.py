"""Answering from the card: a moderator's reply to an escalation card is posted in the community.

The answer goes out as a reply to the original comment (or, for an appeal, to the appellant's
``/appeal``), on the same surface (``kind``, ``thread_id``), from Dozor — the bot in Telegram,
the community in VK. It is an outbox action with a case of its own (action "answer", the
moderator as actor): retried, posted once, kept in the history. The escalation is marked
answered (who, when) and its card edited to say so. Saved answers
(``handlers.saved_answers``) can be posted with a card button (the "quick" ones).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import roles
from handlers.cards import APPEAL_REPLY_KEY, buttons_for, card_text, decided_line, parse_answer_button
from handlers.context import Context, plan, plan_send
from handlers.explain import reason_row
from handlers.i18n import t
from handlers.updates import ButtonPress
from models import answers, cases, communities, escalations, state
from models.cases import CaseRecord
from models.communities import CommunityRecord
from models.escalations import EscalationRecord
from moderation.actions import Edit
from moderation.actions import buttons as button_rows
from moderation.events import Author, Event, EventKind

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_SURFACES = {k.value for k in EventKind}
_HANDLE = re.compile(r"\s*\(@\w+\)$")  # "Carol (@carol)": a greeting says "Carol"


@dataclass(frozen=True, slots=True)
class Target:
    """Where an answer is posted."""

    chat_id: str
    reply_to: str | None
    thread_id: str | None
    kind: str  # the EventKind value of the surface ("" = an ordinary chat message)


def render(text: str, **values: str) -> str:
    """Fill ``{{author}}``, ``{{moderator}}``, ``{{community}}``, ``{{case}}``; unknown ones stay."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1).lower(), m.group(0)), text)


def first_name(name: str) -> str:
    """A display name without its ``(@handle)`` suffix, for greetings."""
    return _HANDLE.sub("", name)


async def _surface(session: AsyncSession, case: CaseRecord) -> str:
    """The EventKind of the commented item; a report's case takes it from Dozor's own case."""
    if case.kind in _SURFACES:
        return case.kind
    if case.message_id:
        auto = await cases.latest_for_message(session, case.community_id, case.chat_id, case.message_id)
        if auto is not None and auto.kind in _SURFACES:
            return auto.kind
    return ""


async def target_of(session: AsyncSession, case: CaseRecord, esc: EscalationRecord) -> Target:
    """The original comment, or for an appeal the appellant's ``/appeal`` message."""
    if esc.kind == "appeal":
        raw = await state.get(session, APPEAL_REPLY_KEY.format(esc.id))
        if raw:
            where = json.loads(raw)
            return Target(
                where["chat_id"], where.get("message_id"), where.get("thread_id"), where.get("kind", "")
            )
    return Target(case.chat_id, case.message_id, case.thread_id, await _surface(session, case))


async def post_answer(
    ctx: Context,
    community: CommunityRecord,
    esc: EscalationRecord,
    text: str,
    by: Author,
    *,
    key: str | None,
    saved: str | None = None,
    only_first: bool = False,
) -> bool:
    """Plan the answer, mark the escalation answered, edit its card. Returns whether it was planned.

    Args:
        key: the platform event that asked for it; a repeated delivery plans nothing.
        saved: the saved answer's name, when it is one.
        only_first: plan nothing when someone answered already (a quick-answer button).
    """
    now = ctx.now()
    name = by.name or by.id
    async with ctx.db.transaction() as session:
        if key is not None and await cases.by_event(session, community.id, key) is not None:
            return False
        first = await escalations.answer(session, esc.id, by=by.id, by_name=name, at=now)
        if only_first and not first:
            return False
        case = await cases.get(session, esc.case_id)
        assert case is not None
        where = await target_of(session, case, esc)
        body = render(
            text,
            author=first_name(case.author_name) or case.author_id,
            moderator=first_name(name),
            community=community.title or community.platform_id,
            case=str(case.id),
        )
        answer_case = await cases.create(
            session,
            community_id=community.id,
            platform=community.platform,
            kind=where.kind or case.kind,
            event_key=key,
            chat_id=case.chat_id,
            message_id=case.message_id,
            thread_id=case.thread_id,
            author_id=case.author_id,
            author_name=case.author_name,
            text=case.text,
            reasons=[
                reason_row(
                    "answer",
                    str(esc.id),
                    f"answer to case #{case.id}" + (f" ({saved})" if saved else ""),
                    "answer",
                    case=case.id,
                    saved=saved or "",
                )
            ],
            action="answer",
            actor=by.id,
            actor_name=name,
            reason=body,
            source="manual",
            status="pending",
            created_at=now,
            decided_at=now,
        )
        await plan_send(
            session,
            community,
            where.chat_id,
            body,
            reply_to=where.reply_to,
            thread_id=where.thread_id,
            surface=where.kind,
            case_id=answer_case.id,
        )
        await refresh_card(session, community, esc.id)
    ctx.poke()
    return True


async def refresh_card(session: AsyncSession, community: CommunityRecord, escalation_id: int) -> None:
    """Plan an edit of the card to show the escalation as it stands now."""
    esc = await escalations.get(session, escalation_id)
    if esc is None or not (esc.modchat_id and esc.card_message_id):
        return
    case = await cases.get(session, esc.case_id)
    if case is None:
        return
    text = await card_text(session, community, case, esc)
    if esc.status == "resolved" and esc.decided_at is not None:
        text += "\n" + decided_line(
            community.language, esc.resolution or "", esc.decided_by_name or "?", esc.decided_at
        )
    buttons = await buttons_for(session, community, esc)
    await plan(session, community, Edit(esc.modchat_id, esc.card_message_id, text, button_rows(buttons)))


async def on_reply(ctx: Context, event: Event, event_key: str) -> bool:
    """A message in a moderators' chat replying to a card: post it as the answer.

    Returns:
        True when the message was a reply to a card (handled here), False otherwise.
    """
    text = event.text.strip()
    # A command typed as a reply to a card (e.g. "/history") is a command, not an answer.
    if event.reply_to is None or event.edited or not text or text.startswith("/"):
        return False
    async with ctx.db.transaction() as session:
        esc = await escalations.by_card(session, event.message.chat_id, event.reply_to.message_id)
        community = await communities.get(session, esc.community_id) if esc else None
    if esc is None or community is None or community.modchat_on != event.platform.value:
        return False
    # Being an anonymous admin of the moderators' chat says nothing about the community.
    author = replace(event.author, is_anonymous_admin=False)
    if not await roles.may_decide(ctx, community, author, "answer", platform=event.platform.value):
        async with ctx.db.transaction() as session:
            await plan_send(
                session,
                community,
                event.message.chat_id,
                t(community.language, "answer_forbidden"),
                reply_to=event.message.message_id,
            )
        ctx.poke()
        return True
    await post_answer(ctx, community, esc, text, author, key=event_key)
    return True


async def on_press(ctx: Context, press: ButtonPress) -> None:
    """A quick-answer button of a card: post that saved answer once, whoever presses first."""
    parsed = parse_answer_button(press.data)
    async with ctx.db.transaction() as session:
        esc = await escalations.get(session, parsed[0]) if parsed else None
        saved = await answers.by_id(session, parsed[1]) if parsed else None
        community = await communities.get(session, esc.community_id) if esc else None
    if (
        esc is None
        or saved is None
        or community is None
        or saved.community_id != community.id
        or community.modchat_on != press.platform.value
    ):
        await ctx.answer_press(
            press, t(community.language if community else ctx.settings.language, "esc_unknown")
        )
        return
    lang = community.language
    if not await roles.may_decide(ctx, community, press.user, "answer", platform=press.platform.value):
        await ctx.answer_press(press, t(lang, "answer_forbidden"), alert=True)
        return
    posted = await post_answer(
        ctx, community, esc, saved.text, press.user, key=None, saved=saved.name, only_first=True
    )
    if posted:
        await ctx.answer_press(press, t(lang, "answer_sent", name=saved.name))
        return
    async with ctx.db.transaction() as session:
        now = await escalations.get(session, esc.id)
    by = (now.answered_by_name or now.answered_by or "?") if now else "?"
    await ctx.answer_press(press, t(lang, "answer_taken", by=by), alert=True)
