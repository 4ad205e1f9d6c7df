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
from models.escalations import EscalationRecord


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
        complaints: escalations opened in the period (flagged, reported, appealed).
        answered: of those, answered from the card or decided by a moderator.
        median_first_answer_minutes: median minutes from escalation to its first answer or decision.
        responders: (moderator, items answered first, their median minutes), most first.
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
    complaints: int = 0
    answered: int = 0
    median_first_answer_minutes: float | None = None
    responders: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def overturn_rate(self) -> float:
        return self.overturned / self.enforced if self.enforced else 0.0

    @property
    def answered_share(self) -> float:
        return self.answered / self.complaints if self.complaints else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat()
        data["overturn_rate"] = round(self.overturn_rate, 4)
        data["answered_share"] = round(self.answered_share, 4)
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
            self._answers_line(ru),
            ("Отвечали: " if ru else "Answered by: ")
            + (", ".join(f"{n} {c} ({m:.0f} мин)" if ru else f"{n} {c} ({m:.0f} min)"
                         for n, c, m in self.responders) or "—"),
        ]  # fmt: skip
        return "\n".join(lines)

    def _answers_line(self, ru: bool) -> str:
        median = (
            "—" if self.median_first_answer_minutes is None else f"{self.median_first_answer_minutes:.1f}"
        )
        share = f"{self.answered}/{self.complaints} ({self.answered_share:.0%})"
        if ru:
            return f"Обращений с ответом: {share}; медиана до первого ответа: {median} мин"
        return f"Complaints answered: {share}; median time to first answer: {median} min"


async def compute(db: Database, community_id: int | None, days: int, now: datetime) -> Stats:
    """Statistics of the last ``days`` days for one community (None: all communities)."""
    since = now - timedelta(days=days)
    async with db.transaction() as session:
        rows = await cases.query(session, community_id=community_id, since=since)
        decided = await escalations.decided(session, community_id, since)
        opened = await escalations.created_between(session, community_id, since)
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
    complaints = first_answers(opened)
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
        complaints=len(opened),
        answered=len(complaints),
        median_first_answer_minutes=statistics.median(w for _, w in complaints) if complaints else None,
        responders=responders(complaints),
    )


def first_answers(opened: list[EscalationRecord]) -> list[tuple[str, float]]:
    """(who, minutes) of the first answer or decision of each escalation that has one."""
    result = []
    for e in opened:
        options = [
            (at, name or by or "?")
            for at, by, name in (
                (e.answered_at, e.answered_by, e.answered_by_name),
                (e.decided_at, e.decided_by, e.decided_by_name),
            )
            if at is not None
        ]
        if options:
            at, who = min(options, key=lambda o: o[0])
            result.append((who, (at - e.created_at).total_seconds() / 60))
    return result


def responders(firsts: list[tuple[str, float]]) -> list[tuple[str, int, float]]:
    """Per moderator: how many items they answered first, and their median minutes."""
    waits: dict[str, list[float]] = {}
    for who, minutes in firsts:
        waits.setdefault(who, []).append(minutes)
    ranked = sorted(waits.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(who, len(w), round(statistics.median(w), 1)) for who, w in ranked]
