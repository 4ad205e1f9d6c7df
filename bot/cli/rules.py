"""``dozor rules …``: work with rule files (``validate`` checks one without touching anything)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from moderation.errors import RuleError
from moderation.rules import format_duration, parse_rules


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("rules", help="validate rule files", description="Work with YAML rule files.")
    sub = p.add_subparsers(title="rules commands", metavar="SUBCOMMAND")
    v = sub.add_parser(
        "validate",
        help="check a rule file and summarise it",
        description="Parse a YAML rule file; exit 0 with a summary, or 1 with the first error.",
    )
    v.add_argument("file", type=Path, help="the YAML rule file")
    v.set_defaults(func=validate)
    p.set_defaults(func=lambda _args: (p.print_help(), 2)[1])


def validate(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"dozor: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        rules = parse_rules(text)
    except RuleError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    shadow = sum(1 for r in rules.rules if r.shadow)
    print(f"{args.file}: {len(rules)} rules OK ({shadow} in shadow mode)")
    for r in rules.rules:
        extra = f" {format_duration(r.duration)}" if r.duration else ""
        mode = " [shadow]" if r.shadow else ""
        print(f"  {r.priority:>4}  {r.name}: {r.action.value}{extra}{mode}")
    return 0
