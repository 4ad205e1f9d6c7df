"""Running a rule set against one event: which rules hit, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.rules.checks import Context
from moderation.rules.model import RuleHit, RuleSet
from moderation.verdict import Action, Reason

__all__ = ["Evaluation", "evaluate", "render_template"]

_PLACEHOLDER = re.compile(r"{{\s*(author|match|rule)\s*}}")


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What a rule set said about one event.

    Attributes:
        hits: enforce-mode rules that hit, highest priority first.
        shadow: shadow-mode rules that hit (recorded, never acted on).
        errors: checks that could not be decided (e.g. a regex that timed out).
        allowed_by: the ``allow`` rule that stopped lower-priority rules and the score policy.
    """

    hits: tuple[RuleHit, ...] = ()
    shadow: tuple[RuleHit, ...] = ()
    errors: tuple[Reason, ...] = ()
    allowed_by: RuleHit | None = None


def evaluate(rules: RuleSet, ctx: Context, *, exempt: bool = False) -> Evaluation:
    """Evaluate every applicable rule in priority order.

    Args:
        rules: the community's rules.
        ctx: the event with its features and scores.
        exempt: the author is exempt (admin, trusted …); rules with ``exempt_admins`` skip them.

    Returns:
        The ``Evaluation``. Shadow rules are evaluated even after an ``allow`` rule stops the rest.
    """
    hits: list[RuleHit] = []
    shadow: list[RuleHit] = []
    errors: list[Reason] = []
    allowed_by: RuleHit | None = None
    for rule in rules.rules:
        if allowed_by is not None and not rule.shadow:
            continue
        if rule.kinds is not None and ctx.event.kind not in rule.kinds:
            continue
        if exempt and rule.exempt_admins:
            continue
        details: list[str] = []
        matched: str | None = None
        for check in rule.checks:
            result = check(ctx)
            if result.error is not None:
                errors.append(Reason(kind="error", name=rule.name, detail=result.error, matched=check.key))
                break
            if not result.ok:
                break
            details.append(result.detail)
            if matched is None:
                matched = result.matched
        else:
            reply = render_template(rule.reply, ctx, rule.name, matched) if rule.reply else None
            hit = RuleHit(rule=rule, details=tuple(details), matched=matched, reply=reply)
            if rule.shadow:
                shadow.append(hit)
                continue
            hits.append(hit)
            if rule.action is Action.ALLOW:
                allowed_by = hit
    return Evaluation(tuple(hits), tuple(shadow), tuple(errors), allowed_by)


def render_template(template: str, ctx: Context, rule: str, matched: str | None) -> str:
    """Fill ``{{author}}``, ``{{match}}`` and ``{{rule}}`` in a reply template."""
    author = ctx.event.author
    values = {"author": author.name or author.id, "match": matched or "", "rule": rule}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
