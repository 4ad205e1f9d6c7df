"""Policy settings: defaults, the warn ladder, warning expiry, exemptions, storage round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moderation.errors import ConfigError
from moderation.events import Author
from moderation.policy import LadderStep, Policy, live_warnings
from moderation.verdict import Action

NOW = datetime(2025, 1, 10, tzinfo=UTC)


def test_defaults() -> None:
    p = Policy()
    assert (p.spam, p.toxicity, p.negativity) == (0.70, 0.80, 0.70)
    assert p.warning_ttl == timedelta(days=30)
    assert p.exempt_admins and p.exempt_anonymous_admins and p.exempt_trusted


@pytest.mark.parametrize(
    ("live", "action", "duration"),
    [
        (0, Action.WARN, None),
        (1, Action.WARN, None),
        (2, Action.MUTE, timedelta(hours=24)),  # this is the 3rd live warning
        (3, Action.MUTE, timedelta(hours=24)),
        (4, Action.BAN, None),
        (10, Action.BAN, None),
    ],
)
def test_default_ladder(live: int, action: Action, duration: timedelta | None) -> None:
    step = Policy().ladder_step(live)
    assert (step.action, step.duration) == (action, duration)


def test_custom_ladder_and_default_mute_duration() -> None:
    p = Policy(ladder=(LadderStep(2, Action.MUTE),), mute_duration=timedelta(hours=2))
    assert p.ladder_step(0).action is Action.WARN
    assert (p.ladder_step(1).action, p.ladder_step(1).duration) == (Action.MUTE, timedelta(hours=2))


@pytest.mark.parametrize(
    ("ages", "live"),
    [
        ([], 0),
        ([timedelta(days=1)], 1),
        ([timedelta(days=29, hours=23)], 1),
        ([timedelta(days=30)], 0),  # expiry is exclusive: exactly TTL old is gone
        ([timedelta(days=31), timedelta(days=2), timedelta(hours=1)], 2),
        ([-timedelta(days=1)], 0),  # issued in the future does not count
    ],
)
def test_live_warnings_expire_after_ttl(ages: list[timedelta], live: int) -> None:
    assert live_warnings([NOW - a for a in ages], NOW, Policy().warning_ttl) == live


@pytest.mark.parametrize(
    ("author", "policy", "exempt"),
    [
        (Author("a", is_admin=True), Policy(), True),
        (Author("a", is_anonymous_admin=True), Policy(), True),
        (Author("a", is_trusted=True), Policy(), True),
        (Author("a"), Policy(), False),
        (Author("a", is_admin=True), Policy(exempt_admins=False), False),
        (Author("a", is_trusted=True), Policy(exempt_trusted=False), False),
    ],
)
def test_exemptions(author: Author, policy: Policy, exempt: bool) -> None:
    assert policy.is_exempt(author) is exempt


def test_mapping_round_trip() -> None:
    p = Policy(spam=0.8, negativity=None, ladder=(LadderStep(2, Action.MUTE, timedelta(hours=1)),))
    assert Policy.from_mapping(p.to_mapping()) == p
    assert Policy.from_mapping({}) == Policy()
    assert Policy.from_mapping({"warning_ttl": "7d"}).warning_ttl == timedelta(days=7)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"spam_threshold": 0.5}, "unknown policy setting"),
        ({"spam": 1.5}, "between 0 and 1"),
        ({"spam": "high"}, "number"),
        ({"warning_ttl": "forever"}, "bad duration"),
        ({"ladder": [{"warnings": 2, "action": "delete"}]}, "warn, mute or ban"),
        ({"ladder": [{"warnings": 3, "action": "mute"}, {"warnings": 2, "action": "ban"}]}, "increasing"),
        ({"ladder": [{"action": "mute"}]}, "needs 'warnings'"),
        ({"exempt_admins": "yes"}, "true or false"),
        ({"newcomer_messages": 2.5}, "whole number"),
    ],
)
def test_invalid_mapping(data: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        Policy.from_mapping(data)
