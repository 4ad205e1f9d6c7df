"""`dozor doctor`: check each configured platform's set-up and say in plain words what to fix.

Telegram: the token (getMe), privacy mode, Dozor's admin rights in every group it knows (the
communities in the database), and the webhook's state (getWebhookInfo). VK: the community
token and its rights, the moderator's user token, Long Poll or the Callback server, the API
version and the event types. Exits 1 on problems.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.doctor import Report


def register(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser(
        "doctor", help="check the Telegram bot and the VK community: tokens, rights, receiving mode"
    )
    doctor.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from config import load_settings
    from config.settings import NO_PLATFORM

    settings = load_settings()
    # The same answer `dozor run` goes by: what it would serve is what is checked here.
    platforms = settings.platforms
    if not platforms:
        print(f"  PROBLEM  {NO_PLATFORM}")
        return 1
    problems = 0
    if "telegram" in platforms:
        from bot.telegram.doctor import diagnose

        report = asyncio.run(diagnose(settings))
        print(report.render())
        problems += len(report.problems)
    if "vk" in platforms:
        from bot.vk.doctor import diagnose as diagnose_vk

        for community in settings.vk.each():
            vk_report = asyncio.run(diagnose_vk(community))
            print(vk_report.render())
            problems += len(vk_report.problems)
    print(asyncio.run(_moderators_chats(settings.database.url)).render())
    from bot.web.doctor import diagnose as diagnose_web

    web_report = diagnose_web(settings)
    print(web_report.render())
    problems += len(web_report.problems)
    return 1 if problems else 0


async def _moderators_chats(url: str) -> Report:
    """Each community without a moderators' chat, where its cards and alerts go nowhere."""
    from bot.cli._community import watched
    from models.db import Database
    from moderation.errors import DozorError

    report = Report("Moderators' chats")
    db = Database(url)
    try:
        await db.require_existing()
        known = await watched(db)
    except DozorError as exc:
        report.notes.append(f"no communities to check yet ({exc})")
        return report
    finally:
        await db.dispose()
    for c in known:
        name = f"{c.title or c.platform_id} ({c.platform}:{c.platform_id})"
        if c.modchat_id:
            report.ok.append(f"{name}: cards go to {c.modchat_on} chat {c.modchat_id}")
        else:
            report.notes.append(
                f"{name} has no moderators' chat: its cards and failure alerts go nowhere; "
                "an admin types /modchat there to link one"
            )
    return report
