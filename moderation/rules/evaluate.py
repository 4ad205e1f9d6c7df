"""Running a rule set against one event: which rules hit, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.rules.checks import Facts
from moderation.rules.ruleset import SHADOW, Rule, RuleHit, RuleSet
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


def evaluate(rules: RuleSet, ctx: Facts, *, exempt: bool = False) -> Evaluation:
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
    kind = ctx.event.kind
    for rule in rules.rules:
        shadow_rule = rule.mode == SHADOW
        if allowed_by is not None and not shadow_rule:
            continue
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        if exempt and rule.exempt_admins:
            continue
        if not _holds(rule, ctx, errors):
            continue
        hit = _explain(rule, ctx, errors)
        if hit is None:
            continue
        if shadow_rule:
            shadow.append(hit)
            continue
        hits.append(hit)
        if rule.action is Action.ALLOW:
            allowed_by = hit
    return Evaluation(tuple(hits), tuple(shadow), tuple(errors), allowed_by)


def _holds(rule: Rule, ctx: Facts, errors: list[Reason]) -> bool:
    # The cheap pass: plain booleans, checks in cost order, stop at the first that fails.
    for check in rule.checks:
        ok = check.test(ctx)
        if ok is None:
            result = check(ctx)
            if result.error is not None:
                errors.append(_error(rule, result.error, check.key))
                return False
            ok = result.ok
        if not ok:
            return False
    return True


def _explain(rule: Rule, ctx: Facts, errors: list[Reason]) -> RuleHit | None:
    # Only for a rule whose checks all held: run them again for their explanations. A regex
    # check may time out on this second run; then the rule does not hit, as on the first.
    details: list[str] = []
    matched: str | None = None
    for check in rule.checks:
        result = check(ctx)
        if result.error is not None:
            errors.append(_error(rule, result.error, check.key))
            return None
        if not result.ok:
            return None
        details.append(result.detail)
        if matched is None:
            matched = result.matched
    reply = render_template(rule.reply, ctx, rule.name, matched) if rule.reply else None
    return RuleHit(rule=rule, details=tuple(details), matched=matched, reply=reply)


def _error(rule: Rule, error: str, key: str) -> Reason:
    return Reason("error", rule.name, error, key, code="error", params={"name": rule.name})


def render_template(template: str, ctx: Facts, rule: str, matched: str | None) -> str:
    """Fill ``{{author}}``, ``{{match}}`` and ``{{rule}}`` in a reply template."""
    author = ctx.event.author
    values = {"author": author.name or author.id, "match": matched or "", "rule": rule}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
