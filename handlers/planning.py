"""Turning a decision into planned platform actions (outbox rows) for one case."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import iso, plan_action
from models import members
from models.cases import CaseRecord
from models.communities import CommunityRecord
from moderation.events import EventKind
from moderation.verdict import Action

SURFACES = frozenset(k.value for k in EventKind)

# Actions that change something on the platform; a moderator's "approve" reverses them.
ENFORCED = {Action.HOLD.value, Action.WARN.value, Action.DELETE.value, Action.MUTE.value, Action.BAN.value}
# Case statuses in which Dozor's action stands (it may be reversed).
STANDING = {"pending", "executed", "appealed", "upheld"}


async def plan_delete(session: AsyncSession, community: CommunityRecord, case: CaseRecord) -> int | None:
    """Plan removing the case's message (nothing when the case has no message)."""
    if not case.message_id:
        return None
    return await plan_action(session, community, "delete", message_address(case), case_id=case.id)


def message_address(case: CaseRecord) -> dict[str, Any]:
    """Where the case's message lives, as a delete payload: enough for any platform to find it
    (a VK comment needs its surface and its post, photo, video, item or topic id)."""
    address: dict[str, Any] = {"chat_id": case.chat_id, "message_ids": [case.message_id]}
    if case.kind in SURFACES:
        address["kind"] = case.kind
    if case.thread_id is not None:
        address["thread_id"] = case.thread_id
    return address


async def plan_restriction(
    session: AsyncSession,
    community: CommunityRecord,
    case: CaseRecord,
    action: str,
    duration: timedelta | None,
    now: datetime,
    *,
    sender_chat: bool = False,
) -> None:
    """Plan a mute or a ban of the case's author and note it on the member."""
    until = now + duration if duration is not None else None
    target = {"chat_id": community.platform_id, "user_id": case.author_id, "until": iso(until)}
    if action == Action.MUTE.value:
        await plan_action(session, community, "restrict", target, case_id=case.id)
        await members.ensure(session, community.id, case.author_id, now=now)
        await members.update_fields(
            session,
            community.id,
            case.author_id,
            restricted_until=until or datetime.max.replace(tzinfo=now.tzinfo),
        )
    elif action == Action.BAN.value:
        await plan_action(session, community, "ban", {**target, "sender_chat": sender_chat}, case_id=case.id)
        await members.ensure(session, community.id, case.author_id, now=now)
        await members.update_fields(session, community.id, case.author_id, banned=True)


async def plan_reversal(
    session: AsyncSession, community: CommunityRecord, case: CaseRecord, *, case_id: int | None = None
) -> list[str]:
    """Plan undoing a mute or ban that ``case`` imposed. Returns the planned kinds."""
    target = {"chat_id": community.platform_id, "user_id": case.author_id}
    done: list[str] = []
    if case.action == Action.BAN.value:
        await plan_action(session, community, "unban", {**target, "sender_chat": False}, case_id=case_id)
        await members.update_fields(session, community.id, case.author_id, banned=False)
        done.append("unban")
    elif case.action == Action.MUTE.value:
        await plan_action(session, community, "unrestrict", target, case_id=case_id)
        await members.update_fields(session, community.id, case.author_id, restricted_until=None)
        done.append("unrestrict")
    return done


def duration_of(case: CaseRecord) -> timedelta | None:
    return timedelta(seconds=case.duration_seconds) if case.duration_seconds else None
