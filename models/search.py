"""Searching a community's history: filters that stay fast with millions of cases.

Text is found through an index on each backend: on SQLite an FTS5 table with the trigram
tokenizer (``cases_fts``, kept by triggers), on PostgreSQL a pg_trgm GIN index on ``cases.text``
(and one on the reasons, for the rule filter); both find any substring of three characters or
more. None is part of the
SQLAlchemy models (an FTS5 table and an operator-class index have no portable form), so
``include_name`` keeps them out of the comparison between models and migrations.

A migration that rebuilds ``cases`` on SQLite (``batch_alter_table``) drops the triggers: it must
create them again (``SQLITE_TRIGGERS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, cast, column, func, or_, select, table
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncSession

from models.cases import CaseRecord, _record
from models.tables import Case, Member

FTS_TABLE = "cases_fts"
TRGM_INDEX = "ix_cases_text_trgm"
# The rules a case names are in its reasons (JSON): without an index PostgreSQL cannot estimate a
# LIKE over them and reads the whole table in parallel (a quarter of a second at 1,000,000 cases).
RULES_INDEX = "ix_cases_reasons_trgm"
MIN_INDEXED = 3  # trigram indexes find substrings of 3 characters or more

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS cases_fts_insert AFTER INSERT ON cases BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_fts_delete AFTER DELETE ON cases BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_fts_update AFTER UPDATE OF text ON cases BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name``: the search index objects are not in the models, on purpose."""
    return not (name or "").startswith((FTS_TABLE, TRGM_INDEX, RULES_INDEX))


@dataclass(frozen=True, slots=True)
class Filters:
    """What to look for; every field left empty matches everything.

    Attributes:
        author: an author's id, or part of their name.
        rule: a rule's name among the reasons.
        text: a piece of the message text.
        before_id: only cases older than this one (the next page).
    """

    author: str = ""
    rule: str = ""
    action: str = ""
    status: str = ""
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None


async def search(
    session: AsyncSession, community_id: int, filters: Filters, *, limit: int = 50
) -> list[CaseRecord]:
    """The newest cases of a community matching every filter, newest first.

    Newest first is by ``created_at`` (the index every community has), except for a text search
    on SQLite, which walks the text index newest first: either way the database stops at
    ``limit`` matches instead of sorting every match.
    """
    stmt = select(Case).where(Case.community_id == community_id)
    order = [Case.created_at.desc(), Case.id.desc()]
    if filters.author:
        term = filters.author.strip().lstrip("@")
        stmt = stmt.where(Case.author_id.in_(await _authors(session, community_id, term)))
    if filters.rule:
        # reasons is JSON text alike on both backends: {"kind": "rule", "name": "…", …}
        needle = f'%"name": "{_like(filters.rule.strip())}"%'
        stmt = stmt.where(cast(Case.reasons, String).like(needle, escape="\\"))
    if filters.action:
        stmt = stmt.where(Case.action == filters.action)
    if filters.status:
        stmt = stmt.where(Case.status == filters.status)
    if filters.since is not None:
        stmt = stmt.where(Case.created_at >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(Case.created_at < filters.until)
    if filters.before_id is not None:
        stmt = stmt.where(Case.id < filters.before_id)
    words = filters.text.strip()
    if words and session.bind.dialect.name == "sqlite" and len(words) >= MIN_INDEXED:
        stmt = stmt.join(_FTS, _FTS.c.rowid == Case.id).where(
            sql_text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=_fts_query(words))
        )
        order = [_FTS.c.rowid.desc()]
    elif words:  # PostgreSQL: ILIKE is what the pg_trgm index serves; short SQLite terms scan
        stmt = stmt.where(or_(*(Case.text.ilike(f"%{_like(w)}%", escape="\\") for w in _casings(words))))
    rows = [_record(r) for r in (await session.scalars(stmt.order_by(*order).limit(limit))).all()]
    if filters.rule:  # the LIKE above may match a reason of another kind by the same name
        rows = [c for c in rows if filters.rule.strip() in c.rule_names]
    return rows


_FTS = table(FTS_TABLE, column("rowid", Integer))


def _fts_query(words: str) -> str:
    """The FTS5 query for a piece of text: the words as one phrase, in the casings people write."""
    return " OR ".join('"' + form.replace('"', '""') + '"' for form in _casings(words))


def _casings(words: str) -> list[str]:
    """As typed, lower case, upper case, capitalised: a database in the C locale (and SQLite's
    trigram tokenizer) folds the case of Latin letters only, so Cyrillic needs the forms spelt."""
    return list(dict.fromkeys((words, words.lower(), words.upper(), words.capitalize())))


MAX_AUTHORS = 50


async def _authors(session: AsyncSession, community_id: int, term: str) -> list[str]:
    """The user ids an author filter means: the term as an id, and the members whose name has it
    (members are few per community; cases are many, so names are not searched there)."""
    named = (
        select(Member.user_id)
        .where(Member.community_id == community_id, Member.name.ilike(f"%{_like(term)}%", escape="\\"))
        .limit(MAX_AUTHORS)
    )
    return [term, *(await session.scalars(named)).all()]


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def count_shadow_hits(
    session: AsyncSession, community_id: int, names: Sequence[str], since: datetime
) -> dict[str, int]:
    """How many cases since ``since`` each shadow rule would have acted on (``cases.shadow``)."""
    found: dict[str, int] = dict.fromkeys(names, 0)
    for name in names:
        needle = f'%"name": "{_like(name)}"%'
        stmt = (
            select(func.count())
            .select_from(Case)
            .where(Case.community_id == community_id, Case.created_at >= since)
            .where(cast(Case.shadow, String).like(needle, escape="\\"))
        )
        found[name] = int((await session.execute(stmt)).scalar_one())
    return found
