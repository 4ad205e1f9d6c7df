"""Reads the web workspace needs beyond the chat's: the queue across communities, a case's
escalations and actions, and the communities a person may have a role in."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import cases, communities, escalations, outbox
from models.cases import CaseRecord
from models.communities import CommunityRecord
from models.escalations import EscalationRecord
from models.outbox import OutboxRecord
from models.tables import Case, Community, Escalation, Member, Moderator, OutboxItem

QUEUE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class QueueRow:
    escalation: EscalationRecord
    case: CaseRecord


async def candidates(
    session: AsyncSession, platform: str, user_id: str, hints: Collection[int]
) -> list[CommunityRecord]:
    """Communities where this account may have a role, to be checked one by one.

    On its own platform: where it is on the moderators list or Dozor has seen it (an admin is a
    member Dozor saw, or one it asked the platform about). Elsewhere: every community whose
    moderators' chat lives on this platform (that chat's admins act for it). And the communities
    of the moderators' chat the person came from (``hints``).
    """
    listed = select(Moderator.community_id).where(Moderator.user_id == user_id)
    seen = select(Member.community_id).where(Member.user_id == user_id)
    stmt = (
        select(Community)
        .where(
            or_(
                and_(Community.platform == platform, Community.id.in_(listed.union(seen))),
                and_(Community.platform != platform, Community.modchat_platform == platform),
                Community.id.in_(list(hints) or [-1]),
            )
        )
        .order_by(Community.id)
    )
    return [communities._record(r) for r in (await session.scalars(stmt)).all()]


async def queue(
    session: AsyncSession, community_ids: Collection[int], *, limit: int = QUEUE_LIMIT
) -> list[QueueRow]:
    """Open complaints, reports and appeals of these communities, oldest first, with their cases."""
    if not community_ids:
        return []
    stmt = (
        select(Escalation, Case)
        .join(Case, Case.id == Escalation.case_id)
        .where(Escalation.community_id.in_(sorted(community_ids)), Escalation.status == "open")
        .order_by(Escalation.id)
        .limit(limit)
    )
    rows = (await session.execute(stmt)).all()
    return [QueueRow(escalations._record(e), cases._record(c)) for e, c in rows]


async def escalations_of(session: AsyncSession, case_id: int) -> list[EscalationRecord]:
    stmt = select(Escalation).where(Escalation.case_id == case_id).order_by(Escalation.id)
    return [escalations._record(r) for r in (await session.scalars(stmt)).all()]


async def follow_ups(session: AsyncSession, community_id: int, case: CaseRecord) -> list[CaseRecord]:
    """The cases moderators made about this one: their decisions and answers (the reasons name
    its escalations), newest last."""
    ids = [str(e.id) for e in await escalations_of(session, case.id)]
    if not ids:
        return []
    stmt = (
        select(Case)
        .where(Case.community_id == community_id, Case.author_id == case.author_id, Case.source == "manual")
        .where(Case.id > case.id)
        .order_by(Case.id)
    )
    found = []
    for row in (await session.scalars(stmt)).all():
        record = cases._record(row)
        if any(r.get("kind") in ("escalation", "answer") and r.get("name") in ids for r in record.reasons):
            found.append(record)
    return found


async def actions_of(session: AsyncSession, case_ids: Collection[int]) -> list[OutboxRecord]:
    """The platform actions planned for these cases, in order."""
    if not case_ids:
        return []
    stmt = select(OutboxItem).where(OutboxItem.case_id.in_(sorted(case_ids))).order_by(OutboxItem.id)
    return [outbox._record(r) for r in (await session.scalars(stmt)).all()]
