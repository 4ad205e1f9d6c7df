"""Parsing rule sets: the accepted grammar, and invalid sets rejected whole with rule + line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from moderation.errors import RuleError
from moderation.events import EventKind
from moderation.rules import MAX_DEPTH, MAX_FILE_BYTES, MAX_RULE_BYTES, RuleSet, parse_rules
from moderation.verdict import Action
from tests import hostile

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rules.example.yaml"

GOOD = """\
# a comment before
- name: low
  body: [казино]
  action: delete
- name: high
  priority: 10
  mode: shadow
  type: [telegram, vk_comment]
  ~author.is_trusted: true
  body (includes, case-sensitive): "FREE"
  action: mute
  duration: 1h30m
  reason: testing
  notify_author: false
- {name: flow-style, action: reply, reply: "hi {{author}}, {{match}} ({{rule}})"}
"""


def test_parse_good_set() -> None:
    rules = parse_rules(GOOD)
    assert [r.name for r in rules.rules] == ["high", "low", "flow-style"]
    high = rules.get("high")
    assert high is not None
    assert (high.mode, high.priority, high.action, high.duration) == (
        "shadow",
        10,
        Action.MUTE,
        timedelta(hours=1, minutes=30),
    )
    assert high.kinds is not None and EventKind.VK_WALL_COMMENT in high.kinds
    assert EventKind.VK_CHAT_MESSAGE not in high.kinds
    assert high.notify_author is False and high.reason == "testing"
    assert high.line == 5


def test_single_mapping_and_empty_documents() -> None:
    assert [r.name for r in parse_rules("name: one\naction: warn\n").rules] == ["one"]
    assert len(parse_rules("")) == 0
    assert len(parse_rules("---\n- {name: a, action: warn}\n---\n- {name: b, action: ban}\n")) == 2


def test_each_rule_source_reparses_to_the_same_rule() -> None:
    rules = parse_rules(GOOD)
    for rule in rules.rules:
        again = parse_rules(rule.source).rules
        assert len(again) == 1
        assert (again[0].name, again[0].action, again[0].priority, again[0].mode) == (
            rule.name,
            rule.action,
            rule.priority,
            rule.mode,
        )
    rebuilt = RuleSet.from_rules(r.source for r in rules.rules)
    assert [r.name for r in rebuilt.rules] == [r.name for r in rules.rules]
    assert [r.name for r in parse_rules(rules.to_yaml()).rules] == [r.name for r in rules.rules]


def test_source_keeps_comments_and_text() -> None:
    rule = parse_rules("- name: x  # why\n  body: [a b]\n  action: warn\n").rules[0]
    assert "# why" in rule.source


def test_example_file_is_valid() -> None:
    rules = parse_rules(EXAMPLE.read_text(encoding="utf-8"))
    assert len(rules) >= 10


def test_from_rules_rejects_duplicates() -> None:
    a = parse_rules("- {name: a, action: warn}").rules[0]
    with pytest.raises(RuleError, match="duplicate"):
        RuleSet.from_rules([a, a])


@pytest.mark.parametrize(
    ("text", "rule", "line", "words"),
    [
        ("- name: a\n  action: warn\n- name: a\n  action: ban\n", "a", 3, "duplicate rule name"),
        ("- name: a\n  bdy: x\n  action: warn\n", "a", 2, "did you mean 'body'"),
        ("- name: a\n  body (inclodes-word): x\n  action: warn\n", "a", 2, "unknown modifier"),
        ("- name: a\n  body (includes, regex): x\n  action: warn\n", "a", 2, "choose one match modifier"),
        ("- name: a\n  links (includes): '> 2'\n  action: warn\n", "a", 2, "takes no modifiers"),
        ("- name: a\n  links: 3\n  action: warn\n", "a", 2, "bad comparison"),
        ("- name: a\n  links: '>> 3'\n  action: warn\n", "a", 2, "bad comparison"),
        ("- name: a\n  author.account_age: '< soon'\n  action: warn\n", "a", 2, "duration"),
        ("- name: a\n  action: mute\n  duration: 5 years\n", "a", 3, "bad duration"),
        ("- name: a\n  action: warn\n  duration: 1h\n", "a", 3, "only applies to mute and ban"),
        ("- name: a\n  body (regex): '(unclosed'\n  action: warn\n", "a", 2, "bad regex"),
        ("- name: a\n  body: x\n", "a", 1, "missing action"),
        ("- name: a\n  action: nuke\n", "a", 2, "unknown action"),
        ("- name: a\n  action: warn\n  mode: loud\n", "a", 3, "enforce or shadow"),
        ("- name: a\n  action: warn\n  priority: high\n", "a", 3, "whole number"),
        ("- name: a\n  action: warn\n  type: [myspace]\n", "a", 3, "unknown type"),
        ("- name: a\n  action: reply\n", "a", 2, "needs a 'reply:'"),
        ("- name: a\n  action: warn\n  reply: '{{user}}'\n", "a", 3, "unknown placeholder"),
        ("- name: a\n  action: warn\n  forwarded: yes please\n", "a", 3, "true or false"),
        ("- name: a\n  action: warn\n  body: '🔥'\n", "a", 3, "case-sensitive"),
        ("- name: a\n  action: warn\n  action: ban\n", "a", 3, "appears twice"),
        ("- name: a\n  action: warn\n  notify_author: maybe\n", "a", 3, "true or false"),
        ("- name: ok\n  action: warn\n- body: x\n  action: warn\n", None, 3, "has no name"),
        ("- just a string\n", None, 1, "must be a mapping"),
        ("- name: a\n  action: [warn\n", None, 3, "not valid YAML"),
        ("42\n", None, 1, "list of rules"),
    ],
)
def test_invalid_sets_name_rule_and_line(text: str, rule: str | None, line: int, words: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_rules(text)
    err = info.value
    assert err.rule == rule
    assert err.line == line
    assert words in str(err)
    if rule:
        assert f"rule {rule!r}" in str(err) and f"line {line}" in str(err)


def test_one_bad_rule_rejects_the_whole_set() -> None:
    text = "- name: good\n  action: warn\n- name: bad\n  links: 'lots'\n  action: warn\n"
    with pytest.raises(RuleError, match="rule 'bad', line 4"):
        parse_rules(text)


def _nested(levels: int) -> str:
    """A rule whose ``comment`` adds ``levels`` flow lists under the rule list and the rule."""
    return "- name: n\n  action: warn\n  comment: " + "[" * levels + "x" + "]" * levels + "\n"


_BIG_RULE = "- name: big\n  action: warn\n  body: [" + ", ".join(f"w{i:05}" for i in range(12_000)) + "]\n"


@pytest.mark.parametrize(
    ("text", "max_bytes", "line", "words"),
    [
        (hostile.billion_laughs(), MAX_FILE_BYTES, 4, "anchors and aliases"),
        ("- name: a\n  body: &w [x]\n  action: warn\n", MAX_FILE_BYTES, 2, "anchors and aliases"),
        ("- &r {name: a, action: warn}\n- *r\n", MAX_FILE_BYTES, 1, "anchors and aliases"),
        ("- name: a\n  action: warn\n  <<: *base\n", MAX_FILE_BYTES, 3, "anchors and aliases"),
        (hostile.deeply_nested_yaml(), MAX_FILE_BYTES, 3, f"more than {MAX_DEPTH} levels"),
        (_nested(MAX_DEPTH - 1), MAX_FILE_BYTES, 3, f"more than {MAX_DEPTH} levels"),
        ("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 40)), MAX_FILE_BYTES, 21, "levels"),
        (hostile.large_rule_file(), MAX_FILE_BYTES, None, "limit is 1024 KB"),
        (_BIG_RULE, MAX_FILE_BYTES, 1, "rule #1 is 94 KB; the limit is 64 KB"),
        (_BIG_RULE, MAX_RULE_BYTES, None, "the rule text is 94 KB; the limit is 64 KB"),
        ("- name: a\n  action: warn\n  comment: 2024-13-45\n", MAX_FILE_BYTES, 3, "quote it"),
        ("- name: a\n  action: warn\n  priority: " + "9" * 5000 + "\n", MAX_FILE_BYTES, 3, "quote it"),
        ("- name: a\n  action: warn\n  reason: '\ud800'\n", MAX_FILE_BYTES, None, "not valid Unicode"),
        ("- name: a\n  action: warn\n  reason: '\x00'\n", MAX_FILE_BYTES, 3, "is not allowed"),
    ],
    ids=[
        "billion-laughs",
        "anchor",
        "alias-of-a-rule",
        "merge-key",
        "9KB-deep-flow",
        "one-level-too-deep",
        "deep-block",
        "2MB-file",
        "rule-over-64KB",
        "rule-add-over-64KB",
        "impossible-date",
        "5000-digit-int",
        "lone-surrogate",
        "nul",
    ],
)
def test_hostile_yaml_is_refused_with_what_to_fix(
    text: str, max_bytes: int, line: int | None, words: str
) -> None:
    with pytest.raises(RuleError) as info:
        parse_rules(text, max_bytes=max_bytes)
    assert words in str(info.value)
    assert info.value.line == line


def test_the_deepest_nesting_allowed_and_a_rule_just_under_the_limit_parse() -> None:
    assert parse_rules(_nested(MAX_DEPTH - 2)).rules[0].name == "n"
    rule = "- name: fits\n  action: warn\n  body: [" + ", ".join(f"w{i:05}" for i in range(8000)) + "]\n"
    assert 60 * 1024 < len(rule) <= MAX_RULE_BYTES
    assert parse_rules(rule, max_bytes=MAX_RULE_BYTES).rules[0].name == "fits"


def test_source_slices_stay_right_after_astral_characters() -> None:
    text = "# 🔥🔥\n- name: a\n  body (case-sensitive): ['🔥']\n  action: warn\n- name: b\n  action: ban\n"
    a, b = parse_rules(text).rules
    assert a.source == "name: a\nbody (case-sensitive): ['🔥']\naction: warn\n"
    assert b.source == "name: b\naction: ban\n"
