"""A second opinion from a language model on the messages the classifier was unsure of.

Optional and off by default. The engine never waits for it: a message is decided at once by the
model's own verdict, and a case whose spam or toxicity score fell in the *uncertain band* (within
``band`` below the community's threshold, and let through) is offered afterwards to an
OpenAI-compatible chat-completions endpoint (``bot.second_opinion`` follows the new cases). Its
answer can only **escalate** (the case goes in front of the moderators, with the answer as its
own reason) or **confirm** (the answer is recorded on the case); it never deletes or bans. What
bounds it: a per-community budget of questions a day, a deadline per question after which the
model's verdict simply stands, and a cache of answers by text.

This module is the pure part: which case is uncertain, the prompt, reading the answer, the budget
and the cache. The HTTP client is the port's adapter, in ``bot/``.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from moderation.policy import Policy
from moderation.verdict import Scores

__all__ = ["LABELS", "Budget", "Cache", "Opinion", "SecondOpinion", "messages", "parse", "uncertain"]

LABELS = ("spam", "toxic", "ok")
# Longer texts are cut: the opening carries the signal (as for the classifier) and bounds the cost.
MAX_TEXT = 1500

_SYSTEM = (
    "You moderate a community chat (Telegram or VK, mostly Russian, some English). Decide whether a "
    "message is spam (ads, scams, job or easy-money offers, bait, invitations elsewhere), toxic "
    "(insults, obscenity aimed at people, threats, hate) or ok (anything else, including complaints "
    'and criticism). Answer with JSON only: {"label": "spam" | "toxic" | "ok", "reason": "<ten words>"}.'
)


@dataclass(frozen=True, slots=True)
class Opinion:
    """What the language model said.

    Attributes:
        label: "spam", "toxic" or "ok".
        reason: its own short reason, as it gave it (cut to 200 characters).
    """

    label: str
    reason: str = ""


class SecondOpinion(Protocol):
    """The port: ask for an opinion on one message. Raises ``SecondOpinionError`` when there is none."""

    async def ask(self, text: str) -> Opinion:
        """The opinion on ``text`` (the original message)."""
        ...


def uncertain(scores: Scores, policy: Policy, band: float) -> str | None:
    """The head ("spam" or "toxicity") whose score lies within ``band`` below its threshold, or None.

    A message is offered only when the model let it through but was close: above a threshold the
    engine already acted, far below it there is nothing to ask.
    """
    for head, score, threshold in (
        ("spam", scores.spam, policy.spam),
        ("toxicity", scores.toxicity, policy.toxicity),
    ):
        if threshold is not None and threshold - band <= score < threshold:
            return head
    return None


def messages(text: str) -> list[dict[str, str]]:
    """The chat-completions ``messages`` for one text."""
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": text[:MAX_TEXT]}]


_WORD = re.compile(r"\b(spam|toxic|ok)\b", re.IGNORECASE)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


def parse(content: str) -> Opinion | None:
    """Read the model's answer: the JSON asked for, or else the first label word; None if neither."""
    m = _JSON.search(content or "")
    if m is not None:
        try:
            data = json.loads(m.group(0))
        except ValueError:
            data = None
        if isinstance(data, dict) and str(data.get("label", "")).lower() in LABELS:
            return Opinion(str(data["label"]).lower(), str(data.get("reason", ""))[:200])
    word = _WORD.search(content or "")
    return Opinion(word.group(1).lower(), "") if word is not None else None


class Budget:
    """Questions each community may ask a day (UTC); a day's unused questions do not carry over."""

    def __init__(self, per_day: int) -> None:
        self.per_day = per_day
        self._spent: dict[int, tuple[str, int]] = {}

    def take(self, community_id: int, now: datetime) -> bool:
        """Spend one question of the community's day; False when none is left."""
        day = f"{now:%Y-%m-%d}"
        spent_day, spent = self._spent.get(community_id, (day, 0))
        if spent_day != day:
            spent = 0
        if spent >= self.per_day:
            return False
        self._spent[community_id] = (day, spent + 1)
        return True


class Cache:
    """The latest answers by text, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Opinion] = OrderedDict()

    def get(self, key: str) -> Opinion | None:
        """The cached answer for ``key`` (a normalised text), if any."""
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: str, opinion: Opinion) -> None:
        """Remember an answer."""
        self._items[key] = opinion
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
