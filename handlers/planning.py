"""Turning a decision into planned platform actions (outbox rows) for one case."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import plan, planned
from models import members, outbox
from models.cases import CaseRecord
from models.communities import CommunityRecord
from moderation.actions import Ban, Delete, Restrict, Unban, Unrestrict
from moderation.events import EventKind
from moderation.verdict import Action

SURFACES = frozenset(k.value for k in EventKind)

# Actions that change something on the platform; a moderator's "approve" reverses them.
ENFORCED = {Action.HOLD.value, Action.WARN.value, Action.DELETE.value, Action.MUTE.value, Action.BAN.value}
# Case statuses in which Dozor's action stands (it may be reversed).
STANDING = {"pending", "executed", "appealed", "upheld"}


async def plan_delete(session: AsyncSession, community: CommunityRecord, case: CaseRecord) -> int | None:
    """Plan removing the case's message (nothing when the case has no message)."""
    row = delete_row(community, case)
    return None if row is None else await outbox.enqueue(session, **row)


def delete_row(community: CommunityRecord, case: CaseRecord) -> dict[str, Any] | None:
    """The planned removal of the case's message; None when the case has no message."""
    if not case.message_id:
        return None
    return planned(community, removal(case), case_id=case.id)


def removal(case: CaseRecord) -> Delete:
    """Removing the case's message: enough for any platform to find it (a VK comment needs its
    surface and its post, photo, video, item or topic id)."""
    assert case.message_id is not None
    surface = case.kind if case.kind in SURFACES else ""
    return Delete(case.chat_id, (case.message_id,), surface, case.thread_id)


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
    await outbox.enqueue(
        session, **restriction_row(community, case, action, duration, now, sender_chat=sender_chat)
    )
    await members.ensure(session, community.id, case.author_id, now=now)
    fields = restriction_fields(action, duration, now)
    await members.update_fields(session, community.id, case.author_id, **fields)


def restriction_row(
    community: CommunityRecord,
    case: CaseRecord,
    action: str,
    duration: timedelta | None,
    now: datetime,
    *,
    sender_chat: bool = False,
) -> dict[str, Any]:
    """The planned mute (``Restrict``) or ban of the case's author."""
    until = now + duration if duration is not None else None
    chat, user = community.platform_id, case.author_id
    if action == Action.MUTE.value:
        return planned(community, Restrict(chat, user, until), case_id=case.id)
    if action == Action.BAN.value:
        return planned(community, Ban(chat, user, until, sender_chat=sender_chat), case_id=case.id)
    raise ValueError(f"a restriction is a mute or a ban, not {action!r}")


def restriction_fields(action: str, duration: timedelta | None, now: datetime) -> dict[str, Any]:
    """What a mute (until when) or a ban changes on the member."""
    if action == Action.MUTE.value:
        forever = datetime.max.replace(tzinfo=now.tzinfo)
        return {"restricted_until": now + duration if duration is not None else forever}
    return {"banned": True}


async def plan_reversal(
    session: AsyncSession, community: CommunityRecord, case: CaseRecord, *, case_id: int | None = None
) -> list[str]:
    """Plan undoing a mute or ban that ``case`` imposed. Returns the planned kinds."""
    chat, user = community.platform_id, case.author_id
    done: list[str] = []
    if case.action == Action.BAN.value:
        await plan(session, community, Unban(chat, user), case_id=case_id)
        await members.update_fields(session, community.id, case.author_id, banned=False)
        done.append("unban")
    elif case.action == Action.MUTE.value:
        await plan(session, community, Unrestrict(chat, user), case_id=case_id)
        await members.update_fields(session, community.id, case.author_id, restricted_until=None)
        done.append("unrestrict")
    return done


def duration_of(case: CaseRecord) -> timedelta | None:
    return timedelta(seconds=case.duration_seconds) if case.duration_seconds else None
