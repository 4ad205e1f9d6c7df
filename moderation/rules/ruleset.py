"""Rules, rule sets and the result of evaluating them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from moderation.errors import RuleError
from moderation.events import EventKind
from moderation.rules.checks import Check
from moderation.verdict import Action

__all__ = ["ENFORCE", "SHADOW", "Rule", "RuleHit", "RuleSet"]

ENFORCE = "enforce"
SHADOW = "shadow"


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One admin-written rule.

    Attributes:
        name: unique within its rule set.
        action: what to do when every check holds.
        checks: all must hold (a rule with none matches every event of its types).
        priority: higher runs first; an ``allow`` rule stops lower-priority rules.
        mode: "enforce" or "shadow" (recorded in ``Verdict.shadow``, never acted on).
        kinds: event kinds the rule applies to; None means all.
        duration: mute/ban length; None for ban means permanent, for mute the policy default.
        reply: reply template with {{author}}, {{match}}, {{rule}}.
        reason: the sentence shown to people; defaults to the checks' details.
        notify_author: None means the policy's default.
        exempt_admins: admins and other exempt authors (see ``Policy``) are skipped.
        source: this rule's YAML text alone; ``parse_rules(source)`` gives it back.
        line: first line of the rule in the text it was parsed from.
    """

    name: str
    action: Action
    checks: tuple[Check, ...] = ()
    priority: int = 0
    mode: str = ENFORCE
    kinds: frozenset[EventKind] | None = None
    duration: timedelta | None = None
    reply: str | None = None
    reason: str | None = None
    notify_author: bool | None = None
    exempt_admins: bool = True
    source: str = ""
    line: int = 0

    @property
    def shadow(self) -> bool:
        return self.mode == SHADOW


@dataclass(frozen=True, slots=True)
class RuleSet:
    """An ordered, validated collection of rules (highest priority first, then file order)."""

    rules: tuple[Rule, ...] = ()

    @classmethod
    def from_rules(cls, rules: Iterable[Rule | str]) -> RuleSet:
        """Build a rule set from rules, or from rule sources (YAML text, e.g. one per DB row).

        Raises:
            RuleError: two rules share a name, or a source is invalid.
        """
        from moderation.rules.parse import parse_rules

        collected: list[Rule] = []
        for item in rules:
            if isinstance(item, str):
                collected.extend(parse_rules(item).rules)
            else:
                collected.append(item)
        seen: set[str] = set()
        for rule in collected:
            if rule.name in seen:
                raise RuleError(
                    "duplicate rule name; give each rule a unique name", rule=rule.name, line=rule.line
                )
            seen.add(rule.name)
        ordered = sorted(enumerate(collected), key=lambda p: (-p[1].priority, p[0]))
        return cls(rules=tuple(r for _, r in ordered))

    def to_yaml(self) -> str:
        """The whole set as one YAML document (a list), re-parseable by ``parse_rules``."""
        parts = []
        for rule in self.rules:
            lines = rule.source.rstrip("\n").splitlines() or ["{}"]
            parts.append("\n".join(["- " + lines[0], *("  " + ln if ln else ln for ln in lines[1:])]))
        return "\n".join(parts) + "\n" if parts else "[]\n"

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule whose checks all held, with each check's explanation."""

    rule: Rule
    details: tuple[str, ...] = ()
    matched: str | None = None
    reply: str | None = field(default=None)

    @property
    def detail(self) -> str:
        return "; ".join(self.details) if self.details else "matched"
