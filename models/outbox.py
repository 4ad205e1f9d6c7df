"""The outbox: platform actions planned with their case, run and retried by the executor."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record, utcnow
from models.tables import OutboxItem

MAX_ERROR = 2000
WAITING = "waiting for "  # last_error prefix of a row kept until a missing credential is set


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    id: int
    community_id: int | None
    case_id: int | None
    platform: str
    via: str | None
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    result: dict[str, Any] | None
    started_at: datetime | None = None  # set: a worker began it and never finished (see claim_due)
    created_at: datetime | None = None
    expires_at: datetime | None = None  # not sent by then: dropped (see ``expire``)


def _record(row: object) -> OutboxRecord:
    return to_record(OutboxRecord, row)


async def enqueue(
    session: AsyncSession,
    *,
    platform: str,
    kind: str,
    payload: dict[str, Any],
    community_id: int | None = None,
    case_id: int | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    via: str | None = None,
) -> int:
    """Plan an action in the caller's transaction; returns the outbox id."""
    row = planned(
        platform=platform,
        via=via,
        kind=kind,
        payload=payload,
        community_id=community_id,
        case_id=case_id,
        expires_at=expires_at,
    )
    stmt = insert(OutboxItem.__table__).values(**row, next_attempt_at=not_before or utcnow())
    stmt = stmt.returning(OutboxItem.id)
    return int((await session.execute(stmt)).scalar_one())


def planned(
    *,
    platform: str,
    kind: str,
    payload: dict[str, Any],
    community_id: int | None,
    case_id: int | None,
    expires_at: datetime | None = None,
    via: str | None = None,
) -> dict[str, Any]:
    """An outbox row for ``enqueue_many`` (the arguments of ``enqueue``)."""
    return {
        "platform": platform,
        "via": via,
        "kind": kind,
        "payload": payload,
        "community_id": community_id,
        "case_id": case_id,
        "expires_at": expires_at,
    }


async def enqueue_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Plan several actions (``planned`` rows), due now, in one statement; their ids keep the
    given order."""
    if rows:
        now = utcnow()
        await session.execute(insert(OutboxItem.__table__), [{**row, "next_attempt_at": now} for row in rows])


async def due(
    session: AsyncSession, now: datetime | None = None, *, platform: str | None = None, limit: int = 50
) -> list[OutboxRecord]:
    """Pending actions whose time has come, oldest first."""
    stmt = (
        select(OutboxItem)
        .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= (now or utcnow()))
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
    )
    if platform:
        stmt = stmt.where(OutboxItem.platform == platform)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def claim(session: AsyncSession, outbox_id: int, now: datetime, lease_until: datetime) -> bool:
    """Take a due row for this worker by pushing its next attempt to ``lease_until``.

    False when another worker took it first. A worker that dies holding a lease loses it when
    the lease runs out, and the row is tried again.
    """
    res = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == outbox_id, OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now)
        .values(next_attempt_at=lease_until)
    )
    return res.rowcount == 1


async def claim_due(
    session: AsyncSession,
    now: datetime,
    lease_until: datetime,
    *,
    kinds: Collection[str] | None = None,
    exclude: Collection[str] | None = None,
    limit: int = 50,
) -> list[OutboxRecord]:
    """Lease up to ``limit`` due rows (of ``kinds``) for this worker, oldest first.

    Each is marked started now. The records returned carry the *previous* ``started_at``: set,
    it means an earlier worker began this row and died before recording the outcome, so the
    platform may already have carried it out. Rows a live worker holds are skipped.
    """
    stmt = (
        select(OutboxItem)
        .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now)
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    stmt = _of_kinds(stmt, kinds, exclude)
    rows = [_record(r) for r in (await session.scalars(stmt)).all()]
    if not rows:
        return []
    # The update re-checks that each row is still due: on SQLite the select above locks nothing,
    # so another worker may have taken some of them in between.
    taken = set(
        (
            await session.scalars(
                update(OutboxItem)
                .where(
                    OutboxItem.id.in_([r.id for r in rows]),
                    OutboxItem.status == "pending",
                    OutboxItem.next_attempt_at <= now,
                )
                .values(next_attempt_at=lease_until, started_at=now)
                .returning(OutboxItem.id)
                .execution_options(synchronize_session=False)
            )
        ).all()
    )
    return [r for r in rows if r.id in taken]


async def release_leases(session: AsyncSession, now: datetime) -> int:
    """Make leased rows due now (at start, when no other worker can hold one: SQLite). Their
    ``started_at`` stays, so a message the dead worker may have sent is not sent twice."""
    res = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.status == "pending", OutboxItem.started_at.is_not(None))
        .values(next_attempt_at=now)
    )
    return int(res.rowcount or 0)


async def release_waiting(session: AsyncSession, now: datetime) -> int:
    """Make rows that waited for a credential due now (at start: the operator may have set it)."""
    res = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.status == "pending", OutboxItem.last_error.like(f"{WAITING}%"))
        .values(next_attempt_at=now)
    )
    return res.rowcount


def _of_kinds(stmt: Any, kinds: Collection[str] | None, exclude: Collection[str] | None) -> Any:
    if kinds is not None:
        stmt = stmt.where(OutboxItem.kind.in_(list(kinds)))
    if exclude is not None:
        stmt = stmt.where(OutboxItem.kind.not_in(list(exclude)))
    return stmt


async def next_due_at(
    session: AsyncSession,
    *,
    platform: str | None = None,
    kinds: Collection[str] | None = None,
    exclude: Collection[str] | None = None,
) -> datetime | None:
    stmt = select(func.min(OutboxItem.next_attempt_at)).where(OutboxItem.status == "pending")
    if platform:
        stmt = stmt.where(OutboxItem.platform == platform)
    stmt = _of_kinds(stmt, kinds, exclude)
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, outbox_id: int) -> OutboxRecord | None:
    row = await session.get(OutboxItem, outbox_id)
    return _record(row) if row else None


async def for_case(session: AsyncSession, case_id: int) -> list[OutboxRecord]:
    stmt = select(OutboxItem).where(OutboxItem.case_id == case_id).order_by(OutboxItem.id)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def expire(session: AsyncSession, now: datetime) -> list[tuple[str, str]]:
    """Drop pending rows whose time to be worth sending has passed: they count as done, with
    ``{"expired": true}``. Returns the (platform, kind) of each."""
    table = OutboxItem.__table__
    stmt = (
        update(table)
        .where(table.c.status == "pending", table.c.expires_at.is_not(None), table.c.expires_at <= now)
        .values(status="done", done_at=now, result={"expired": True}, started_at=None)
        .returning(table.c.platform, table.c.kind)
    )
    return [(platform, kind) for platform, kind in (await session.execute(stmt)).all()]


async def mark_done_many(
    session: AsyncSession, finished: Sequence[tuple[int, dict[str, Any] | None]]
) -> set[int]:
    """Mark rows done with their results; returns the ids that were still pending (the others
    another worker finished). Rows without a result (most) are marked in one statement."""
    bare = [outbox_id for outbox_id, result in finished if result is None]
    statements = [([outbox_id], result) for outbox_id, result in finished if result is not None]
    if bare:
        statements.append((bare, None))
    marked: set[int] = set()
    for ids, result in statements:
        stmt = (
            update(OutboxItem)
            .where(OutboxItem.id.in_(ids), OutboxItem.status == "pending")
            .values(
                status="done",
                done_at=utcnow(),
                attempts=OutboxItem.attempts + 1,
                result=result,
                last_error=None,
                started_at=None,
            )
            .returning(OutboxItem.id)
            .execution_options(synchronize_session=False)
        )
        marked.update((await session.scalars(stmt)).all())
    return marked


async def mark_retry(
    session: AsyncSession, outbox_id: int, error: str, next_attempt_at: datetime, *, count: bool = True
) -> None:
    """Try again at ``next_attempt_at``; ``count=False`` does not spend one of the row's attempts."""
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == outbox_id)
        .values(
            attempts=OutboxItem.attempts + (1 if count else 0),
            last_error=error[:MAX_ERROR],
            next_attempt_at=next_attempt_at,
            started_at=None,
        )
    )


async def mark_failed(session: AsyncSession, outbox_id: int, error: str) -> None:
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == outbox_id)
        .values(
            status="failed",
            attempts=OutboxItem.attempts + 1,
            last_error=error[:MAX_ERROR],
            done_at=utcnow(),
            started_at=None,
        )
    )
