"""Who is active: messages that stayed up, per member, and ``/top [days]``.

A message counts when Dozor let it stand (action "allow" or an FAQ "reply"), it was not an edit,
and nobody reported or removed it later. Admins, moderators, bots, Dozor itself and posts on
behalf of a channel (negative ids) never count. The score admins read is ``messages + 2 × active days``:
steady presence weighs more than one burst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bounds
from handlers.context import Context
from handlers.i18n import plural
from handlers.invocation import Invocation
from models import cases, communities, members, moderators
from moderation.events import Event

KEPT = ("allow", "reply")
REMOVALS = ("warn", "delete", "mute", "ban", "hold")
DAY_WEIGHT = 2
TOP = 10
MAX_DAYS = 365


@dataclass(frozen=True, slots=True)
class Activity:
    """One member's activity in a period."""

    user_id: str
    name: str
    messages: int
    days: int

    @property
    def score(self) -> int:
        return self.messages + DAY_WEIGHT * self.days


async def note_bot(ctx: Context, event: Event) -> None:
    """Remember that an author is a bot: bots are never among the active members."""
    async with ctx.db.transaction() as session:
        community = await communities.find(session, event.platform.value, event.community_id)
        if community is not None:
            await members.ensure(
                session, community.id, event.author.id, name=event.author.name, now=event.date
            )
            await members.update_fields(session, community.id, event.author.id, is_bot=True)


async def excluded_authors(session: AsyncSession, community_id: int, bot_user_id: str | None) -> set[str]:
    """The team (admins as the community knows them, listed moderators), bots, and Dozor itself."""
    known = await members.list_for(session, community_id)
    skip = {m.user_id for m in known if m.is_admin or m.is_bot}
    skip |= {m.user_id for m in await moderators.list_for(session, community_id)}
    if bot_user_id:
        skip.add(bot_user_id)
    return skip


async def compute(
    session: AsyncSession,
    community_id: int,
    since: datetime,
    until: datetime | None = None,
    *,
    bot_user_id: str | None = None,
    post: str | None = None,
) -> list[Activity]:
    """Members by score, highest first (ties: more messages, then name).

    Args:
        post: only comments under this post / in this thread (``MessageRef.thread_id``).
    """
    rows = await cases.query(session, community_id=community_id, since=since, until=until)
    flagged = {
        (c.chat_id, c.message_id)
        for c in rows
        if c.source == "report" or (c.source == "manual" and c.action in REMOVALS)
    }
    skip = await excluded_authors(session, community_id, bot_user_id)
    counts: dict[str, int] = {}
    days: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for c in rows:
        if c.source != "auto" or c.edited or c.action not in KEPT:
            continue
        if (c.chat_id, c.message_id) in flagged or c.author_id in skip or c.author_id.startswith("-"):
            continue
        if post is not None and c.thread_id != post:
            continue
        counts[c.author_id] = counts.get(c.author_id, 0) + 1
        days.setdefault(c.author_id, set()).add(f"{c.created_at:%Y-%m-%d}")
        names[c.author_id] = c.author_name or c.author_id
    return rank(Activity(a, names[a], n, len(days[a])) for a, n in counts.items())


def rank(activities: Iterable[Activity]) -> list[Activity]:
    """Highest score first; ties: more messages, then name (``/top``'s order, and ``/stats``')."""
    return sorted(activities, key=lambda x: (-x.score, -x.messages, x.name))


async def top_cmd(inv: Invocation) -> None:
    """``/top [days]`` (default 7): the most active members and their scores."""
    words = inv.words()
    days = bounds.number(words[0], 1, MAX_DAYS) if words else 7
    if days is None:
        await inv.answer_key("usage", usage="/top [days]")
        return
    since = inv.ctx.now() - timedelta(days=days)
    async with inv.ctx.db.transaction() as session:
        ranked = await compute(
            session, inv.community.id, since, bot_user_id=inv.ctx.bot_id(inv.community.platform)
        )
    if not ranked:
        await inv.answer_key("top_empty", days=plural(inv.lang, days, "day"))
        return
    lines = [inv.t("top_head", days=plural(inv.lang, days, "day"), weight=DAY_WEIGHT)]
    for place, a in enumerate(ranked[:TOP], 1):
        lines.append(
            inv.t(
                "top_line",
                place=place,
                name=a.name,
                score=a.score,
                messages=plural(inv.lang, a.messages, "message"),
                days=plural(inv.lang, a.days, "day"),
            )
        )
    await inv.answer("\n".join(lines))
