"""The Telegram set-up checks behind `dozor doctor`, each problem said in plain words.

Checks the token (getMe), privacy mode, Dozor's admin rights in every group it knows (the
communities in the database), and the webhook's state (getWebhookInfo).
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramUnauthorizedError
from aiogram.types import User

from bot.doctor import Report
from config.settings import Settings, TelegramMode
from models import communities
from models.db import Database
from moderation.errors import DozorError


async def diagnose(settings: Settings) -> Report:
    """Run every check against Telegram and the database."""
    from bot.telegram.client import make_bot

    report = Report("Telegram")
    bot = make_bot(settings.telegram)
    try:
        me = await _check_token(bot, report)
        if me is None:
            return report
        _check_privacy(me, report)
        await _check_groups(bot, me, settings, report)
        await _check_webhook(bot, settings, report)
    finally:
        await bot.session.close()
    return report


async def _check_token(bot: Bot, report: Report) -> User | None:
    try:
        me = await bot.get_me()
    except TelegramUnauthorizedError:
        report.problems.append(
            "Telegram rejects DOZOR_TELEGRAM_TOKEN; "
            "copy the token again from @BotFather (/mybots → API Token)"
        )
        return None
    except AiogramError as exc:
        report.problems.append(
            f"cannot reach Telegram ({exc}); check the network or DOZOR_TELEGRAM_API_SERVER"
        )
        return None
    report.ok.append(f"token works: the bot is @{me.username} (id {me.id})")
    return me


def _check_privacy(me: User, report: Report) -> None:
    if me.can_read_all_group_messages:
        report.ok.append("privacy mode is off: Dozor sees every group message")
    else:
        report.notes.append(
            "privacy mode is on: Dozor sees group messages only where it is an admin "
            "(make it an admin, or @BotFather → /setprivacy → Disable, then re-add it to the groups)"
        )


async def _check_groups(bot: Bot, me: User, settings: Settings, report: Report) -> None:
    db = Database(settings.database.url)
    try:
        async with db.transaction() as session:
            groups = await communities.list_all(session, "telegram")
    except DozorError as exc:
        report.problems.append(f"cannot read the groups from the database: {exc}")
        return
    finally:
        await db.dispose()
    if not groups:
        report.notes.append("no groups yet: add the bot to a group and make it an admin; it registers itself")
    for group in groups:
        name = f"{group.title or 'group'} ({group.platform_id})"
        try:
            member = await bot.get_chat_member(chat_id=int(group.platform_id), user_id=me.id)
        except AiogramError as exc:
            report.problems.append(
                f"{name}: cannot check Dozor's rights ({exc}); is the bot still in the group?"
            )
            continue
        if member.status == "creator":
            report.ok.append(f"{name}: Dozor owns the group")
            continue
        if member.status != "administrator":
            report.problems.append(
                f"{name}: Dozor is not an admin; make it an admin with 'Delete messages' and 'Ban users'"
            )
            continue
        missing = [
            label
            for attr, label in (
                ("can_delete_messages", "Delete messages"),
                ("can_restrict_members", "Ban users"),
            )
            if not getattr(member, attr, False)
        ]
        if missing:
            report.problems.append(
                f"{name}: Dozor is an admin but lacks {' and '.join(repr(m) for m in missing)}"
            )
        else:
            report.ok.append(f"{name}: Dozor is an admin with the rights it needs")


async def _check_webhook(bot: Bot, settings: Settings, report: Report) -> None:
    tg = settings.telegram
    try:
        info = await bot.get_webhook_info()
    except AiogramError as exc:
        report.problems.append(f"cannot read the webhook state ({exc})")
        return
    if tg.mode is TelegramMode.WEBHOOK:
        if not tg.webhook_url or not tg.webhook_secret:
            report.problems.append(
                "webhook mode needs DOZOR_TELEGRAM_WEBHOOK_URL and DOZOR_TELEGRAM_WEBHOOK_SECRET"
            )
        if not info.url:
            report.notes.append("no webhook is registered yet; `dozor run` registers it at start")
        elif tg.webhook_url and info.url != tg.webhook_url:
            report.problems.append(
                f"Telegram posts to {info.url}, not to DOZOR_TELEGRAM_WEBHOOK_URL={tg.webhook_url}; "
                "restart `dozor run` to register the right one (or another service uses this token)"
            )
        else:
            report.ok.append(
                f"webhook registered at {info.url} ({info.pending_update_count} update(s) waiting)"
            )
    elif info.url:
        report.notes.append(
            f"a webhook is registered ({info.url}) but DOZOR_TELEGRAM_MODE is polling; "
            "`dozor run` removes it at start (pending updates are kept)"
        )
    else:
        report.ok.append(f"polling mode, no webhook set ({info.pending_update_count} update(s) waiting)")
    if info.last_error_message:
        report.problems.append(
            f"Telegram's last delivery to the webhook failed: {info.last_error_message!r}; "
            "check that the URL is public HTTPS, reaches this service, and that the secret matches"
        )
