"""Per-community moderation settings and the built-in policy that applies classifier scores.

The built-in policy (used with or without admin rules):

* spam ≥ ``spam`` threshold → delete + warn, escalated by the warn ladder; very high spam
  (≥ ``spam_ban``) from a newcomer posting links → ban.
* a newcomer posting an invite link or a shortened link is suspicious: the spam threshold drops
  to ``suspicious_spam``.
* toxicity ≥ ``toxicity`` threshold → delete + warn, escalated by the ladder.
* negativity ≥ ``negativity`` threshold that is not abuse (below the toxicity threshold): a
  complaint deserves a human answer → escalate to moderators; never deleted. That holds when its
  spam score is high too (complaints carry links, brand names and prices), unless the spam score
  reaches ``spam_ban``: then it is spam that merely sounds unhappy.

A threshold set to ``None`` switches that part off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from moderation.errors import ConfigError
from moderation.events import Author
from moderation.rules.values import format_duration, parse_duration
from moderation.verdict import Action

__all__ = ["LadderStep", "Policy", "live_warnings"]

_LADDER_ACTIONS = (Action.WARN, Action.MUTE, Action.BAN)


@dataclass(frozen=True, slots=True)
class LadderStep:
    """From ``warnings`` live warnings on (this offence included), a warning becomes ``action``.

    Attributes:
        warnings: live warnings, counting the one being issued now (≥ 1).
        action: warn, mute or ban.
        duration: for mute/ban; None means the policy's mute duration, or a permanent ban.
    """

    warnings: int
    action: Action
    duration: timedelta | None = None


def _default_ladder() -> tuple[LadderStep, ...]:
    return (LadderStep(3, Action.MUTE, timedelta(hours=24)), LadderStep(5, Action.BAN, None))


@dataclass(frozen=True, slots=True)
class Policy:
    """Per-community settings; the defaults work for a community that configured nothing.

    Attributes:
        spam: spam score at or above which a message is spam.
        suspicious_spam: the spam threshold for newcomers posting invite or shortened links.
        spam_ban: spam score at which a newcomer posting links is banned outright.
        toxicity: toxicity score at or above which a message is abuse.
        negativity: negativity score at or above which a (non-abusive) message is escalated.
        ladder: how live warnings escalate; offences below the first step are plain warnings.
        warning_ttl: how long a warning stays live.
        mute_duration: length of a mute when neither the rule nor the ladder step says.
        exempt_admins / exempt_anonymous_admins / exempt_trusted: who the policy and
            rules (unless a rule says ``exempt_admins: false``) leave alone.
        newcomer_messages: authors with fewer earlier messages are newcomers.
        newcomer_period: authors first seen less than this long ago are newcomers.
        notify_author: tell authors why their message was removed (rules may override).
        hold_newcomers: hide newcomers' comments until a moderator decides (raid mode where the
            platform cannot hold newcomers at the door).
    """

    spam: float | None = 0.70
    suspicious_spam: float | None = 0.50
    spam_ban: float | None = 0.98
    toxicity: float | None = 0.80
    negativity: float | None = 0.70
    ladder: tuple[LadderStep, ...] = field(default_factory=_default_ladder)
    warning_ttl: timedelta = timedelta(days=30)
    mute_duration: timedelta = timedelta(hours=24)
    exempt_admins: bool = True
    exempt_anonymous_admins: bool = True
    exempt_trusted: bool = True
    newcomer_messages: int = 5
    newcomer_period: timedelta = timedelta(days=1)
    notify_author: bool = True
    hold_newcomers: bool = False

    def __post_init__(self) -> None:
        for name in ("spam", "suspicious_spam", "spam_ban", "toxicity", "negativity"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise ConfigError(
                    f"policy {name} threshold {value!r} must be between 0 and 1 (or null to disable)"
                )
        previous = 0
        for step in self.ladder:
            if step.action not in _LADDER_ACTIONS:
                raise ConfigError(f"ladder step action {step.action.value!r} must be warn, mute or ban")
            if step.warnings <= previous:
                raise ConfigError("ladder steps must have increasing warning counts, starting at 1 or more")
            previous = step.warnings
        if self.warning_ttl <= timedelta(0) or self.mute_duration <= timedelta(0):
            raise ConfigError("warning_ttl and mute_duration must be positive durations such as 30d or 1h")
        if self.newcomer_messages < 0:
            raise ConfigError("newcomer_messages cannot be negative")

    def is_exempt(self, author: Author) -> bool:
        """Whether the policy and admin-exempt rules leave this author alone."""
        return (
            (self.exempt_admins and author.is_admin)
            or (self.exempt_anonymous_admins and author.is_anonymous_admin)
            or (self.exempt_trusted and author.is_trusted)
        )

    def ladder_step(self, live: int) -> LadderStep:
        """What a warning becomes when the author already has ``live`` live warnings.

        Args:
            live: unexpired warnings before this offence.

        Returns:
            The applicable step for ``live + 1`` warnings (a plain warning below the first step).
        """
        count = live + 1
        chosen = LadderStep(1, Action.WARN, None)
        for step in self.ladder:
            if count >= step.warnings:
                chosen = step
        if chosen.action is Action.MUTE and chosen.duration is None:
            chosen = replace(chosen, duration=self.mute_duration)
        return chosen

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Policy:
        """Build a policy from stored JSON (unknown keys rejected, missing keys defaulted).

        Raises:
            ConfigError: naming the bad key and what to write instead.
        """
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"unknown policy setting {key!r}; known: {', '.join(sorted(known))}")
            try:
                kwargs[key] = _from_json(key, value)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"policy setting {key!r}: {exc}") from None
        return cls(**kwargs)

    def to_mapping(self) -> dict[str, Any]:
        """A JSON-ready dict; ``Policy.from_mapping(p.to_mapping()) == p``."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, timedelta):
                value = format_duration(value)
            elif f.name == "ladder":
                value = [
                    {
                        "warnings": s.warnings,
                        "action": s.action.value,
                        **({"duration": format_duration(s.duration)} if s.duration else {}),
                    }
                    for s in value
                ]
            out[f.name] = value
        return out


def live_warnings(issued: Iterable[datetime], now: datetime, ttl: timedelta) -> int:
    """Count warnings still live at ``now``: issued within ``ttl`` before it (expiry is exclusive).

    Args:
        issued: when each warning was issued.
        now: the current time.
        ttl: the policy's ``warning_ttl``.
    """
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    count = 0
    for at in issued:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        if at <= now < at + ttl:
            count += 1
    return count


def _from_json(key: str, value: Any) -> Any:
    if key in ("warning_ttl", "mute_duration", "newcomer_period"):
        return parse_duration(value)
    if key in ("spam", "suspicious_spam", "spam_ban", "toxicity", "negativity"):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number between 0 and 1 or null, not {value!r}")
        return float(value)
    if key == "ladder":
        if not isinstance(value, list):
            raise TypeError("expected a list of {warnings, action, duration} steps")
        steps = []
        for item in value:
            if not isinstance(item, Mapping) or "warnings" not in item or "action" not in item:
                raise TypeError(f"ladder step {item!r} needs 'warnings' and 'action'")
            duration = item.get("duration")
            steps.append(
                LadderStep(
                    warnings=int(item["warnings"]),
                    action=Action(str(item["action"]).lower()),
                    duration=parse_duration(duration) if duration else None,
                )
            )
        return tuple(steps)
    if key == "newcomer_messages":
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a whole number, not {value!r}")
        return value
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, not {value!r}")
    return value
