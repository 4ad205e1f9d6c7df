"""The rule language community admins write in YAML (see ``config/rules.example.yaml``).

A rule set is a list of rules; each rule is a mapping of checks (ANDed; list values ORed; ``~``
negates a check) plus an action. ``parse_rules`` validates a whole set or rejects it with a
``RuleError`` naming the rule and line; ``evaluate`` runs it against one event and explains
every hit. Rule text is hostile input: ``safe_yaml`` holds the limits on size, nesting and
anchors that ``parse_rules`` enforces before building anything.
"""

from moderation.rules.checks import REGEX_TIMEOUT, CheckResult, Facts
from moderation.rules.evaluate import Evaluation, evaluate, render_template
from moderation.rules.parse import parse_rules
from moderation.rules.ruleset import ENFORCE, SHADOW, Rule, RuleHit, RuleSet
from moderation.rules.safe_yaml import MAX_DEPTH, MAX_FILE_BYTES, MAX_RULE_BYTES
from moderation.rules.values import format_duration, parse_comparison, parse_duration

__all__ = [
    "ENFORCE",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_RULE_BYTES",
    "REGEX_TIMEOUT",
    "SHADOW",
    "CheckResult",
    "Evaluation",
    "Facts",
    "Rule",
    "RuleHit",
    "RuleSet",
    "evaluate",
    "format_duration",
    "parse_comparison",
    "parse_duration",
    "parse_rules",
    "render_template",
]
