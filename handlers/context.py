"""What every use case needs: the database, the platforms, the engine, settings and a clock.

Also the small planning helpers shared by the use cases: a message to send, an answer to a
command. Platform actions are never performed here; they are planned as outbox rows in the
caller's transaction and carried out by the executor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import ModerationSettings
from handlers.community_config import RuleCache
from handlers.links import Links
from handlers.updates import ButtonPress
from models import communities, outbox
from models.communities import CommunityRecord
from models.db import Database
from moderation.actions import Action, Send, kind_of, to_payload
from moderation.actions import buttons as button_rows
from moderation.errors import ActionFailed, ConfigError
from moderation.features import RecentTexts
from moderation.ports import Actions, Button, Capabilities, connection

log = logging.getLogger(__name__)


@dataclass
class Context:
    """The dependencies of the use cases.

    Attributes:
        db: the database (cases, outbox, members, …).
        actions: the ``Actions`` port of each platform, keyed by ``Platform`` value.
        engine: ``moderation.engine.Engine``: ``decide(event, rules=, policy=, recent=, now=)``.
        settings: defaults for communities that have not set their own.
        bot_user_ids: Dozor's own account on each platform (its messages are never moderated).
        wake: called after planned actions were committed (``Executor.wake``).
        clock: the current time; tests and the shell may substitute their own.
        recent: each community's memory of recent texts (repetition checks).
        rules: each community's parsed rule set, cached until it changes.
        links: the links Dozor hands out (workspace sign-in, appeals).
    """

    db: Database
    actions: Mapping[str, Actions]
    engine: Any
    settings: ModerationSettings
    bot_user_ids: Mapping[str, str] = field(default_factory=dict)
    wake: Callable[[], None] | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    recent: dict[int, RecentTexts] = field(default_factory=dict)
    rules: RuleCache = field(default_factory=RuleCache)
    links: Links = field(default_factory=Links)

    def now(self) -> datetime:
        return self.clock()

    def dry_run(self, community: CommunityRecord) -> bool:
        """Decisions are recorded, not carried out: the community's ``/dryrun on``, or the
        whole service's ``DOZOR_MODERATION_DRY_RUN``."""
        return community.dry_run or self.settings.dry_run

    def bot_id(self, platform: str) -> str | None:
        """Dozor's own user id on ``platform``, when it has one."""
        return self.bot_user_ids.get(platform)

    def platform(self, name: str, via: str | None = None) -> Actions:
        """The Actions port of a platform (for one of its communities, where each has its own:
        ``moderation.ports.connection``), or a ConfigError naming the missing adapter."""
        port = connection(self.actions, name, via)
        if port is None:
            raise ConfigError(
                f"no Actions adapter for platform {name!r}"
                + (f" and its community {via}" if via else "")
                + f"; pass it to Dozor(actions={{{name!r}: …}})"
            )
        return port

    def can(self, platform: str) -> Capabilities:
        """What a platform can do (use cases ask this, never the platform's name)."""
        return self.platform(platform).capabilities

    def recent_for(self, community_id: int) -> RecentTexts:
        """The repeated-text memory of one community (kept in this process)."""
        memory = self.recent.get(community_id)
        if memory is None:
            memory = self.recent[community_id] = RecentTexts()
        return memory

    async def community(
        self, session: AsyncSession, platform: str, chat_id: str, *, title: str = ""
    ) -> CommunityRecord:
        """The community of a chat, registered on first sight in the service's default language."""
        return await communities.ensure(
            session, platform, chat_id, title=title, language=self.settings.language
        )

    async def answer_press(self, press: ButtonPress, text: str, *, alert: bool = False) -> None:
        """Answer a button press (a popup or an alert for the presser); an expired press is logged,
        not raised: what the press decided stands."""
        try:
            port = self.platform(press.platform.value, press.via)
            await port.answer_callback(press.callback_id, text, alert=alert)
        except ActionFailed as exc:
            log.info("could not answer button press %s: %s", press.callback_id, exc)

    def poke(self) -> None:
        """Tell the executor new rows are waiting."""
        if self.wake is not None:
            self.wake()


async def plan(
    session: AsyncSession,
    community: CommunityRecord,
    action: Action,
    *,
    not_before: datetime | None = None,
    **options: Any,
) -> int:
    """Plan an action in the caller's transaction (``planned``'s options); returns its outbox id."""
    return await outbox.enqueue(session, **planned(community, action, **options), not_before=not_before)


def planned(
    community: CommunityRecord,
    action: Action,
    *,
    case_id: int | None = None,
    expires_at: datetime | None = None,
    platform: str | None = None,
    via: str | None = None,
    **tags: Any,
) -> dict[str, Any]:
    """The outbox row of an action for this community (for ``outbox.enqueue_many``).

    ``platform`` and ``via`` default to the chat's (``CommunityRecord.place``): the moderators'
    chat's when the action is there, else the community's. ``expires_at``: when it is not worth
    doing any more (a message the chat's limits held back is dropped then). ``tags`` ride along
    for the executor's hooks (``escalation_id``, ``join_check_id``, ``alert``).
    """
    chat_platform, chat_via = community.place(action.chat_id)
    return outbox.planned(
        platform=platform or chat_platform,
        via=via or chat_via,
        kind=kind_of(action),
        payload={**to_payload(action), **tags},
        community_id=community.id,
        case_id=case_id,
        expires_at=expires_at,
    )


async def plan_on(
    session: AsyncSession, platform: str, via: str, action: Action, *, community_id: int | None = None
) -> int:
    """Plan an action in a chat that belongs to no community (yet): a private chat, a chat that
    is about to become a moderators' chat. ``via``: the platform community it was asked in."""
    return await outbox.enqueue(
        session,
        platform=platform,
        via=via,
        kind=kind_of(action),
        payload=to_payload(action),
        community_id=community_id,
    )


async def plan_send(
    session: AsyncSession, community: CommunityRecord, chat_id: str, text: str, **options: Any
) -> int:
    """Plan a message in ``chat_id`` (``send_row``'s options); returns its outbox id."""
    return await outbox.enqueue(session, **send_row(community, chat_id, text, **options))


def send_row(
    community: CommunityRecord,
    chat_id: str,
    text: str,
    *,
    reply_to: str | None = None,
    thread_id: str | None = None,
    surface: str = "",
    buttons: Sequence[Sequence[Button]] = (),
    delete_after: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """A planned message in ``chat_id`` (a comment when ``surface`` and ``thread_id`` say under
    what); ``options`` are ``planned``'s."""
    send = Send(
        chat_id,
        text,
        reply_to=reply_to,
        thread_id=thread_id,
        surface=surface,
        buttons=button_rows(buttons),
        delete_after=delete_after,
    )
    return planned(community, send, **options)
