"""YAML rule text → validated ``RuleSet``. An invalid set is rejected as a whole.

PyYAML's composer gives every node a start mark, so each error names the rule and the line of the
offending key. Values are constructed with the safe constructor (no arbitrary Python objects).
Before any of that, ``safe_yaml`` refuses text that is too large, too deep or uses anchors (see
there for the limits and why).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import yaml

from moderation.errors import RuleError
from moderation.rules.catalog import CHECK_KEYS, build_check, split_key, suggest
from moderation.rules.checks import Check
from moderation.rules.ruleset import ENFORCE, SHADOW, Rule, RuleSet
from moderation.rules.safe_yaml import MAX_FILE_BYTES, MAX_RULE_BYTES, Loader, check_size, check_yaml
from moderation.rules.values import parse_duration, parse_kinds
from moderation.verdict import Action

__all__ = ["RULE_KEYS", "TEMPLATE_FIELDS", "parse_rules"]

RULE_KEYS = frozenset(
    {"name", "priority", "mode", "type", "action", "duration", "reply", "reason", "notify_author"}
    | {"exempt_admins", "comment"}
)
TEMPLATE_FIELDS = frozenset({"author", "match", "rule"})
_PLACEHOLDER = re.compile(r"{{\s*([^{}]*?)\s*}}")
_TIMED = (Action.MUTE, Action.BAN)


def parse_rules(text: str, *, max_bytes: int = MAX_FILE_BYTES) -> RuleSet:
    """Parse a rule set written in YAML: a list of rules, or a single rule mapping.

    Several ``---``-separated documents are accepted and concatenated. Anchors and aliases are
    refused, and so are text over ``max_bytes``, a rule over ``MAX_RULE_BYTES`` and nesting
    deeper than ``MAX_DEPTH`` (``moderation.rules.safe_yaml``).

    Args:
        text: the YAML text.
        max_bytes: the most UTF-8 bytes the whole text may take; ``/rule add`` passes
            ``MAX_RULE_BYTES`` since its text is one rule.

    Returns:
        The validated ``RuleSet``, highest priority first.

    Raises:
        RuleError: naming the rule and line of the first problem found.
    """
    check_size(text, max_bytes, what="the rule text", fix="split it into smaller files")
    check_yaml(text)
    loader = Loader(text)
    rules: list[Rule] = []
    try:
        while loader.check_node():
            doc = loader.get_node()
            if doc is None:
                continue
            for node in _rule_nodes(doc):
                rules.append(_parse_rule(loader, node, text, position=len(rules) + 1))
    except yaml.reader.ReaderError as exc:  # a control character (NUL, …): no mark, a position
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        message = f"character U+{code:04X} is not allowed in YAML ({exc.reason}); remove it"
        raise RuleError(message, line=line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise RuleError(f"not valid YAML ({problem}); check indentation and quoting", line=line) from None
    finally:
        loader.dispose()
    return RuleSet.from_rules(rules)


def _rule_nodes(doc: yaml.Node) -> list[yaml.Node]:
    if isinstance(doc, yaml.SequenceNode):
        return list(doc.value)
    if isinstance(doc, yaml.MappingNode):
        return [doc]
    if isinstance(doc, yaml.ScalarNode) and doc.tag.endswith(":null"):
        return []
    raise RuleError("a rule file is a list of rules (each starting with '- name: ...')", line=_line(doc))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _parse_rule(loader: yaml.SafeLoader, node: yaml.Node, text: str, *, position: int) -> Rule:
    if not isinstance(node, yaml.MappingNode):
        raise RuleError(f"rule #{position} must be a mapping of 'key: value' lines", line=_line(node))
    start, end = node.start_mark.index, node.end_mark.index
    if (end - start) * 4 > MAX_RULE_BYTES:
        check_size(
            text[start:end],
            MAX_RULE_BYTES,
            what=f"rule #{position}",
            fix="shorten its lists, or split it into several rules",
            line=_line(node),
        )
    pairs: dict[str, tuple[yaml.Node, Any]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or not key.strip():
            raise RuleError(f"rule #{position} has a key that is not text", line=_line(key_node))
        if key in pairs:
            raise RuleError(
                f"key {key!r} appears twice; keep one", rule=_name_of(pairs), line=_line(key_node)
            )
        try:
            value = loader.construct_object(value_node, deep=True)
        except ValueError as exc:  # e.g. 2024-13-45 read as a date, or an integer of 5,000 digits
            raise RuleError(
                f"the value of {key!r} cannot be read ({exc}); quote it to make it text",
                rule=_name_of(pairs),
                line=_line(value_node),
            ) from None
        pairs[key] = (key_node, value)

    name = _name_of(pairs)
    if name is None:
        raise RuleError(f"rule #{position} has no name; add 'name: <unique name>'", line=_line(node))

    def fail(message: str, key: str | None = None) -> RuleError:
        line = _line(pairs[key][0]) if key in pairs else _line(node)
        return RuleError(message, rule=name, line=line)

    checks: list[Check] = []
    fields: dict[str, Any] = {}
    for key, (_, value) in pairs.items():
        try:
            negate, check_name, modifiers = split_key(key)
        except ValueError as exc:
            raise fail(str(exc), key) from None
        if check_name in RULE_KEYS and not negate and not modifiers:
            fields[check_name] = value
            continue
        if check_name not in CHECK_KEYS:
            hint = suggest(check_name, CHECK_KEYS | RULE_KEYS)
            raise fail(f"unknown key {key!r}{hint}", key)
        try:
            checks.append(build_check(key, check_name, negate, modifiers, value))
        except ValueError as exc:
            raise fail(str(exc), key) from None

    try:
        rule = _build_rule(name, fields, tuple(sorted(checks, key=lambda c: c.cost)), node)
    except _FieldError as exc:
        raise fail(exc.message, exc.key) from None
    return _with_source(rule, pairs, node, text)


def _name_of(pairs: dict[str, tuple[yaml.Node, Any]]) -> str | None:
    if "name" not in pairs:
        return None
    value = pairs["name"][1]
    return str(value).strip() if value is not None and str(value).strip() else None


class _FieldError(Exception):
    def __init__(self, message: str, key: str) -> None:
        self.message, self.key = message, key


def _build_rule(name: str, fields: dict[str, Any], checks: tuple[Check, ...], node: yaml.Node) -> Rule:
    if "action" not in fields:
        raise _FieldError("missing action; add e.g. 'action: delete' (" + ", ".join(Action) + ")", "name")
    raw_action = str(fields["action"]).strip().lower()
    try:
        action = Action(raw_action)
    except ValueError:
        hint = suggest(raw_action, {a.value for a in Action})
        message = f"unknown action {fields['action']!r}{hint}; use one of: {', '.join(Action)}"
        raise _FieldError(message, "action") from None
    priority = fields.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise _FieldError(f"priority must be a whole number, not {priority!r}", "priority")
    mode = str(fields.get("mode", ENFORCE)).strip().lower()
    if mode not in (ENFORCE, SHADOW):
        raise _FieldError(f"mode must be enforce or shadow, not {fields['mode']!r}", "mode")
    kinds = None
    if "type" in fields:
        raw = fields["type"] if isinstance(fields["type"], list) else [fields["type"]]
        try:
            kinds = parse_kinds(raw)
        except ValueError as exc:
            raise _FieldError(str(exc), "type") from None
    duration = None
    if fields.get("duration") is not None:
        if action not in _TIMED:
            raise _FieldError(
                f"duration only applies to mute and ban, not {action.value}; remove it", "duration"
            )
        try:
            duration = parse_duration(fields["duration"])
        except ValueError as exc:
            raise _FieldError(str(exc), "duration") from None
    reply = _text_field(fields, "reply")
    if reply is not None:
        for placeholder in _PLACEHOLDER.findall(reply):
            if placeholder not in TEMPLATE_FIELDS:
                allowed = ", ".join("{{" + f + "}}" for f in sorted(TEMPLATE_FIELDS))
                raise _FieldError(
                    f"unknown placeholder {{{{{placeholder}}}}} in reply; use {allowed}", "reply"
                )
    if action is Action.REPLY and not reply:
        raise _FieldError("action reply needs a 'reply:' text", "action")
    return Rule(
        name=name,
        action=action,
        checks=checks,
        priority=priority,
        mode=mode,
        kinds=kinds,
        duration=duration,
        reply=reply,
        reason=_text_field(fields, "reason"),
        notify_author=_bool_field(fields, "notify_author", None),
        exempt_admins=bool(_bool_field(fields, "exempt_admins", True)),
        line=_line(node),
    )


def _text_field(fields: dict[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _FieldError(f"{key} must be text (quote it), not {value!r}", key)
    return value


def _bool_field(fields: dict[str, Any], key: str, default: bool | None) -> bool | None:
    value = fields.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise _FieldError(f"{key} must be true or false, not {value!r}", key)
    return value


def _with_source(rule: Rule, pairs: dict[str, tuple[yaml.Node, Any]], node: yaml.Node, text: str) -> Rule:
    # Keep the admin's own text (comments, order, quoting) when the slice stands on its own;
    # otherwise (anchors, odd layouts) fall back to a clean dump of the values.
    mapping = {k: v for k, (_, v) in pairs.items()}
    start, end = node.start_mark.index, node.end_mark.index
    snippet = textwrap.dedent(" " * node.start_mark.column + text[start:end]).strip("\n") + "\n"
    try:
        ok = yaml.load(snippet, Loader=Loader) == mapping
    except (yaml.YAMLError, ValueError):
        ok = False
    if not ok:
        snippet = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
    from dataclasses import replace

    return replace(rule, source=snippet)
