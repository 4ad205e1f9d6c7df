"""The owner's report: a period's figures against the previous period of the same length.

Shared by ``dozor report`` (Markdown, HTML with an inline SVG chart, JSON) and the scheduled
digest in the moderators' chat (text and a PNG chart). Figures: messages, members who joined and
left, actions by kind, spam and abuse caught, complaints received / answered / open with the
median time to a first answer, the most active members and the rules that fired.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from handlers import activity
from handlers.planning import ENFORCED
from handlers.stats import first_answers
from models import cases, communities, escalations, member_events
from models.cases import CaseRecord
from models.db import Database
from moderation.errors import ConfigError

TREND_KEYS = ("messages", "joined", "left", "spam_caught", "abuse_caught", "complaints", "answered")


@dataclass(frozen=True, slots=True)
class Figures:
    """One period."""

    since: datetime
    until: datetime
    messages: int = 0
    joined: int = 0
    left: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    spam_caught: int = 0
    abuse_caught: int = 0
    complaints: int = 0
    answered: int = 0
    open: int = 0
    median_answer_minutes: float | None = None
    top_members: list[tuple[str, int]] = field(default_factory=list)
    rules: list[tuple[str, int]] = field(default_factory=list)
    daily: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, messages)


@dataclass(frozen=True, slots=True)
class Report:
    community_id: int
    title: str
    language: str
    days: int
    current: Figures
    previous: Figures

    def trend(self, key: str) -> str:
        """The change against the previous period: "+25%", "−10%", "=" or "new"."""
        now, before = getattr(self.current, key), getattr(self.previous, key)
        if before == 0:
            return "=" if now == 0 else "new"
        change = round((now - before) / before * 100)
        return "=" if change == 0 else f"+{change}%" if change > 0 else f"−{-change}%"

    def to_dict(self) -> dict[str, Any]:
        def plain(f: Figures) -> dict[str, Any]:
            data = asdict(f)
            data["since"], data["until"] = f.since.isoformat(), f.until.isoformat()
            return data

        return {
            "community_id": self.community_id,
            "title": self.title,
            "days": self.days,
            "current": plain(self.current),
            "previous": plain(self.previous),
            "trend": {k: self.trend(k) for k in TREND_KEYS},
        }


def _abuse(case: CaseRecord) -> bool:
    named = {r.get("name") for r in case.reasons if isinstance(r, dict)}
    return "toxicity" in named or float(case.scores.get("toxicity", 0)) > float(case.scores.get("spam", 0))


async def figures(
    db: Database, community_id: int, since: datetime, until: datetime, *, bot_user_id: str | None = None
) -> Figures:
    """The figures of ``[since, until)``."""
    async with db.transaction() as session:
        rows = await cases.query(session, community_id=community_id, since=since, until=until)
        opened = await escalations.created_between(session, community_id, since, until)
        joined = await member_events.count(session, community_id, "joined", since, until)
        left = await member_events.count(session, community_id, "left", since, until)
        ranked = await activity.compute(session, community_id, since, until, bot_user_id=bot_user_id)
    auto = [c for c in rows if c.source == "auto"]
    caught = [c for c in auto if c.action in ENFORCED and not c.dry_run and c.status != "overturned"]
    answers = first_answers(opened)
    days = (until - since).days
    per_day = Counter(f"{c.created_at:%Y-%m-%d}" for c in auto if not c.edited)
    daily = [(f"{since + timedelta(days=i):%Y-%m-%d}", 0) for i in range(days)]
    return Figures(
        since=since,
        until=until,
        messages=sum(1 for c in auto if not c.edited),
        joined=joined,
        left=left,
        actions=dict(Counter(c.action for c in rows if c.action != "allow")),
        spam_caught=sum(1 for c in caught if not _abuse(c)),
        abuse_caught=sum(1 for c in caught if _abuse(c)),
        complaints=len(opened),
        answered=len(answers),
        open=sum(1 for e in opened if e.status == "open"),
        median_answer_minutes=round(statistics.median(w for _, w in answers), 1) if answers else None,
        top_members=[(a.name, a.score) for a in ranked[:5]],
        rules=Counter(n for c in rows for n in c.rule_names).most_common(5),
        daily=[(d, per_day.get(d, 0)) for d, _ in daily],
    )


async def build(
    db: Database, community_id: int, days: int, now: datetime, *, bot_user_id: str | None = None
) -> Report:
    """This period (the last ``days`` days) and the one before it.

    Raises:
        ConfigError: no community with this id (the message lists how to find one).
    """
    async with db.transaction() as session:
        community = await communities.get(session, community_id)
    if community is None:
        raise ConfigError(f"no community with id {community_id}; `dozor stats` lists the communities")
    # Whole days, so the daily bars of both periods line up.
    end = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    current = await figures(db, community_id, start, end, bot_user_id=bot_user_id)
    previous = await figures(db, community_id, start - timedelta(days=days), start, bot_user_id=bot_user_id)
    return Report(
        community_id=community.id,
        title=community.title or community.platform_id,
        language=community.language,
        days=days,
        current=current,
        previous=previous,
    )
