"""The web workspace's sign-ins: one-time links (``/web``) and sessions.

Only SHA-256 hashes of the tokens are stored: reading the database gives no usable link or
cookie. A link is spent by one conditional UPDATE, so of two simultaneous uses exactly one wins.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import state
from models.tables import WebLink, WebSession

SECRET_KEY = "web-secret"


@dataclass(frozen=True, slots=True)
class Person:
    """Who is signed in: an account on the platform where they proved it, and the communities of
    the moderators' chat they came from (hints: each is still checked before it is shown)."""

    platform: str
    user_id: str
    name: str
    hints: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    person: Person
    csrf: str
    expires_at: datetime


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def issue_link(session: AsyncSession, person: Person, *, now: datetime, expires_at: datetime) -> str:
    """Store a one-time link for ``person``; returns its token (shown once, never stored)."""
    token = new_token()
    session.add(
        WebLink(
            token_hash=token_hash(token),
            platform=person.platform,
            user_id=person.user_id,
            name=person.name,
            hints=list(person.hints),
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()
    return token


async def peek_link(session: AsyncSession, token: str, now: datetime) -> Person | None:
    """Whose unspent, unexpired link this is, without spending it (the page before "Continue")."""
    row = (await session.scalars(select(WebLink).where(WebLink.token_hash == token_hash(token)))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return Person(row.platform, row.user_id, row.name, tuple(row.hints or ()))


async def spend_link(session: AsyncSession, token: str, now: datetime) -> Person | None:
    """Spend a link: its person the first time within its lifetime, None ever after."""
    digest = token_hash(token)
    spent = await session.execute(
        update(WebLink)
        .where(WebLink.token_hash == digest, WebLink.used_at.is_(None), WebLink.expires_at > now)
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        return None
    row = (await session.scalars(select(WebLink).where(WebLink.token_hash == digest))).one()
    return Person(row.platform, row.user_id, row.name, tuple(row.hints or ()))


async def open_session(
    session: AsyncSession, person: Person, *, now: datetime, expires_at: datetime
) -> tuple[str, SessionRecord]:
    """Start a session; returns the cookie's token and the session (with its CSRF token)."""
    token = new_token()
    row = WebSession(
        token_hash=token_hash(token),
        platform=person.platform,
        user_id=person.user_id,
        name=person.name,
        hints=list(person.hints),
        csrf=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return token, _session(row)


async def find_session(session: AsyncSession, token: str, now: datetime) -> SessionRecord | None:
    """The live session of a cookie's token; None when unknown or expired."""
    stmt = select(WebSession).where(WebSession.token_hash == token_hash(token), WebSession.expires_at > now)
    row = (await session.scalars(stmt)).first()
    return _session(row) if row is not None else None


async def close_session(session: AsyncSession, session_id: int) -> None:
    await session.execute(delete(WebSession).where(WebSession.id == session_id))


async def purge(session: AsyncSession, now: datetime) -> int:
    """Forget expired sessions and links. Returns how many rows went."""
    gone = await session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    links = await session.execute(delete(WebLink).where(WebLink.expires_at <= now))
    return int(gone.rowcount or 0) + int(links.rowcount or 0)


async def secret(session: AsyncSession) -> str:
    """The key that signs appeal links when DOZOR_WEB_SECRET is unset: made once, kept here, so
    every process and every restart signs alike."""
    value = await state.get(session, SECRET_KEY)
    if not value:
        value = secrets.token_urlsafe(32)
        await state.put(session, SECRET_KEY, value)
    return value


def _session(row: WebSession) -> SessionRecord:
    person = Person(row.platform, row.user_id, row.name, tuple(int(h) for h in row.hints or ()))
    return SessionRecord(id=row.id, person=person, csrf=row.csrf, expires_at=row.expires_at)


def hints_of(ids: Sequence[int]) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in ids}))
