"""`dozor run`: the long-running service."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="run the moderation service (applies migrations first)")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from config import load_settings

    settings = load_settings()
    if settings.telegram.token is None:
        print(
            "dozor: no platform is configured, so there is nothing to run.\n"
            "  Telegram: set DOZOR_TELEGRAM_TOKEN to the token @BotFather gave you\n"
            "            (e.g. DOZOR_TELEGRAM_TOKEN=123456789:AAE... dozor run).\n"
            "  To try Dozor without any token: dozor shell",
            file=sys.stderr,
        )
        return 2
    from bot.logs import setup_logging
    from bot.runner import run_service

    setup_logging(settings)
    return run_service(settings)
