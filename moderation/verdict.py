"""What the engine decides about one event, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    """Actions in increasing severity; the most severe applicable one wins."""

    ALLOW = "allow"
    REPLY = "reply"
    ESCALATE = "escalate"
    HOLD = "hold"  # removed from view and escalated; a moderator restores or confirms
    WARN = "warn"
    DELETE = "delete"
    MUTE = "mute"
    BAN = "ban"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {a: i for i, a in enumerate(Action)}


@dataclass(frozen=True, slots=True)
class Scores:
    """Classifier probabilities in [0, 1]."""

    spam: float = 0.0
    toxicity: float = 0.0
    negativity: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {"spam": self.spam, "toxicity": self.toxicity, "negativity": self.negativity}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a verdict, readable by admins, moderators and the author.

    ``detail`` is English, for logs and `dozor check`; where people see a reason it is rendered
    in their community's language from ``code`` and ``params`` (the catalogue's
    ``reason_<code>`` messages, ``handlers/locales``).

    Attributes:
        kind: "rule", "score", "ladder", "policy" or "error".
        name: the rule name, score label or policy name.
        detail: an English sentence, e.g. 'spam 0.97 ≥ 0.90' or 'matched "заработок" (includes-word)'.
        matched: the matched text, when there is one.
        code: what kind of reason it is, stable across versions: "spam", "spam_ban", "toxicity",
            "negativity", "complaint_not_deleted" (each with a "_grievance" twin when a grievance
            marker decided, ``moderation.complaints``), "suspicious_newcomer", "warn_ladder",
            "rule", "rule_shadow", "error".
        params: the values the sentence is made of (scores and thresholds formatted as "0.97").
    """

    kind: str
    name: str
    detail: str
    matched: str | None = None
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The reason as stored on a case (``dataclasses.asdict`` without its deep copy: this
        runs for every reason of every message)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "detail": self.detail,
            "matched": self.matched,
            "code": self.code,
            "params": dict(self.params),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision for one event.

    Attributes:
        action: the primary action.
        reasons: every reason that contributed, most important first.
        scores: the classifier scores the decision saw.
        duration: how long a mute/ban lasts; None for a ban means permanent.
        delete_message: remove the message itself (true for delete/warn/mute/ban/hold).
        reply: text to answer the message with (auto-reply or rule reply), if any.
        notify_author: tell the author why their message was removed.
        alert_moderators: put the case in front of the moderators (escalation card).
        shadow: what rules in shadow mode would have done; recorded, never acted on.
    """

    action: Action
    reasons: tuple[Reason, ...] = ()
    scores: Scores = Scores()
    duration: timedelta | None = None
    delete_message: bool = False
    reply: str | None = None
    notify_author: bool = False
    alert_moderators: bool = False
    shadow: tuple[Reason, ...] = ()

    def explain(self) -> str:
        """A short multi-line explanation for people."""
        head = self.action.value
        if self.duration is not None:
            head += f" for {_human_duration(self.duration)}"
        lines = [head]
        lines += [f"  - [{r.kind}] {r.name}: {r.detail}" for r in self.reasons]
        lines += [f"  - [shadow] {r.name}: {r.detail}" for r in self.shadow]
        return "\n".join(lines)


def _human_duration(d: timedelta) -> str:
    seconds = int(d.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
