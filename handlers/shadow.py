"""Shadow rules, judged: what each would have done on live traffic, and how often the moderators
disagreed with it.

A rule in shadow mode acts on nothing; its hits are stored on the cases (``cases.shadow``). A hit
counts as *overturned* when the moderators let that message stand: the case was overturned
(Dozor's removal reversed on appeal or from the card) or its escalation was approved.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from handlers.i18n import action_name, t
from handlers.planning import ENFORCED
from models.cases import CaseRecord


@dataclass(frozen=True, slots=True)
class ShadowFigure:
    """One shadow rule's record over a period.

    Attributes:
        rule: the rule's name.
        action: what it would have done (its action).
        hits: messages it hit.
        overturned: of those, the ones the moderators let stand.
    """

    rule: str
    action: str
    hits: int
    overturned: int

    @property
    def removes(self) -> bool:
        return self.action in ENFORCED


def hits_of(case: CaseRecord) -> list[tuple[str, str]]:
    """(rule, action) of each shadow rule that hit this case."""
    found = []
    for hit in case.shadow:
        if not isinstance(hit, dict):
            continue
        action = (hit.get("params") or {}).get("action")
        if action is None:  # stored before reasons had codes: "would delete: …"
            action = str(hit.get("detail", "")).removeprefix("would ").split(":", 1)[0]
        found.append((str(hit.get("name", "")), str(action)))
    return found


def judge(rows: Iterable[CaseRecord], approved: Collection[int]) -> list[ShadowFigure]:
    """Each shadow rule's hits among ``rows`` and how many were overturned, most hits first.

    Args:
        rows: the period's cases.
        approved: ids of cases whose escalation the moderators approved.
    """
    tally: dict[tuple[str, str], list[int]] = {}
    for case in rows:
        stood = case.status == "overturned" or case.id in approved
        for key in hits_of(case):
            counts = tally.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += int(stood)
    figures = [ShadowFigure(rule, action, hits, over) for (rule, action), (hits, over) in tally.items()]
    return sorted(figures, key=lambda f: (-f.hits, f.rule))


def line(language: str | None, figure: ShadowFigure) -> str:
    """ "rule 'x' would have removed 12 messages, 3 of them later overturned by moderators"."""
    key = "shadow_removed" if figure.removes else "shadow_other"
    values: dict[str, Any] = {"rule": figure.rule, "hits": figure.hits, "overturned": figure.overturned}
    return t(language, key, action=action_name(language, figure.action), **values)
