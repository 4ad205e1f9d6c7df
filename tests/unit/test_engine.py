"""Engine.decide end to end (pure): rules, scores, ladder, exemptions, shadow mode, totality."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.engine import Engine
from moderation.events import Author, Content, Event, EventKind, MessageRef, Platform
from moderation.features import RecentTexts
from moderation.policy import Policy
from moderation.rules import parse_rules
from moderation.verdict import Action, Reason, Scores

NOW = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
MEMBER = Author("u1", "Вася", message_count=50, first_seen=NOW - timedelta(days=90))
NEWBIE = Author("n1", "Новичок", message_count=0, first_seen=NOW - timedelta(minutes=5))


class FixedScorer:
    def __init__(self, scores: Scores) -> None:
        self.scores = scores

    def score(self, normalized: str) -> Scores:
        return self.scores


class BrokenScorer:
    def score(self, normalized: str) -> Scores:
        raise RuntimeError("model exploded")


def event(text: str, author: Author = MEMBER, **content: object) -> Event:
    return Event(
        Platform.TELEGRAM,
        EventKind.TELEGRAM_MESSAGE,
        "c",
        MessageRef("c", "1"),
        author,
        text,
        NOW,
        content=Content(**content),  # type: ignore[arg-type]
    )


def decide(text: str, *, scores: Scores | None = None, rules: str | None = None, author: Author = MEMBER):
    engine = Engine(FixedScorer(scores) if scores else None)
    return engine.decide(event(text, author), rules=parse_rules(rules) if rules else None, policy=Policy())


@pytest.mark.parametrize(
    ("scores", "author", "text", "action", "deleted", "alert"),
    [
        (Scores(), MEMBER, "привет", Action.ALLOW, False, False),
        (Scores(spam=0.95), MEMBER, "купи", Action.WARN, True, False),
        (Scores(spam=0.65), MEMBER, "купи", Action.ALLOW, False, False),
        (Scores(spam=0.99), NEWBIE, "купи t.me/x", Action.BAN, True, False),
        (Scores(spam=0.99), MEMBER, "купи t.me/x", Action.WARN, True, False),
        (Scores(spam=0.55), NEWBIE, "вступай t.me/+abc", Action.WARN, True, False),  # suspicious newcomer
        (Scores(spam=0.55), NEWBIE, "вступай", Action.ALLOW, False, False),
        (Scores(toxicity=0.9), MEMBER, "ты …", Action.WARN, True, False),
        (Scores(negativity=0.8), MEMBER, "сервис ужасный, верните деньги", Action.ESCALATE, False, True),
        (Scores(negativity=0.8, toxicity=0.9), MEMBER, "…", Action.WARN, True, False),  # abuse, not complaint
        (Scores(spam=0.99, toxicity=0.99), Author("a", is_admin=True), "x", Action.ALLOW, False, False),
        # a complaint with a link or a brand is not deleted for its spam score; a person decides
        (
            Scores(spam=0.9, negativity=0.8),
            MEMBER,
            "заказ не пришёл https://shop.example/o/1",
            Action.ESCALATE,
            False,
            True,
        ),
        (
            Scores(spam=0.6, negativity=0.8),
            NEWBIE,
            "@brand верните деньги bit.ly/x",
            Action.ESCALATE,
            False,
            True,
        ),
        (Scores(spam=0.99, negativity=0.8), NEWBIE, "устали от долгов? t.me/x", Action.BAN, True, False),
        (Scores(spam=0.99, negativity=0.8), MEMBER, "устали от долгов? пиши", Action.WARN, True, False),
        (Scores(spam=0.9, negativity=0.8, toxicity=0.9), MEMBER, "…", Action.WARN, True, False),
    ],
)
def test_default_policy(
    scores: Scores, author: Author, text: str, action: Action, deleted: bool, alert: bool
) -> None:
    v = decide(text, scores=scores, author=author)
    assert (v.action, v.delete_message, v.alert_moderators) == (action, deleted, alert)


def test_reasons_name_scores_and_thresholds() -> None:
    v = decide("x", scores=Scores(spam=0.97))
    assert v.reasons[0].kind == "score" and "0.97 ≥ 0.70" in v.reasons[0].detail
    assert v.scores.spam == 0.97
    assert v.notify_author is True


@pytest.mark.parametrize(
    ("warnings", "action", "duration"),
    [
        (0, Action.WARN, None),
        (1, Action.WARN, None),
        (2, Action.MUTE, timedelta(hours=24)),
        (4, Action.BAN, None),
    ],
)
def test_ladder_applies_to_warnings(warnings: int, action: Action, duration: timedelta | None) -> None:
    author = Author("u", message_count=50, warnings=warnings)
    v = decide("x", scores=Scores(spam=0.95), author=author)
    assert (v.action, v.duration) == (action, duration)
    if action is not Action.WARN:
        assert any(r.kind == "ladder" for r in v.reasons)


def test_rule_warn_goes_through_the_ladder() -> None:
    author = Author("u", message_count=50, warnings=2)
    v = decide("казино", rules="- {name: c, body: [казино], action: warn}", author=author)
    assert v.action is Action.MUTE
    assert [r.kind for r in v.reasons] == ["rule", "ladder"]


RULES = """
- name: casino
  priority: 5
  body: [казино]
  action: delete
  reason: casino ads
- name: flood
  repeated: ">= 3"
  action: mute
  duration: 2h
- name: greet
  body: [привет]
  action: reply
  reply: "Привет, {{author}}!"
- name: complaint
  body: [верните деньги]
  action: escalate
- name: maybe-ban
  mode: shadow
  body: [казино]
  action: ban
- name: trusted-domain
  priority: 100
  domain: [example.org]
  action: allow
"""


@pytest.mark.parametrize(
    ("text", "action", "duration", "first_reason"),
    [
        ("Играй в KA3ИНО", Action.DELETE, None, "casino"),
        ("привет всем", Action.REPLY, None, "greet"),
        ("верните деньги", Action.ESCALATE, None, "complaint"),
        ("привет, казино тут", Action.DELETE, None, "casino"),  # most severe wins
        ("казино на example.org", Action.ALLOW, None, None),  # allow at priority 100 stops the rest
    ],
)
def test_rules_in_engine(
    text: str, action: Action, duration: timedelta | None, first_reason: str | None
) -> None:
    # High spam where the rule outranks (delete) or stops (allow) the score policy.
    spam = 0.99 if action in (Action.DELETE, Action.ALLOW) else 0.0
    v = decide(text, rules=RULES, scores=Scores(spam=spam))
    assert v.action is action
    assert v.duration == duration
    if first_reason:
        assert v.reasons[0].name == first_reason


def test_reply_verdict_and_shadow_rules_are_recorded_not_acted_on() -> None:
    v = decide("привет", rules=RULES)
    assert v.reply == "Привет, Вася!"
    v = decide("казино", rules=RULES)
    assert v.action is Action.DELETE
    assert [r.name for r in v.shadow] == ["maybe-ban"]
    assert "would ban" in v.shadow[0].detail
    assert "[shadow] maybe-ban" in v.explain()


def test_only_shadow_hit_allows() -> None:
    v = decide("казино", rules="- {name: s, mode: shadow, body: [казино], action: ban}")
    assert v.action is Action.ALLOW and len(v.shadow) == 1


def test_mute_duration_from_rule_or_policy() -> None:
    engine = Engine()
    rules = parse_rules(RULES)
    recent = RecentTexts()
    verdicts = [
        engine.decide(event("одно и то же сообщение"), rules=rules, policy=Policy(), recent=recent)
        for _ in range(3)
    ]
    assert [v.action for v in verdicts] == [Action.ALLOW, Action.ALLOW, Action.MUTE]
    assert verdicts[-1].duration == timedelta(hours=2)
    v = decide("x", rules="- {name: m, body: [x], action: mute}")
    assert v.duration == Policy().mute_duration


def test_exempt_authors_skip_rules_unless_rule_opts_in() -> None:
    admin = Author("a", is_admin=True)
    assert decide("казино", rules=RULES, author=admin).action is Action.ALLOW
    rules = "- {name: all, body: [казино], action: delete, exempt_admins: false}"
    assert decide("казино", rules=rules, author=admin).action is Action.DELETE


def test_regex_timeout_through_engine() -> None:
    v = decide("a" * 50_000 + "!", rules="- {name: evil, body (regex): '(a+)+$', action: ban}")
    assert v.action is Action.ALLOW
    assert any(r.kind == "error" and r.detail == "pattern timed out" for r in v.reasons)


def test_broken_scorer_does_not_stop_rules() -> None:
    v = Engine(BrokenScorer()).decide(event("казино"), rules=parse_rules(RULES), policy=Policy())
    assert v.action is Action.DELETE
    assert any(r.kind == "error" and r.name == "classifier" for r in v.reasons)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from([MEMBER, NEWBIE, Author("a", is_admin=True)]))
def test_decide_is_total(text: str, author: Author) -> None:
    rules = parse_rules(RULES)
    v = Engine(FixedScorer(Scores(spam=0.5))).decide(
        event(text, author), rules=rules, policy=Policy(), recent=RecentTexts()
    )
    assert isinstance(v.action, Action)
    v.explain()


def test_reasons_and_scores_are_stored_whole() -> None:
    """``as_dict`` is ``dataclasses.asdict`` without the deep copy: a field added later must not
    be left out of the stored case."""
    reason = Reason("rule", "casino", "matched", "casino", "rule", {"action": "delete", "n": 2})
    assert reason.as_dict() == asdict(reason)
    assert reason.as_dict()["params"] is not reason.params  # the stored copy is its own
    scores = Scores(0.9, 0.1, 0.2)
    assert scores.as_dict() == asdict(scores)
