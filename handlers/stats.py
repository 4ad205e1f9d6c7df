"""Moderation statistics of a community (or all): shared by ``/stats`` and ``dozor stats``."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from handlers.planning import ENFORCED
from models import cases, escalations
from models.db import Database


@dataclass(frozen=True, slots=True)
class Stats:
    """Figures for one period.

    Attributes:
        messages: messages Dozor looked at (one automatic case each).
        actions: cases by action, every source, "allow" left out.
        top_rules: rule names by how often they fired, most first.
        overturned: Dozor's enforced decisions that a moderator or appeal reversed.
        enforced: Dozor's enforced decisions (delete, warn, mute, ban, hold).
        median_decision_minutes: median minutes from escalation to a moderator's decision.
        active_members: (name, messages) most active first.
    """

    community_id: int | None
    since: datetime
    days: int
    messages: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    top_rules: list[tuple[str, int]] = field(default_factory=list)
    overturned: int = 0
    enforced: int = 0
    median_decision_minutes: float | None = None
    active_members: list[tuple[str, int]] = field(default_factory=list)

    @property
    def overturn_rate(self) -> float:
        return self.overturned / self.enforced if self.enforced else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat()
        data["overturn_rate"] = round(self.overturn_rate, 4)
        return data

    def format(self, language: str = "en") -> str:
        """Human-readable lines (English or Russian labels)."""
        ru = language == "ru"
        median = "—" if self.median_decision_minutes is None else f"{self.median_decision_minutes:.1f}"
        acts = ", ".join(f"{k} {v}" for k, v in sorted(self.actions.items())) or "—"
        lines = [
            (f"Статистика за {self.days} дн." if ru else f"Statistics for {self.days} days"),
            (f"Сообщений: {self.messages}" if ru else f"Messages seen: {self.messages}"),
            (f"Действия: {acts}" if ru else f"Actions: {acts}"),
            ("Правила: " if ru else "Top rules: ")
            + (", ".join(f"{n} {c}" for n, c in self.top_rules) or "—"),
            (
                f"Отменено: {self.overturned}/{self.enforced} ({self.overturn_rate:.0%})"
                if ru
                else f"Overturned: {self.overturned}/{self.enforced} ({self.overturn_rate:.0%})"
            ),
            (
                f"Медиана до решения модератора: {median} мин"
                if ru
                else f"Median time to a decision: {median} min"
            ),
            ("Активные: " if ru else "Most active: ")
            + (", ".join(f"{n} {c}" for n, c in self.active_members) or "—"),
        ]
        return "\n".join(lines)


async def compute(db: Database, community_id: int | None, days: int, now: datetime) -> Stats:
    """Statistics of the last ``days`` days for one community (None: all communities)."""
    since = now - timedelta(days=days)
    async with db.transaction() as session:
        rows = await cases.query(session, community_id=community_id, since=since)
        decided = await escalations.decided(session, community_id, since)
    auto = [c for c in rows if c.source == "auto"]
    actions = Counter(c.action for c in rows if c.action != "allow")
    rules = Counter(name for c in rows for name in c.rule_names)
    enforced = [c for c in auto if c.action in ENFORCED and c.status != "dry_run"]
    waits = [(e.decided_at - e.created_at).total_seconds() / 60 for e in decided if e.decided_at is not None]
    names: dict[str, str] = {}
    activity: Counter[str] = Counter()
    for c in auto:
        if not c.edited:
            activity[c.author_id] += 1
            names[c.author_id] = c.author_name or c.author_id
    return Stats(
        community_id=community_id,
        since=since,
        days=days,
        messages=sum(1 for c in auto if not c.edited),
        actions=dict(actions),
        top_rules=rules.most_common(5),
        overturned=sum(1 for c in enforced if c.status == "overturned"),
        enforced=len(enforced),
        median_decision_minutes=statistics.median(waits) if waits else None,
        active_members=[(names[a], n) for a, n in activity.most_common(5)],
    )
