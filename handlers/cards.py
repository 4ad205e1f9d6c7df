"""Escalation cards: the message moderators decide on, its buttons, and opening one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bounds
from handlers.context import send_row
from handlers.explain import reason_text, scores_text, status_name
from handlers.i18n import action_name, decision, t
from models import answers, cases, escalations, outbox, state
from models.cases import CaseRecord
from models.communities import CommunityRecord
from models.escalations import EscalationRecord
from moderation.ports import Button

DECISIONS = ("delete", "ban", "mute", "approve", "spam")
APPEAL_REPLY_KEY = "appeal-reply:{}"  # service_state key: where an appeal's answer and outcome go
PREFIX = "esc"
MAX_TEXT = 600


def button_data(escalation_id: int, choice: str) -> str:
    """``esc:<id>:<decision>``, well under Telegram's 64-byte callback_data limit."""
    data = f"{PREFIX}:{escalation_id}:{choice}"
    assert len(data.encode()) <= 64
    return data


def parse_button(data: str) -> tuple[int, str] | None:
    """The escalation id and decision of a card button, or None for anything else (a stale or
    forged card: ``handlers.bounds``)."""
    fields = bounds.button(data, PREFIX, 2)
    escalation_id = bounds.row_id(fields[0]) if fields else None
    choice = bounds.choice(fields[1], DECISIONS) if fields else None
    return (escalation_id, choice) if escalation_id is not None and choice is not None else None


ANSWER_PREFIX = "ans"
QUICK_PER_ROW = 3
QUICK_MAX = 9  # a card stays readable; more saved answers are typed as replies


def answer_button_data(escalation_id: int, answer_id: int) -> str:
    """``ans:<escalation id>:<saved answer id>``, well under the 64-byte limit."""
    data = f"{ANSWER_PREFIX}:{escalation_id}:{answer_id}"
    assert len(data.encode()) <= 64
    return data


def parse_answer_button(data: str) -> tuple[int, int] | None:
    """The escalation id and saved-answer id of a quick-answer button, or None."""
    fields = bounds.button(data, ANSWER_PREFIX, 2)
    ids = [bounds.row_id(f) for f in fields] if fields else []
    return (ids[0], ids[1]) if len(ids) == 2 and ids[0] is not None and ids[1] is not None else None


def card_buttons(
    escalation_id: int, language: str, quick: Sequence[tuple[int, str]] = ()
) -> list[list[Button]]:
    """The decision buttons, then one button per quick answer (``(id, name)`` pairs)."""
    row1 = [Button(decision(language, d), button_data(escalation_id, d)) for d in ("delete", "ban", "mute")]
    row2 = [Button(decision(language, d), button_data(escalation_id, d)) for d in ("approve", "spam")]
    quick_buttons = [
        Button(f"💬 {name}", answer_button_data(escalation_id, i)) for i, name in quick[:QUICK_MAX]
    ]
    rows = [quick_buttons[i : i + QUICK_PER_ROW] for i in range(0, len(quick_buttons), QUICK_PER_ROW)]
    return [row1, row2, *rows]


async def buttons_for(
    session: AsyncSession, community: CommunityRecord, esc: EscalationRecord
) -> list[list[Button]]:
    """The card's buttons as they stand: none once decided, quick answers until answered."""
    if esc.status == "resolved":
        return []
    quick = [] if esc.answered_at else await answers.list_for(session, community.id, quick_only=True)
    return card_buttons(esc.id, community.language, [(a.id, a.name) for a in quick])


async def card_text(
    session: AsyncSession, community: CommunityRecord, case: CaseRecord, esc: EscalationRecord
) -> str:
    """The card: who, where, what was said, the scores and reasons, and Dozor's own action."""
    lang = community.language
    title = community.title or community.platform_id
    if esc.kind == "report":
        by = next((r.get("name") for r in case.reasons if r.get("kind") == "report"), esc.requested_by)
        head = t(lang, "card_report", by=by or "?", case=case.id, community=title)
    elif esc.kind == "appeal":
        head = t(lang, "card_appeal", case=case.id, community=title)
    else:
        head = t(lang, "card_auto", case=case.id, community=title)
    text = case.text if case.text is not None else "—"
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + "…"
    scores = scores_text(lang, case.scores) or "—"
    status = f" ({status_name(lang, case.status)})" if case.status else ""
    lines = [
        head,
        t(lang, "card_author", name=case.author_name or case.author_id, id=case.author_id),
        f"💬 {text}",
        f"📊 {scores}",
        f"⚖️ {action_name(lang, case.action)}{status}",
    ]
    lines += [f"• {reason_text(lang, r)}" for r in case.reasons if isinstance(r, dict)]
    if esc.kind == "appeal":
        raw = await state.get(session, APPEAL_REPLY_KEY.format(esc.id))
        why = str(json.loads(raw).get("why") or "").strip() if raw else ""
        if why:
            lines.append(f"🙋 {why[:MAX_TEXT]}")
        history = await cases.query(
            session, community_id=case.community_id, author_id=case.author_id, newest_first=True, limit=6
        )
        lines.append(t(lang, "card_history"))
        lines += [
            f"  #{c.id} {c.created_at:%Y-%m-%d} {action_name(lang, c.action)} [{status_name(lang, c.status)}]"
            for c in history
            if c.action != "allow"
        ]
    if esc.answered_at is not None:
        lines += await _answer_lines(session, community, case, esc)
    return "\n".join(lines)


async def _answer_lines(
    session: AsyncSession, community: CommunityRecord, case: CaseRecord, esc: EscalationRecord
) -> list[str]:
    """Who answered from the card, when, and what (the answers are cases of their own)."""
    assert esc.answered_at is not None
    posted = [
        c
        for c in await cases.query(
            session, community_id=community.id, author_id=case.author_id, action="answer", source="manual"
        )
        if any(r.get("kind") == "answer" and r.get("name") == str(esc.id) for r in c.reasons)
    ]
    head = t(
        community.language,
        "card_answered",
        by=esc.answered_by_name or esc.answered_by or "?",
        at=f"{esc.answered_at:%Y-%m-%d %H:%M} UTC",
    )
    return [head, *(f"  ↳ {c.actor_name}: {c.reason}" for c in posted)]


def decided_line(language: str, choice: str, by: str, at: datetime) -> str:
    return t(
        language, "card_decided", decision=decision(language, choice), by=by, at=f"{at:%Y-%m-%d %H:%M} UTC"
    )


async def open_escalation(
    session: AsyncSession,
    community: CommunityRecord,
    case: CaseRecord,
    *,
    kind: str,
    now: datetime,
    requested_by: str | None = None,
    note: dict[str, Any] | None = None,
) -> EscalationRecord:
    """Record an escalation and plan its card in the moderators' chat (when one is linked).

    ``note``: for an appeal, where the answer and the outcome go (and the appellant's ``why``),
    kept under ``APPEAL_REPLY_KEY`` before the card is written.
    """
    [(esc, card)] = await open_escalations(
        session, community, [case], kind=kind, now=now, requested_by=requested_by, note=note
    )
    if card is not None:
        await outbox.enqueue(session, **card)
    return esc


async def open_escalations(
    session: AsyncSession,
    community: CommunityRecord,
    escalated: Sequence[CaseRecord],
    *,
    kind: str,
    now: datetime,
    requested_by: str | None = None,
    note: dict[str, Any] | None = None,
) -> list[tuple[EscalationRecord, dict[str, Any] | None]]:
    """Record escalations of several cases; each comes with its card, a planned message for the
    moderators' chat (None when none is linked) that the caller enqueues in its own order."""
    opened = await escalations.create_many(
        session,
        [
            {
                "case_id": case.id,
                "community_id": community.id,
                "kind": kind,
                "modchat_id": community.modchat_id,
                "requested_by": requested_by,
                "created_at": now,
            }
            for case in escalated
        ],
    )
    if note is not None:
        for esc in opened:
            await state.put(session, APPEAL_REPLY_KEY.format(esc.id), json.dumps(note))
    if not community.modchat_id or not opened:
        return [(esc, None) for esc in opened]
    quick = [(a.id, a.name) for a in await answers.list_for(session, community.id, quick_only=True)]
    return [
        (
            esc,
            send_row(
                community,
                community.modchat_id,
                await card_text(session, community, case, esc),
                buttons=card_buttons(esc.id, community.language, quick),
                escalation_id=esc.id,
            ),
        )
        for esc, case in zip(opened, escalated, strict=True)
    ]
