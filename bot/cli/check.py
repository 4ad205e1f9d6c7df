"""``dozor check "text"``: what would the engine do with this message? No database, no tokens."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moderation.events import Event
    from moderation.rules import RuleSet
    from moderation.verdict import Verdict

_ROLES = ("newcomer", "member", "admin")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check",
        help="show the verdict the engine would give a message",
        description="Run one message through normalisation, the classifier, rules and policy, "
        "and explain the verdict. Needs no database and no tokens.",
    )
    p.add_argument("text", help='the message text ("-" reads it from standard input)')
    p.add_argument("--rules", type=Path, metavar="FILE", help="a YAML rule file to apply")
    p.add_argument(
        "--as", dest="role", choices=_ROLES, default="member", help="who wrote it (default: member)"
    )
    p.add_argument("--warnings", type=int, default=0, help="live warnings the author already has")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.add_argument("--no-classifier", action="store_true", help="skip the classifier (scores are 0)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.rules import read_rule_file
    from bot.scoring import load_scorer
    from config import load_settings
    from handlers.policy import service_policy
    from moderation.engine import Engine
    from moderation.normalize import normalize
    from moderation.rules import parse_rules

    text = sys.stdin.read() if args.text == "-" else args.text
    rules: RuleSet | None = None
    if args.rules is not None:
        source = read_rule_file(args.rules)
        if source is None:
            return 1
        rules = parse_rules(source)
    settings = load_settings().moderation
    # one text: plain-Python scoring answers before numba's compiled loops would have loaded
    scorer, classifier_note = (
        (None, "disabled") if args.no_classifier else load_scorer(settings.model_dir, compiled=False)
    )
    now = datetime.now(UTC)
    event = _event(text, args.role, args.warnings, now)
    policy = service_policy(settings)
    verdict = Engine(scorer).decide(event, rules=rules, policy=policy, now=now)
    if args.json:
        print(json.dumps(_as_json(verdict, text, classifier_note), ensure_ascii=False, indent=2))
        return 0
    if scorer is None and not args.no_classifier:
        print(f"note: {classifier_note}; scores are 0, only rules and features apply", file=sys.stderr)
    print(verdict.explain())
    s = verdict.scores
    print(f"scores: spam {s.spam:.2f}, toxicity {s.toxicity:.2f}, negativity {s.negativity:.2f}")
    print(f"normalised: {normalize(text)}")
    if verdict.reply:
        print(f"reply: {verdict.reply}")
    return 0


def _event(text: str, role: str, warnings: int, now: datetime) -> Event:
    from moderation.events import Author, Event, EventKind, MessageRef, Platform

    if role == "newcomer":
        author = Author(id="cli-user", name="newcomer", first_seen=now, message_count=0, warnings=warnings)
    elif role == "admin":
        author = Author(id="cli-admin", name="admin", is_admin=True, first_seen=now - timedelta(days=365))
    else:
        author = Author(
            id="cli-user",
            name="member",
            first_seen=now - timedelta(days=90),
            message_count=50,
            warnings=warnings,
        )
    return Event(
        platform=Platform.SHELL,
        kind=EventKind.SHELL_MESSAGE,
        community_id="cli",
        message=MessageRef(chat_id="cli", message_id="1"),
        author=author,
        text=text,
        date=now,
    )


def _as_json(verdict: Verdict, text: str, classifier: str) -> dict[str, Any]:
    from moderation.normalize import normalize

    def reasons(items: tuple) -> list[dict[str, Any]]:
        return [{"kind": r.kind, "name": r.name, "detail": r.detail, "matched": r.matched} for r in items]

    s = verdict.scores
    return {
        "action": verdict.action.value,
        "duration_seconds": int(verdict.duration.total_seconds()) if verdict.duration else None,
        "delete_message": verdict.delete_message,
        "notify_author": verdict.notify_author,
        "alert_moderators": verdict.alert_moderators,
        "reply": verdict.reply,
        "reasons": reasons(verdict.reasons),
        "shadow": reasons(verdict.shadow),
        "scores": {"spam": s.spam, "toxicity": s.toxicity, "negativity": s.negativity},
        "normalized": normalize(text),
        "classifier": classifier,
    }
