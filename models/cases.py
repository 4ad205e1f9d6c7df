"""Cases: every moderation decision, queryable by community, user, rule, action and date."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.tables import Case, OutboxItem

MAX_ERROR = 2000
# Statuses a decided case can move to; "pending" rows become one of the first four.
STATUSES = {"pending", "executed", "failed", "dry_run", "overturned", "appealed", "upheld"}


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    community_id: int
    platform: str
    kind: str
    event_key: str | None
    chat_id: str
    message_id: str | None
    thread_id: str | None
    edited: bool
    author_id: str
    author_name: str
    text: str | None
    scores: dict[str, Any]
    reasons: list[Any]
    shadow: list[Any]
    action: str
    duration_seconds: int | None
    actor: str
    actor_name: str
    reason: str
    source: str
    status: str
    dry_run: bool
    error: str | None
    created_at: datetime
    decided_at: datetime | None

    @property
    def rule_names(self) -> list[str]:
        """Names of the rules that fired (reasons of kind "rule")."""
        return [r.get("name", "") for r in self.reasons if isinstance(r, dict) and r.get("kind") == "rule"]


_FIELDS = tuple(CaseRecord.__dataclass_fields__)


def _record(row: Case) -> CaseRecord:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["scores"] = dict(row.scores or {})
    values["reasons"] = list(row.reasons or [])
    values["shadow"] = list(row.shadow or [])
    return CaseRecord(**values)


async def create(session: AsyncSession, **fields: Any) -> CaseRecord:
    """Insert a case in the caller's transaction and return it.

    Args:
        fields: ``Case`` columns; ``community_id``, ``platform``, ``chat_id``, ``author_id`` and
            ``action`` are required.
    """
    return (await create_many(session, [fields]))[0]


async def create_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[CaseRecord]:
    """Insert several cases in one statement; returns them in the order given (their ids too)."""
    if not rows:
        return []
    for fields in rows:
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"not case fields: {sorted(unknown)}")
    now = utcnow()
    table = Case.__table__
    stmt = insert(table).returning(*table.c, sort_by_parameter_order=True)
    result = await session.execute(stmt, [{"created_at": now, **fields} for fields in rows])
    return [_record(r) for r in result.all()]


async def get(session: AsyncSession, case_id: int) -> CaseRecord | None:
    row = await session.get(Case, case_id)
    return _record(row) if row else None


async def by_event(session: AsyncSession, community_id: int, event_key: str) -> CaseRecord | None:
    """The case already recorded for this platform event (handling is idempotent per event)."""
    stmt = select(Case).where(Case.community_id == community_id, Case.event_key == event_key).limit(1)
    row = (await session.scalars(stmt)).first()
    return _record(row) if row else None


async def by_events(
    session: AsyncSession, community_id: int, event_keys: Sequence[str]
) -> dict[str, CaseRecord]:
    """The cases already recorded for any of these platform events, by event key."""
    if not event_keys:
        return {}
    stmt = select(Case).where(Case.community_id == community_id, Case.event_key.in_(list(event_keys)))
    found: dict[str, CaseRecord] = {}
    for row in (await session.scalars(stmt)).all():
        found.setdefault(row.event_key, _record(row))
    return found


async def latest_for_message(
    session: AsyncSession, community_id: int, chat_id: str, message_id: str, *, source: str = "auto"
) -> CaseRecord | None:
    """The newest case of ``source`` about one message (for "auto": the original or its latest edit)."""
    stmt = (
        select(Case)
        .where(Case.community_id == community_id, Case.chat_id == chat_id, Case.message_id == message_id)
        .where(Case.source == source)
        .order_by(Case.id.desc())
        .limit(1)
    )
    row = (await session.scalars(stmt)).first()
    return _record(row) if row else None


async def set_status(
    session: AsyncSession,
    case_id: int,
    status: str,
    *,
    error: str | None = None,
    only_from: Iterable[str] | None = None,
    decided_at: datetime | None = None,
) -> bool:
    """Move a case to ``status``; with ``only_from``, only when it is in one of those statuses.

    Returns:
        True when the row changed.
    """
    if status not in STATUSES:
        raise ValueError(f"case status must be one of {sorted(STATUSES)}, not {status!r}")
    stmt = update(Case).where(Case.id == case_id)
    if only_from is not None:
        stmt = stmt.where(Case.status.in_(list(only_from)))
    values: dict[str, Any] = {"status": status}
    if error is not None:
        values["error"] = error[:MAX_ERROR]
    if decided_at is not None:
        values["decided_at"] = decided_at
    res = await session.execute(stmt.values(**values))
    return res.rowcount == 1


async def settle(session: AsyncSession, case_ids: Collection[int]) -> int:
    """Mark "executed" the pending cases among these whose every planned action is done (none
    pending, none failed). Returns how many changed."""
    if not case_ids:
        return 0
    unfinished = select(OutboxItem.id).where(OutboxItem.case_id == Case.id, OutboxItem.status != "done")
    stmt = (
        update(Case)
        .where(Case.id.in_(sorted(set(case_ids))), Case.status == "pending", ~unfinished.exists())
        .values(status="executed")
        .execution_options(synchronize_session=False)
    )
    return (await session.execute(stmt)).rowcount


async def query(
    session: AsyncSession,
    *,
    community_id: int | None = None,
    author_id: str | None = None,
    rule: str | None = None,
    action: str | Iterable[str] | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    with_text: bool = False,
    with_shadow: bool = False,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[CaseRecord]:
    """Cases matching every given filter.

    Args:
        rule: a rule name that must be among the case's fired rules.
        action: one action or several.
        with_text: only cases whose text was not purged by retention.
        with_shadow: only cases that a shadow-mode rule hit.
    """
    stmt = select(Case)
    if community_id is not None:
        stmt = stmt.where(Case.community_id == community_id)
    if author_id is not None:
        stmt = stmt.where(Case.author_id == author_id)
    if action is not None:
        stmt = stmt.where(Case.action.in_([action] if isinstance(action, str) else list(action)))
    if source is not None:
        stmt = stmt.where(Case.source == source)
    if since is not None:
        stmt = stmt.where(Case.created_at >= since)
    if until is not None:
        stmt = stmt.where(Case.created_at < until)
    if with_text:
        stmt = stmt.where(Case.text.is_not(None))
    if with_shadow:  # json_array_length: the same function in SQLite and PostgreSQL
        stmt = stmt.where(func.json_array_length(Case.shadow) > 0)
    stmt = stmt.order_by(Case.id.desc() if newest_first else Case.id)
    # The rule filter reads JSON, which differs per backend; filter in Python, then limit.
    if limit is not None and rule is None:
        stmt = stmt.limit(limit)
    records = [_record(r) for r in (await session.scalars(stmt)).all()]
    if rule is not None:
        records = [c for c in records if rule in c.rule_names]
        if limit is not None:
            records = records[:limit]
    return records


async def after(
    session: AsyncSession, case_id: int, *, source: str = "auto", limit: int = 200
) -> list[CaseRecord]:
    """Cases newer than ``case_id`` (by id, oldest first) of one ``source``: for followers of new cases."""
    stmt = select(Case).where(Case.id > case_id, Case.source == source).order_by(Case.id).limit(limit)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def last_id(session: AsyncSession) -> int:
    """The newest case's id (0 when there is none)."""
    return int(await session.scalar(select(func.max(Case.id))) or 0)


async def add_reason(session: AsyncSession, case_id: int, reason: dict[str, Any]) -> None:
    """Append one reason to a case (a follow-up that arrived after the decision)."""
    row = await session.get(Case, case_id)
    if row is not None:
        row.reasons = [*(row.reasons or []), reason]


async def count(session: AsyncSession, community_id: int, *, since: datetime | None = None) -> int:
    stmt = select(func.count()).select_from(Case).where(Case.community_id == community_id)
    if since is not None:
        stmt = stmt.where(Case.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())


async def purge_text(session: AsyncSession, before: datetime) -> int:
    """Forget the message text of cases older than ``before``; counts and decisions stay."""
    res = await session.execute(
        update(Case).where(Case.created_at < before, Case.text.is_not(None)).values(text=None)
    )
    return int(res.rowcount or 0)
