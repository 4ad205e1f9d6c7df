"""Members: what a community knows about each person (first seen, activity, admin cache)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import Member
from models.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class MemberRecord:
    id: int
    community_id: int
    user_id: str
    name: str
    first_seen: datetime
    last_seen: datetime
    message_count: int
    trusted: bool
    is_admin: bool
    admin_checked_at: datetime | None
    restricted_until: datetime | None
    banned: bool
    is_bot: bool


def _record(row: object) -> MemberRecord:
    return to_record(MemberRecord, row)


async def ensure(
    session: AsyncSession, community_id: int, user_id: str, *, name: str = "", now: datetime | None = None
) -> MemberRecord:
    """The member, created on first sight (safe under concurrency)."""
    row = await _row(session, community_id, user_id)
    if row is not None:
        return _record(row)
    now = now or utcnow()
    await session.execute(
        insert_ignore(session, Member, ["community_id", "user_id"]).values(
            community_id=community_id,
            user_id=user_id,
            name=name,
            first_seen=now,
            last_seen=now,
            message_count=0,
            trusted=False,
            is_admin=False,
            banned=False,
            is_bot=False,
        )
    )
    row = await _row(session, community_id, user_id)
    assert row is not None  # just inserted or already there
    return _record(row)


async def _row(session: AsyncSession, community_id: int, user_id: str) -> Member | None:
    stmt = select(Member).where(Member.community_id == community_id, Member.user_id == user_id)
    return (await session.scalars(stmt)).one_or_none()


async def seen_message(
    session: AsyncSession, community_id: int, user_id: str, *, name: str = "", now: datetime | None = None
) -> MemberRecord:
    """Count one more message from this member.

    Returns:
        The member as it was *before* this message (``message_count`` = messages seen earlier),
        which is what the engine's author thresholds compare against.
    """
    now = now or utcnow()
    before = await ensure(session, community_id, user_id, name=name, now=now)
    values: dict[str, Any] = {"message_count": Member.message_count + 1, "last_seen": now}
    if name and name != before.name:
        values["name"] = name
    await session.execute(update(Member).where(Member.id == before.id).values(**values))
    return before


async def ensure_many(
    session: AsyncSession, community_id: int, first_sight: dict[str, tuple[str, datetime]]
) -> dict[str, MemberRecord]:
    """The members with these user ids (``user id → (name, first seen)``), creating the missing
    ones in one statement (safe under concurrency). Returns them by user id."""
    if not first_sight:
        return {}
    table = Member.__table__  # plain rows: no ORM objects for a batch's authors
    stmt = select(table).where(table.c.community_id == community_id, table.c.user_id.in_(list(first_sight)))
    found = {r.user_id: _record(r) for r in (await session.execute(stmt)).all()}
    missing = [u for u in first_sight if u not in found]
    if missing:
        await session.execute(
            insert_ignore(session, Member, ["community_id", "user_id"]),
            [
                {
                    "community_id": community_id,
                    "user_id": u,
                    "name": first_sight[u][0],
                    "first_seen": first_sight[u][1],
                    "last_seen": first_sight[u][1],
                    "message_count": 0,
                    "trusted": False,
                    "is_admin": False,
                    "banned": False,
                }
                for u in missing
            ],
        )
        again = select(table).where(table.c.community_id == community_id, table.c.user_id.in_(missing))
        found.update({r.user_id: _record(r) for r in (await session.execute(again)).all()})
    return found


async def count_messages(session: AsyncSession, seen: list[dict[str, Any]]) -> None:
    """Add messages to members in one statement: dicts of ``id``, ``added``, ``last_seen``, ``name``.

    Relative (``message_count + added``), so two processes counting at once lose nothing.
    """
    if seen:
        table = Member.__table__  # Core: one executemany, not the ORM's per-row bulk update
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("member"))
            .values(
                message_count=table.c.message_count + bindparam("added"),
                last_seen=bindparam("seen_at"),
                name=bindparam("new_name"),
            ),
            [
                {"member": s["id"], "added": s["added"], "seen_at": s["last_seen"], "new_name": s["name"]}
                for s in seen
            ],
        )


async def update_many(session: AsyncSession, changes: dict[int, dict[str, Any]]) -> None:
    """Change fields (``update_fields``'s) of several members by row id, one statement for each
    set of fields changed."""
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for member_id, fields in changes.items():
        _check_fields(fields)
        names = tuple(sorted(fields))
        by_fields.setdefault(names, []).append(
            {"member": member_id, **{f"new_{k}": v for k, v in fields.items()}}
        )
    table = Member.__table__
    for names, rows in by_fields.items():
        stmt = update(table).where(table.c.id == bindparam("member"))
        await session.execute(stmt.values({name: bindparam(f"new_{name}") for name in names}), rows)


async def get(session: AsyncSession, community_id: int, user_id: str) -> MemberRecord | None:
    row = await _row(session, community_id, user_id)
    return _record(row) if row else None


async def update_fields(session: AsyncSession, community_id: int, user_id: str, **fields: Any) -> None:
    """Change ``trusted``, ``is_admin``, ``admin_checked_at``, ``restricted_until``, ``banned``,
    ``name``, ``is_bot``."""
    _check_fields(fields)
    await session.execute(
        update(Member).where(Member.community_id == community_id, Member.user_id == user_id).values(**fields)
    )


async def set_admin(
    session: AsyncSession,
    community_id: int,
    user_id: str,
    is_admin: bool,
    checked_at: datetime,
    *,
    name: str = "",
) -> None:
    """Cache the platform's answer about admin standing (and the person's name, when given:
    admins who only speak in the moderators' chat are otherwise never seen with one)."""
    member = await ensure(session, community_id, user_id, name=name, now=checked_at)
    fields: dict[str, Any] = {"is_admin": is_admin, "admin_checked_at": checked_at}
    if name and name != member.name:
        fields["name"] = name
    await update_fields(session, community_id, user_id, **fields)


async def newcomers_since(session: AsyncSession, community_id: int, since: datetime) -> int:
    """How many members were first seen at or after ``since`` (the raid signal)."""
    stmt = (
        select(func.count())
        .select_from(Member)
        .where(Member.community_id == community_id, Member.first_seen >= since)
    )
    return int((await session.execute(stmt)).scalar_one())


async def find_named(session: AsyncSession, community_id: int, name: str) -> list[MemberRecord]:
    """The members ``name`` may mean — by user id, exact display name or, given ``@username``, the
    Telegram username their display name carries ("Ivan (@ivan_p)", any case) — for ``/history``,
    ``/unban``, ``/mod``. A user id wins outright; otherwise at most two are returned: two mean
    the name fits several people."""
    key = name.lstrip("@")
    match = (Member.user_id == key) | (Member.name == key)
    if name.startswith("@") and key:
        escaped = key.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match |= func.lower(Member.name).like(f"%(@{escaped})", escape="\\")
    stmt = select(Member).where(Member.community_id == community_id, match)
    found = [_record(row) for row in (await session.scalars(stmt.order_by(Member.id).limit(3))).all()]
    by_id = [m for m in found if m.user_id == key]
    return by_id or found[:2]


async def admins(session: AsyncSession, community_id: int) -> list[MemberRecord]:
    """Members known (from the platform's answers) to be admins, by name."""
    stmt = (
        select(Member)
        .where(Member.community_id == community_id, Member.is_admin.is_(True))
        .order_by(Member.name, Member.user_id)
    )
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def list_for(session: AsyncSession, community_id: int) -> list[MemberRecord]:
    stmt = select(Member).where(Member.community_id == community_id).order_by(Member.id)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


def _check_fields(fields: dict[str, Any]) -> None:
    allowed = {"trusted", "is_admin", "admin_checked_at", "restricted_until", "banned", "name", "is_bot"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not member fields: {sorted(unknown)}")
