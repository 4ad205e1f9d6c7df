"""Escalations: cases put in front of the moderators, decided once, first press wins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import Escalation

KINDS = {"auto", "report", "appeal"}


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


def _record(row: object) -> EscalationRecord:
    return to_record(EscalationRecord, row)


async def create(
    session: AsyncSession,
    *,
    case_id: int,
    community_id: int,
    kind: str,
    modchat_id: str | None,
    requested_by: str | None = None,
    created_at: datetime,
) -> EscalationRecord:
    if kind not in KINDS:
        raise ValueError(f"escalation kind must be one of {sorted(KINDS)}, not {kind!r}")
    row = Escalation(
        case_id=case_id,
        community_id=community_id,
        kind=kind,
        modchat_id=modchat_id,
        status="open",
        requested_by=requested_by,
        created_at=created_at,
    )
    session.add(row)
    await session.flush()
    return _record(row)


async def get(session: AsyncSession, escalation_id: int) -> EscalationRecord | None:
    row = await session.get(Escalation, escalation_id)
    return _record(row) if row else None


async def open_for_case(
    session: AsyncSession, case_id: int, kind: str | None = None
) -> EscalationRecord | None:
    stmt = select(Escalation).where(Escalation.case_id == case_id, Escalation.status == "open")
    if kind is not None:
        stmt = stmt.where(Escalation.kind == kind)
    row = (await session.scalars(stmt.limit(1))).first()
    return _record(row) if row else None


async def list_open(session: AsyncSession, community_id: int | None = None) -> list[EscalationRecord]:
    stmt = select(Escalation).where(Escalation.status == "open").order_by(Escalation.id)
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
    """Resolve an open escalation. Exactly one of simultaneous callers gets True.

    The conditional UPDATE (``WHERE status = 'open'``) is the arbiter: the database lets one
    transaction change the row; the others see it resolved and change nothing.
    """
    res = await session.execute(
        update(Escalation)
        .where(Escalation.id == escalation_id, Escalation.status == "open")
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
