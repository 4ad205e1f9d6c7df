"""`dozor shell`: a local community in the terminal, on the simulated platform and SQLite.

Type as a subscriber and watch Dozor decide, reply, escalate and record. Lines starting with
``/as``, ``/press``, ``/wait`` and ``>N`` steer the simulation; every other ``/command`` is a
chat command. When stdin is not a terminal the lines are read as a script until EOF.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("shell", help="a local simulated community in the terminal (no tokens needed)")
    p.add_argument("--db", type=Path, default=Path("./dozor-shell.sqlite3"), help="SQLite file to keep it in")
    p.add_argument("--lang", choices=("ru", "en"), default="en", help="the community's language")
    p.set_defaults(func=_shell)


def _shell(args: argparse.Namespace) -> int:
    from bot.shell import Shell

    return asyncio.run(Shell(args.db, args.lang).run(sys.stdin, sys.stdout))
