"""The engine: normalise → features → scores → rules → policy → ``Verdict`` with every reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from moderation import complaints
from moderation.events import Event
from moderation.features import Features, RecentTexts, extract
from moderation.normalize import normalize
from moderation.policy import Policy
from moderation.ports import Scorer
from moderation.rules import Facts, RuleSet, evaluate, format_duration
from moderation.verdict import Action, Reason, Scores, Verdict

__all__ = ["MAX_TEXT", "Engine"]

# Platforms cap messages (Telegram 4096, VK ~16k characters); longer input is cut before
# detection so a crafted giant text cannot stall the event loop.
MAX_TEXT = 65_536
_DELETES = frozenset({Action.HOLD, Action.WARN, Action.DELETE, Action.MUTE, Action.BAN})
_ALERTS = frozenset({Action.ESCALATE, Action.HOLD})


@dataclass(frozen=True, slots=True)
class _Candidate:
    action: Action
    reasons: tuple[Reason, ...]
    duration: timedelta | None = None
    reply: str | None = None
    notify_author: bool | None = None
    order: int = 0  # rules first in priority order, then policy; breaks severity ties


class Engine:
    """Decides what to do with one event. Pure and synchronous; safe to share across communities.

    Args:
        scorer: the classifier; None means all scores are 0 (rules and features still work).
    """

    def __init__(self, scorer: Scorer | None = None) -> None:
        self.scorer = scorer

    def decide(
        self,
        event: Event,
        *,
        rules: RuleSet | None,
        policy: Policy,
        recent: RecentTexts | None = None,
        now: datetime | None = None,
    ) -> Verdict:
        """Decide on one event.

        Args:
            event: the incoming item; ``event.author.warnings`` must count live warnings.
            rules: the community's rules, or None.
            policy: the community's settings.
            recent: the caller's repetition window (the text is recorded in it).
            now: the current time; defaults to the event's date.

        Returns:
            The ``Verdict``: the most severe applicable action, every reason behind it, and
            what shadow rules would have done.
        """
        now = now or event.date
        if len(event.text) > MAX_TEXT:
            event = replace(event, text=event.text[:MAX_TEXT])
        normalized = normalize(event.text)
        features = extract(
            event,
            normalized=normalized,
            recent=recent,
            now=now,
            newcomer_messages=policy.newcomer_messages,
            newcomer_period=policy.newcomer_period,
        )
        errors: list[Reason] = []
        scores = self._score(normalized, errors)
        exempt = policy.is_exempt(event.author)
        candidates: list[_Candidate] = []
        shadow: list[Reason] = []
        allowed = False
        if rules is not None and rules.rules:
            ctx = Facts(event=event, features=features, scores=scores, now=now)
            result = evaluate(rules, ctx, exempt=exempt)
            errors.extend(result.errors)
            allowed = result.allowed_by is not None
            for i, hit in enumerate(result.hits):
                rule = hit.rule
                detail = f"{rule.reason}: {hit.detail}" if rule.reason else hit.detail
                params = {"rule": rule.name, "reason": rule.reason or "", "matched": hit.matched or ""}
                reason = Reason("rule", rule.name, detail, hit.matched, "rule", params)
                candidates.append(
                    _Candidate(rule.action, (reason,), rule.duration, hit.reply, rule.notify_author, i)
                )
            for hit in result.shadow:
                would = hit.rule.action.value
                params = {"rule": hit.rule.name, "action": would, "matched": hit.matched or ""}
                detail = f"would {would}: {hit.detail}"
                shadow.append(Reason("rule", hit.rule.name, detail, hit.matched, "rule_shadow", params))
        if not allowed and not exempt:
            complaint = self._complaint(event, features, scores, policy, errors)
            candidates.extend(_policy_candidates(policy, features, scores, complaint, order=len(candidates)))
        return _verdict(candidates, policy, event, scores, errors, shadow)

    def _complaint(
        self, event: Event, f: Features, s: Scores, policy: Policy, errors: list[Reason]
    ) -> complaints.Complaint | None:
        """The complaint signal; the message is scored again without its address when it has one."""
        if policy.negativity is None:
            return None
        again = None
        # Scoring the message again costs as much as the first time: only where the address could
        # be hiding a complaint — it raised spam, or the message already reads a little negative.
        suspect = s.negativity >= complaints.MARKED_FLOOR / 2 or (
            policy.spam is not None and s.spam >= policy.spam
        )
        if suspect and s.negativity < policy.negativity and (f.links or f.mentions or "#" in event.text):
            bare = complaints.addressless(event.text)
            if bare:
                again = self._score(normalize(bare), errors).negativity
        return complaints.read(s.negativity, again, f.normalized, policy.negativity)

    def _score(self, normalized: str, errors: list[Reason]) -> Scores:
        if self.scorer is None:
            return Scores()
        try:
            return self.scorer.score(normalized)
        except Exception as exc:  # a broken model must not stop moderation; rules still apply
            detail = f"scoring failed: {exc!r}"
            errors.append(Reason("error", "classifier", detail, code="error", params={"name": "classifier"}))
            return Scores()


def _policy_candidates(
    policy: Policy, f: Features, s: Scores, signal: complaints.Complaint | None, *, order: int
) -> list[_Candidate]:
    out: list[_Candidate] = []
    if policy.hold_newcomers and f.newcomer:
        reason = Reason("policy", "raid", "raid mode: a newcomer's comment waits for a moderator")
        out.append(_Candidate(Action.HOLD, (reason,), order=order + 3))
    abusive = policy.toxicity is not None and s.toxicity >= policy.toxicity
    complaint = not abusive and signal is not None and signal.is_complaint
    suspicious = f.newcomer and (f.has_invite or f.has_shortener)
    spam_at = policy.spam
    if suspicious and policy.suspicious_spam is not None:
        spam_at = policy.suspicious_spam if spam_at is None else min(spam_at, policy.suspicious_spam)
    if spam_at is not None and s.spam >= spam_at:
        at = {"score": f"{s.spam:.2f}", "threshold": f"{spam_at:.2f}"}
        reasons = [Reason("score", "spam", f"spam {s.spam:.2f} ≥ {spam_at:.2f}", code="spam", params=at)]
        if suspicious and policy.spam is not None and spam_at < policy.spam:
            reasons.append(
                Reason(
                    "policy",
                    "suspicious-newcomer",
                    "newcomer posting an invite or short link",
                    code="suspicious_newcomer",
                )
            )
        certain = policy.spam_ban is not None and s.spam >= policy.spam_ban
        if certain and f.newcomer and f.links:
            detail = f"spam {s.spam:.2f} ≥ {policy.spam_ban:.2f} from a newcomer with links"
            at = {"score": f"{s.spam:.2f}", "threshold": f"{policy.spam_ban:.2f}"}
            reasons.insert(0, Reason("policy", "spam-ban", detail, code="spam_ban", params=at))
            out.append(_Candidate(Action.BAN, tuple(reasons), None, order=order))
        elif complaint and not certain:
            # A customer's complaint carries links, brand names and prices, which is what spam
            # carries too: below certainty, a person decides; the complaint is not deleted.
            detail = f"{signal.detail()}: reads as a complaint, not deleted"
            code, at = signal.code("complaint_not_deleted")
            reasons.append(Reason("policy", "complaint-not-deleted", detail, code=code, params=at))
            out.append(_Candidate(Action.ESCALATE, tuple(reasons), order=order))
            return out
        else:
            out.append(_Candidate(Action.WARN, tuple(reasons), order=order))
    if abusive:
        detail = f"toxicity {s.toxicity:.2f} ≥ {policy.toxicity:.2f}"
        at = {"score": f"{s.toxicity:.2f}", "threshold": f"{policy.toxicity:.2f}"}
        reason = Reason("score", "toxicity", detail, code="toxicity", params=at)
        out.append(_Candidate(Action.WARN, (reason,), order=order + 1))
    elif complaint:
        detail = f"{signal.detail()}, not abusive: needs a human answer"
        code, at = signal.code("negativity")
        reason = Reason("score", "negativity", detail, code=code, params=at)
        out.append(_Candidate(Action.ESCALATE, (reason,), order=order + 2))
    return out


def _verdict(
    candidates: list[_Candidate],
    policy: Policy,
    event: Event,
    scores: Scores,
    errors: list[Reason],
    shadow: list[Reason],
) -> Verdict:
    if not candidates:
        return Verdict(Action.ALLOW, reasons=tuple(errors), scores=scores, shadow=tuple(shadow))
    ranked = sorted(candidates, key=lambda c: (-c.action.severity, c.order))
    win = ranked[0]
    action, duration = win.action, win.duration
    ladder: list[Reason] = []
    if action is Action.WARN:
        live = event.author.warnings
        step = policy.ladder_step(live)
        if step.action is not Action.WARN:
            action, duration = step.action, step.duration
            shown = f" for {format_duration(duration)}" if duration else ""
            detail = f"{live + 1} live warnings ≥ {step.warnings} → {step.action.value}{shown}"
            seconds = int(duration.total_seconds()) if duration else None
            params = {
                "live": live + 1,
                "step": step.warnings,
                "action": step.action.value,
                "seconds": seconds,
            }
            ladder.append(Reason("ladder", "warn-ladder", detail, code="warn_ladder", params=params))
    elif action is Action.MUTE and duration is None:
        duration = policy.mute_duration
    reasons = [*win.reasons, *ladder]
    for c in ranked[1:]:
        reasons.extend(c.reasons)
    reasons.extend(errors)
    deletes = action in _DELETES
    reply = win.reply
    if reply is None and not deletes:
        reply = next((c.reply for c in sorted(candidates, key=lambda c: c.order) if c.reply), None)
    notify = False
    if deletes:
        notify = policy.notify_author if win.notify_author is None else win.notify_author
    return Verdict(
        action=action,
        reasons=tuple(reasons),
        scores=scores,
        duration=duration if action in (Action.MUTE, Action.BAN) else None,
        delete_message=deletes,
        reply=reply,
        notify_author=notify,
        alert_moderators=action in _ALERTS,
        shadow=tuple(shadow),
    )
