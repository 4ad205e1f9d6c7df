"""What a batch of comments needs to know about their authors: read once, kept in memory.

For a batch of one community's comments, every author's member row and live warnings are read
in two queries; each comment then sees its author as they were just before it (earlier comments
of the batch counted, warnings they earned included), and the new message counts are written
back in one statement at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.roles import ADMIN_TTL
from models import members, warnings
from models.members import MemberRecord
from moderation.events import Event


class Authors:
    """The authors of one batch of comments of one community."""

    def __init__(self, rows: dict[str, MemberRecord], expiries: dict[str, list[datetime]]) -> None:
        self._rows = rows
        self._expiries = expiries
        self._added: dict[str, int] = {}
        self._seen: dict[str, tuple[datetime, str]] = {}
        self._changed: dict[str, dict[str, Any]] = {}

    @classmethod
    async def load(cls, session: AsyncSession, community_id: int, events: Sequence[Event]) -> Authors:
        first_sight: dict[str, tuple[str, datetime]] = {}
        for event in events:
            first_sight.setdefault(event.author.id, (event.author.name, event.date))
        rows = await members.ensure_many(session, community_id, first_sight)
        since = min(event.date for event in events)
        return cls(rows, await warnings.live_between(session, community_id, list(first_sight), since))

    def enrich(self, event: Event, now: datetime) -> Event:
        """The event with what the community knows of its author just before it.

        An edit is not a new message: it does not count toward the author's activity.
        """
        author = event.author
        row = self._rows[author.id]
        count = row.message_count + self._added.get(author.id, 0)
        if not event.edited:
            self._added[author.id] = self._added.get(author.id, 0) + 1
            self._seen[author.id] = (event.date, author.name or row.name)
        live = sum(1 for expires in self._expiries.get(author.id, ()) if expires > event.date)
        cached_admin = (
            row.is_admin and row.admin_checked_at is not None and now - row.admin_checked_at < ADMIN_TTL
        )
        enriched = replace(
            author,
            first_seen=min(row.first_seen, author.first_seen) if author.first_seen else row.first_seen,
            message_count=max(count, author.message_count),
            warnings=live,
            is_trusted=author.is_trusted or row.trusted,
            is_admin=author.is_admin or cached_admin,
        )
        return replace(event, author=enriched)

    def warned(self, user_id: str, expires_at: datetime) -> None:
        """A comment of this batch earned its author a warning: later ones see it."""
        self._expiries.setdefault(user_id, []).append(expires_at)

    def restricted(self, user_id: str, action: str, now: datetime) -> bool:
        """Whether the author already is (or is about to be) restricted as ``action`` would: a ban
        when banned; a mute when banned or muted. A restricted author posting again means the
        restriction is still on its way (a flood's queue): it is not sent twice. (A member let
        speak again, by anyone, is noted as such: ``Dozor._member_change``.)"""
        row = self._rows.get(user_id)
        changed = self._changed.get(user_id, {})
        if changed.get("banned", row.banned if row else False):
            return True
        until = changed.get("restricted_until", row.restricted_until if row else None)
        return action == "mute" and until is not None and until > now

    def change(self, user_id: str, **fields: Any) -> None:
        """A comment of this batch changed its author (a mute or ban noted): saved with the rest."""
        self._changed.setdefault(user_id, {}).update(fields)

    async def save(self, session: AsyncSession) -> None:
        """Write the batch's message counts, last-seen times, names and changes back."""
        await members.update_many(session, {self._rows[user].id: f for user, f in self._changed.items()})
        await members.count_messages(
            session,
            [
                {
                    "id": self._rows[user].id,
                    "added": added,
                    "last_seen": self._seen[user][0],
                    "name": self._seen[user][1],
                }
                for user, added in self._added.items()
            ],
        )
