"""Labelled examples the classifier learns from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import LabelledExample

LABELS = {"spam", "ham", "toxic", "ok", "negative", "neutral"}
SOURCES = {"moderator", "import", "seed"}


@dataclass(frozen=True, slots=True)
class ExampleRecord:
    id: int
    text: str
    label: str
    source: str
    community_id: int | None
    case_id: int | None
    created_at: datetime


async def add(
    session: AsyncSession,
    text: str,
    label: str,
    *,
    source: str,
    community_id: int | None = None,
    case_id: int | None = None,
    created_by: str | None = None,
) -> int:
    if label not in LABELS:
        raise ValueError(f"label must be one of {sorted(LABELS)}, not {label!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {sorted(SOURCES)}, not {source!r}")
    row = LabelledExample(
        text=text,
        label=label,
        source=source,
        community_id=community_id,
        case_id=case_id,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row.id


async def list_examples(
    session: AsyncSession, *, community_id: int | None = None, since: datetime | None = None
) -> list[ExampleRecord]:
    """Examples, oldest first; all communities' when ``community_id`` is None."""
    stmt = select(LabelledExample).order_by(LabelledExample.id)
    if community_id is not None:
        stmt = stmt.where(LabelledExample.community_id == community_id)
    if since is not None:
        stmt = stmt.where(LabelledExample.created_at >= since)
    rows = (await session.scalars(stmt)).all()
    return [
        ExampleRecord(r.id, r.text, r.label, r.source, r.community_id, r.case_id, r.created_at) for r in rows
    ]
