"""Moderation statistics of a community (or all): shared by ``/stats`` and ``dozor stats``."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from handlers import activity, shadow
from handlers.i18n import action_name, t
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
        active_members: (name, messages that stayed up) of the five most active members, ranked
            as ``/top`` ranks them (``handlers.activity``: no admins, moderators or bots).
        complaints: escalations opened in the period (flagged, reported, appealed).
        answered: of those, answered from the card or decided by a moderator.
        median_first_answer_minutes: median minutes from escalation to its first answer or decision.
        responders: (moderator, items answered first, their median minutes), most first.
        shadow: each shadow rule's hits and how many of them the moderators overturned.
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
    shadow: list[shadow.ShadowFigure] = field(default_factory=list)

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
        """Human-readable lines in ``language``, the shadow rules' record last."""
        lang = language

        def pairs(items: list[tuple[str, int]]) -> str:
            return ", ".join(f"{name} {n}" for name, n in items) or "—"

        def minutes(value: float | None) -> str:
            return "—" if value is None else f"{value:.1f}"

        acts = [(action_name(lang, k), v) for k, v in sorted(self.actions.items())]
        share = f"{self.answered}/{self.complaints} ({self.answered_share:.0%})"
        who = [t(lang, "stats_responder", name=n, count=c, minutes=f"{m:.0f}") for n, c, m in self.responders]
        lines = [
            t(lang, "stats_title", days=self.days),
            t(lang, "stats_messages", count=self.messages),
            t(lang, "stats_actions", actions=pairs(acts)),
            t(lang, "stats_rules", rules=pairs(self.top_rules)),
            t(lang, "stats_overturned", overturned=self.overturned, enforced=self.enforced,
              rate=f"{self.overturn_rate:.0%}"),
            t(lang, "stats_median", minutes=minutes(self.median_decision_minutes)),
            t(lang, "stats_active", members=pairs(self.active_members)),
            t(lang, "stats_answers", share=share, minutes=minutes(self.median_first_answer_minutes)),
            t(lang, "stats_responders", responders=", ".join(who) or "—"),
        ]  # fmt: skip
        if self.shadow:
            lines += [t(lang, "shadow_head"), *(f"• {shadow.line(lang, f)}" for f in self.shadow)]
        return "\n".join(lines)


async def compute(
    db: Database, community_id: int | None, days: int, now: datetime, *, bot_user_id: str | None = None
) -> Stats:
    """Statistics of the last ``days`` days for one community (None: all communities).

    ``bot_user_id``: Dozor's own account there, never among the active members.
    """
    since = now - timedelta(days=days)
    async with db.transaction() as session:
        rows = await cases.query(session, community_id=community_id, since=since)
        decided = await escalations.decided(session, community_id, since)
        opened = await escalations.created_between(session, community_id, since)
        ranked: list[activity.Activity] = []
        for community in sorted({c.community_id for c in rows}):  # one, or each of all
            ranked += await activity.compute(session, community, since, bot_user_id=bot_user_id)
    auto = [c for c in rows if c.source == "auto"]
    actions = Counter(c.action for c in rows if c.action != "allow")
    rules = Counter(name for c in rows for name in c.rule_names)
    enforced = [c for c in auto if c.action in ENFORCED and c.status != "dry_run"]
    waits = [(e.decided_at - e.created_at).total_seconds() / 60 for e in decided if e.decided_at is not None]
    ranked = activity.rank(ranked)  # several communities (dozor stats without one) in one order
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
        active_members=[(a.name, a.messages) for a in ranked[:5]],
        complaints=len(opened),
        answered=len(complaints),
        median_first_answer_minutes=statistics.median(w for _, w in complaints) if complaints else None,
        responders=responders(complaints),
        shadow=shadow.judge(rows, {e.case_id for e in decided if e.resolution == "approve"}),
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
