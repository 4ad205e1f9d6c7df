"""``Dozor``: the one entry point of the use cases, and the periodic jobs the runner calls."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from config.settings import ModerationSettings
from handlers import (
    activity,
    answers,
    commands,
    comments,
    decisions,
    digest,
    join_check,
    retention,
    welcome,
)
from handlers.context import Context, plan_send
from handlers.hooks import WorkflowHooks
from handlers.i18n import t
from handlers.links import Links
from handlers.updates import BotStatusChange, ButtonPress, CommandCall, MemberChange, MemberStatus, Update
from models import members
from models.db import Database
from moderation.events import Event
from moderation.ports import Actions

log = logging.getLogger(__name__)

# Button handlers by the prefix of their data ("esc:…" decision cards are the default).
PRESSES = {"ans": answers.on_press, join_check.PREFIX: join_check.on_press}


class Dozor:
    """The community workflow, platform-neutral.

    Args:
        db: the database.
        actions: the ``Actions`` port of each platform, keyed by ``Platform`` value ("telegram", "vk").
        engine: a ``moderation.engine.Engine`` (``decide(event, rules=, policy=, recent=, now=)``).
        settings: service-wide moderation defaults.
        bot_user_ids: Dozor's own account on each platform; its messages are never moderated.
        wake: called when new outbox rows are committed (pass ``Executor.wake``).
        clock: the current time (tests and `dozor shell` may drive their own).
        links: the links Dozor hands out (``handlers.links``); none by default.

    Hand ``dozor.hooks`` to the ``Executor``, ``dozor.handle`` and ``dozor.moderate`` to the
    ``Pipeline``; call ``remind_due`` every minute or so, ``digest_due`` every few minutes and
    ``purge_old_text`` daily.
    """

    def __init__(
        self,
        db: Database,
        actions: Mapping[str, Actions],
        engine: Any,
        settings: ModerationSettings,
        *,
        bot_user_ids: Mapping[str, str] | None = None,
        wake: Callable[[], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        links: Links | None = None,
    ) -> None:
        self.ctx = Context(
            db=db,
            actions=actions,
            engine=engine,
            settings=settings,
            bot_user_ids=dict(bot_user_ids or {}),
            wake=wake,
            links=links or Links(),
        )
        if clock is not None:
            self.ctx.clock = clock
        self.hooks = WorkflowHooks(self.ctx.now)

    async def moderate(self, items: Sequence[tuple[Event, str]]) -> None:
        """Moderate comments of one community together (the ``Pipeline``'s ``moderate``).

        A reply that answers an escalation card is posted as that answer instead; the other
        comments are decided in one transaction; bots among their authors are remembered as such.
        """
        moderated = [
            (event, key)
            for event, key in items
            if event.reply_to is None or not await answers.on_reply(self.ctx, event, key)
        ]
        await comments.on_events(self.ctx, moderated)
        for event, _ in moderated:
            if event.author.is_bot:
                await activity.note_bot(self.ctx, event)

    async def handle(self, update: Update, event_key: str) -> None:
        """Handle one platform-neutral update (the ``Pipeline``'s ``handle``)."""
        if isinstance(update, Event):
            await self.moderate([(update, event_key)])
        elif isinstance(update, CommandCall):
            await commands.on_command(self.ctx, update)
        elif isinstance(update, ButtonPress):
            await PRESSES.get(update.data.split(":", 1)[0], decisions.on_press)(self.ctx, update)
        elif isinstance(update, MemberChange):
            await self._member_change(update)
            await welcome.on_member_change(self.ctx, update)
        elif isinstance(update, BotStatusChange):
            await self._bot_status(update)
        else:
            log.warning("ignoring an update of unknown type %s", type(update).__name__)

    async def remind_due(self, now: datetime | None = None) -> int:
        """Remind moderators of escalations open longer than ``escalation_reminder_minutes`` (and
        the admins after ``escalation_admin_minutes``); remove newcomers whose join check ran out."""
        if now is not None:
            saved, self.ctx.clock = self.ctx.clock, lambda: now
            try:
                return await self._minutely()
            finally:
                self.ctx.clock = saved
        return await self._minutely()

    async def _minutely(self) -> int:
        return await decisions.remind_due(self.ctx) + await join_check.expire_due(self.ctx)

    async def digest_due(self, now: datetime | None = None) -> int:
        """Post the scheduled digests (``/digest``) whose time has come; call every few minutes."""
        return await digest.digest_due(self.ctx, now)

    async def purge_old_text(self, now: datetime | None = None) -> int:
        """Apply ``retention_days``: forget message text of old cases, keep the counts."""
        return await retention.purge(self.ctx.db, self.ctx.settings.retention_days, now or self.ctx.now())

    async def _member_change(self, change: MemberChange) -> None:
        async with self.ctx.db.transaction() as session:
            community = await self.ctx.community(
                session, change.platform.value, change.community_id, title=change.title
            )
            user = change.user
            await members.ensure(session, community.id, user.id, name=user.name, now=change.date)
            if change.status in (MemberStatus.ADMIN, MemberStatus.MEMBER):
                await members.set_admin(
                    session, community.id, user.id, change.status is MemberStatus.ADMIN, self.ctx.now()
                )
            if change.status in (MemberStatus.MEMBER, MemberStatus.JOINED):
                # unbanned or let speak again, by anyone: a new offence is restricted anew
                await members.update_fields(
                    session, community.id, user.id, banned=False, restricted_until=None
                )
            elif change.status is MemberStatus.BANNED:
                await members.update_fields(
                    session,
                    community.id,
                    user.id,
                    banned=True,
                    is_admin=False,
                    admin_checked_at=self.ctx.now(),
                )
            elif change.status is MemberStatus.LEFT:
                await members.update_fields(
                    session, community.id, user.id, is_admin=False, admin_checked_at=None
                )

    async def _bot_status(self, change: BotStatusChange) -> None:
        """Register the community; tell its admins, in the chat, which rights Dozor still lacks."""
        async with self.ctx.db.transaction() as session:
            community = await self.ctx.community(
                session, change.platform.value, change.chat_id, title=change.title
            )
            if change.removed:
                log.info("Dozor was removed from %s (%s)", community.title, community.platform_id)
                return
            missing = [
                t(community.language, key)
                for key, granted in (
                    ("right_delete", change.can_delete),
                    ("right_restrict", change.can_restrict),
                )
                if not granted
            ]
            if missing:
                log.warning(
                    "Dozor lacks rights in %s (%s): %s", community.title, community.platform_id, missing
                )
                text = t(community.language, "bot_needs_rights", rights=", ".join(missing))
            else:
                text = t(community.language, "bot_ready")
            await plan_send(session, community, change.chat_id, text)
        self.ctx.poke()
