"""`dozor run`: the long-running service, for Telegram, VK, or both in one process."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run", help="run the moderation service for Telegram, VK or both (applies migrations first)"
    )
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from config import load_settings
    from config.settings import NO_PLATFORM

    settings = load_settings()
    if not settings.platforms:
        print(f"dozor: {NO_PLATFORM}", file=sys.stderr)
        return 2
    from bot.logs import setup_logging
    from bot.runner import run_service

    setup_logging(settings)
    return run_service(settings)
