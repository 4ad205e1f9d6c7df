"""Decisions in the community's language: reasons, scores, statuses, a verdict.

The engine's reasons carry a stable ``code`` and ``params`` beside their English ``detail``
(``moderation.verdict.Reason``); the use cases' own reasons (a report, a moderator's decision, an
answer, an automatic answer) are stored the same way. Here they become the community's language
through the catalogue (``reason_<code>``). A reason stored before codes existed has only its
``detail``: it is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.i18n import action_name, decision, has, span, t
from models.cases import CaseRecord
from moderation.verdict import Reason, Verdict

SCORES = ("spam", "toxicity", "negativity")


def reason_text(language: str | None, reason: Mapping[str, Any] | Reason) -> str:
    """One reason as a sentence in ``language``."""
    data = reason.as_dict() if isinstance(reason, Reason) else reason
    code, params = data.get("code") or "", dict(data.get("params") or {})
    if not code or not has(language, f"reason_{code}"):
        return str(data.get("detail", ""))
    key = f"reason_{code}"
    if "action" in params:
        params["action"] = action_name(language, str(params["action"]))
    if "decision" in params:
        params["decision"] = decision(language, str(params["decision"]))
    if code == "rule" and not params.get("reason"):
        key = "reason_rule_matched" if params.get("matched") else "reason_rule_plain"
    elif code == "rule_shadow" and params.get("matched"):
        key = "reason_rule_shadow_matched"
    elif code == "warn_ladder" and params.get("seconds"):
        key, params["duration"] = "reason_warn_ladder_timed", span(language, int(params["seconds"]) / 60)
    elif code == "report" and params.get("note"):
        key = "reason_report_note"
    elif code == "answer" and params.get("saved"):
        key = "reason_answer_saved"
    return t(language, key, **params)


def case_reason(language: str | None, case: CaseRecord) -> str:
    """What a case is about, in one line: its first reason, else the reason it was given."""
    first = next((r for r in case.reasons if isinstance(r, Mapping)), None)
    return reason_text(language, first) if first is not None and first.get("code") else case.reason


def scores_text(language: str | None, scores: Mapping[str, Any]) -> str:
    """ "spam 0.01, toxicity 0.06, negativity 1.00" with the score names in ``language``."""
    return ", ".join(
        f"{t(language, f'score_{k}') if k in SCORES else k} {float(v):.2f}" for k, v in scores.items()
    )


def status_name(language: str | None, status: str) -> str:
    key = f"status_{status}"
    return t(language, key) if status and has(language, key) else status


def verdict_text(language: str | None, verdict: Verdict) -> str:
    """A verdict for people: the action (and how long), then every reason and shadow hit."""
    head = action_name(language, verdict.action.value)
    if verdict.duration is not None:
        head += f" ({span(language, verdict.duration.total_seconds() / 60)})"
    lines = [head, *(f"  • {reason_text(language, r)}" for r in (*verdict.reasons, *verdict.shadow))]
    return "\n".join(lines)


def reason_row(kind: str, name: str, detail: str, code: str, **params: Any) -> dict[str, Any]:
    """A use case's own reason, stored like the engine's (``detail`` in English for logs)."""
    return {"kind": kind, "name": name, "detail": detail, "matched": None, "code": code, "params": params}
