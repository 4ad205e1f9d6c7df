"""`dozor doctor`: check each configured platform's set-up and say in plain words what to fix.

Telegram: the token (getMe), privacy mode, Dozor's admin rights in every group it knows (the
communities in the database), and the webhook's state (getWebhookInfo). VK: the community
token and its rights, the moderator's user token, Long Poll or the Callback server, the API
version and the event types. Exits 1 on problems.
"""

from __future__ import annotations

import argparse
import asyncio


def register(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser(
        "doctor", help="check the Telegram bot and the VK community: tokens, rights, receiving mode"
    )
    doctor.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from config import load_settings

    settings = load_settings()
    telegram, vk = settings.telegram.token is not None, settings.vk.configured
    if not telegram and not vk:
        print(
            "  PROBLEM  neither Telegram nor VK is configured; set DOZOR_TELEGRAM_TOKEN (a bot from "
            "@BotFather) or DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN (a VK community)"
        )
        return 1
    problems = 0
    if telegram:
        from bot.telegram.doctor import diagnose

        report = asyncio.run(diagnose(settings))
        print(report.render())
        problems += len(report.problems)
    if vk:
        from bot.vk.doctor import diagnose as diagnose_vk

        vk_report = asyncio.run(diagnose_vk(settings.vk))
        print(vk_report.render())
        problems += len(vk_report.problems)
    from bot.web.doctor import diagnose as diagnose_web

    web_report = diagnose_web(settings)
    print(web_report.render())
    problems += len(web_report.problems)
    return 1 if problems else 0
