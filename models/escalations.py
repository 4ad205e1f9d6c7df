"""Escalations: cases put in front of the moderators, decided once, first press wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import Escalation

KINDS = {"auto", "report", "appeal"}
# "open": nobody has answered or decided yet; "answered": a moderator answered from the card,
# the decision buttons still work; "resolved": a moderator decided.
UNDECIDED = ("open", "answered")


@dataclass(frozen=True, slots=True)
class EscalationRecord:
    id: int
    case_id: int
    community_id: int
    kind: str
    modchat_id: str | None
    card_message_id: str | None
    status: str
    requested_by: str | None
    decided_by: str | None
    decided_by_name: str | None
    resolution: str | None
    created_at: datetime
    reminded_at: datetime | None
    decided_at: datetime | None
    answered_at: datetime | None
    answered_by: str | None
    answered_by_name: str | None
    escalated_at: datetime | None


def _record(row: object) -> EscalationRecord:
    return to_record(EscalationRecord, row)


async def create_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[EscalationRecord]:
    """Open escalations in one statement; each row has ``case_id``, ``community_id``, ``kind``,
    ``modchat_id``, ``created_at`` and optionally ``requested_by``. Returns them in order."""
    if not rows:
        return []
    for row in rows:
        if row["kind"] not in KINDS:
            raise ValueError(f"escalation kind must be one of {sorted(KINDS)}, not {row['kind']!r}")
    table = Escalation.__table__
    stmt = insert(table).returning(*table.c, sort_by_parameter_order=True)
    result = await session.execute(stmt, [{"requested_by": None, **row, "status": "open"} for row in rows])
    return [_record(r) for r in result.all()]


async def get(session: AsyncSession, escalation_id: int) -> EscalationRecord | None:
    row = await session.get(Escalation, escalation_id)
    return _record(row) if row else None


async def open_for_case(
    session: AsyncSession, case_id: int, kind: str | None = None
) -> EscalationRecord | None:
    stmt = select(Escalation).where(Escalation.case_id == case_id, Escalation.status.in_(UNDECIDED))
    if kind is not None:
        stmt = stmt.where(Escalation.kind == kind)
    row = (await session.scalars(stmt.limit(1))).first()
    return _record(row) if row else None


async def list_open(
    session: AsyncSession, community_id: int | None = None, *, statuses: tuple[str, ...] = UNDECIDED
) -> list[EscalationRecord]:
    """Escalations in ``statuses`` (default: not decided yet), oldest first."""
    stmt = select(Escalation).where(Escalation.status.in_(statuses)).order_by(Escalation.id)
    if community_id is not None:
        stmt = stmt.where(Escalation.community_id == community_id)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def set_card(session: AsyncSession, escalation_id: int, message_id: str) -> None:
    """Remember the card's message id in the moderators' chat (to edit it later)."""
    await session.execute(
        update(Escalation).where(Escalation.id == escalation_id).values(card_message_id=message_id)
    )


async def decide(
    session: AsyncSession,
    escalation_id: int,
    *,
    by: str,
    by_name: str,
    resolution: str,
    at: datetime,
) -> bool:
    """Resolve an undecided escalation. Exactly one of simultaneous callers gets True.

    The conditional UPDATE (``WHERE status IN ('open', 'answered')``) is the arbiter: the database lets one
    transaction change the row; the others see it resolved and change nothing.
    """
    res = await session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status.in_(UNDECIDED))
        .values(
            status="resolved", decided_by=by, decided_by_name=by_name, resolution=resolution, decided_at=at
        )
    )
    return res.rowcount == 1


async def due_reminders(session: AsyncSession, older_than: datetime) -> list[EscalationRecord]:
    """Open escalations created before ``older_than`` and not reminded since then."""
    stmt = (
        select(Escalation)
        .where(Escalation.status == "open", Escalation.created_at <= older_than)
        .where(or_(Escalation.reminded_at.is_(None), Escalation.reminded_at <= older_than))
        .order_by(Escalation.id)
    )
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def mark_reminded(session: AsyncSession, escalation_id: int, at: datetime) -> None:
    await session.execute(update(Escalation).where(Escalation.id == escalation_id).values(reminded_at=at))


async def decided(
    session: AsyncSession, community_id: int | None, since: datetime | None = None
) -> list[EscalationRecord]:
    """Resolved escalations (for the time-to-decision statistic)."""
    stmt = select(Escalation).where(Escalation.status == "resolved").order_by(Escalation.id)
    if community_id is not None:
        stmt = stmt.where(Escalation.community_id == community_id)
    if since is not None:
        stmt = stmt.where(Escalation.created_at >= since)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def by_card(session: AsyncSession, modchat_id: str, card_message_id: str) -> EscalationRecord | None:
    """The escalation whose card is this message of the moderators' chat."""
    stmt = select(Escalation).where(
        Escalation.modchat_id == modchat_id, Escalation.card_message_id == card_message_id
    )
    row = (await session.scalars(stmt.limit(1))).first()
    return _record(row) if row else None


async def answer(session: AsyncSession, escalation_id: int, *, by: str, by_name: str, at: datetime) -> bool:
    """Note an answer posted from the card. True for the first answer (exactly one caller).

    An open escalation becomes "answered": it leaves the queue, its buttons still work.
    """
    first = await session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.answered_at.is_(None))
        .values(answered_at=at, answered_by=by, answered_by_name=by_name)
    )
    await session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == "open")
        .values(status="answered")
    )
    return first.rowcount == 1


async def due_admin_escalation(session: AsyncSession, older_than: datetime) -> list[EscalationRecord]:
    """Open escalations created before ``older_than`` whose admins were not told yet."""
    stmt = (
        select(Escalation)
        .where(Escalation.status == "open", Escalation.created_at <= older_than)
        .where(Escalation.escalated_at.is_(None))
        .order_by(Escalation.id)
    )
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def mark_escalated(session: AsyncSession, escalation_id: int, at: datetime) -> None:
    await session.execute(update(Escalation).where(Escalation.id == escalation_id).values(escalated_at=at))


async def created_between(
    session: AsyncSession, community_id: int | None, since: datetime, until: datetime | None = None
) -> list[EscalationRecord]:
    """Every escalation opened in the period (for the answered share and time to first answer)."""
    stmt = select(Escalation).where(Escalation.created_at >= since).order_by(Escalation.id)
    if community_id is not None:
        stmt = stmt.where(Escalation.community_id == community_id)
    if until is not None:
        stmt = stmt.where(Escalation.created_at < until)
    return [_record(r) for r in (await session.scalars(stmt)).all()]
