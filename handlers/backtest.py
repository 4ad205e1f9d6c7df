"""Rules backtest: replay stored cases' text through a candidate rule set before going live.

Each automatic case of the period with its text still stored is decided again with the candidate
rules and the community's current policy. The report counts the decisions that would change, with
examples, and where the candidate disagrees with what moderators decided (overturned/approved
cases the candidate would still act on; cases moderators upheld that it would let through).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from config.settings import ModerationSettings
from handlers.planning import ENFORCED
from handlers.policy import policy_for
from models import cases, communities, escalations
from models.db import Database
from moderation.errors import DozorError
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.rules import parse_rules

MAX_EXAMPLES = 10


@dataclass(frozen=True, slots=True)
class Change:
    case_id: int
    text: str
    before: str
    after: str


@dataclass
class BacktestReport:
    """What a candidate rule set would have done differently over ``days`` days."""

    community_id: int
    days: int
    replayed: int = 0
    changed: int = 0
    by_transition: dict[str, int] = field(default_factory=dict)
    examples: list[Change] = field(default_factory=list)
    disagreements: list[Change] = field(default_factory=list)

    def format(self) -> str:
        lines = [
            f"replayed {self.replayed} message(s) of the last {self.days} days: {self.changed} would change"
        ]
        lines += [f"  {k}: {v}" for k, v in sorted(self.by_transition.items())]
        if self.examples:
            lines.append("examples:")
            lines += [f"  #{c.case_id} {c.before} → {c.after}: {c.text[:80]}" for c in self.examples]
        lines.append(f"disagreements with moderators: {len(self.disagreements)}")
        lines += [
            f"  #{c.case_id} moderators: {c.before}, candidate: {c.after}: {c.text[:80]}"
            for c in self.disagreements
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _event(case: cases.CaseRecord, platform: str) -> Event:
    try:
        kind = EventKind(case.kind)
    except ValueError:
        kind = EventKind.SHELL_MESSAGE
    return Event(
        platform=Platform(platform),
        kind=kind,
        community_id=case.chat_id,
        message=MessageRef(case.chat_id, case.message_id or "0", case.thread_id),
        author=Author(id=case.author_id, name=case.author_name),
        text=case.text or "",
        date=case.created_at,
        edited=case.edited,
    )


def _engine_action(case: cases.CaseRecord) -> str:
    """The engine's part of a stored decision: an auto-reply answers, it does not moderate."""
    if (
        case.action == "reply"
        and case.reasons
        and all(isinstance(r, dict) and r.get("kind") == "autoreply" for r in case.reasons)
    ):
        return "allow"
    return case.action


async def backtest(
    db: Database,
    engine: Any,
    community_id: int,
    rules_text: str,
    days: int,
    *,
    settings: ModerationSettings | None = None,
) -> BacktestReport:
    """Replay the last ``days`` days of a community through ``rules_text``.

    Args:
        engine: a ``moderation.engine.Engine`` (its classifier scores the texts again).
        settings: the service-wide defaults the community's policy builds on.

    Raises:
        RuleError: the candidate rules are invalid (naming the rule and line).
        DozorError: there is no such community.
    """
    candidate = parse_rules(rules_text)
    since = datetime.now(UTC) - timedelta(days=days)
    async with db.transaction() as session:
        community = await communities.get(session, community_id)
        if community is None:
            raise DozorError(f"no community with id {community_id}; see `dozor stats` for the ids")
        rows = await cases.query(
            session, community_id=community_id, source="auto", since=since, with_text=True
        )
        decided = {e.case_id: e.resolution for e in await escalations.decided(session, community_id)}
    policy = policy_for(community, settings or ModerationSettings())
    report = BacktestReport(community_id=community_id, days=days)
    for case in rows:
        verdict = engine.decide(
            _event(case, community.platform), rules=candidate, policy=policy, now=case.created_at
        )
        after = verdict.action.value
        before = _engine_action(case)
        report.replayed += 1
        if after != before:
            report.changed += 1
            key = f"{before} → {after}"
            report.by_transition[key] = report.by_transition.get(key, 0) + 1
            if len(report.examples) < MAX_EXAMPLES:
                report.examples.append(Change(case.id, case.text or "", before, after))
        moderators_say_ok = case.status == "overturned" or decided.get(case.id) == "approve"
        moderators_say_bad = case.status == "upheld" or decided.get(case.id) in (
            "delete",
            "ban",
            "mute",
            "spam",
        )
        if moderators_say_ok and after in ENFORCED:
            report.disagreements.append(Change(case.id, case.text or "", "approved", after))
        elif moderators_say_bad and after not in ENFORCED:
            report.disagreements.append(
                Change(case.id, case.text or "", decided.get(case.id) or "upheld", after)
            )
    return report
