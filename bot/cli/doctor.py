"""`dozor doctor`: check the Telegram set-up and say in plain words what to fix.

Checks the token (getMe), privacy mode, Dozor's admin rights in every group it knows (the
communities in the database), and the webhook's state (getWebhookInfo). Exits 1 on problems.
"""

from __future__ import annotations

import argparse
import asyncio


def register(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser("doctor", help="check the bot token, admin rights, privacy mode and webhook")
    doctor.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from bot.telegram.doctor import diagnose
    from config import load_settings

    settings = load_settings()
    if settings.telegram.token is None:
        print(
            "Telegram:\n  PROBLEM  DOZOR_TELEGRAM_TOKEN is not set; create a bot with @BotFather and set it"
        )
        return 1
    report = asyncio.run(diagnose(settings))
    print(report.render())
    return 1 if report.problems else 0
