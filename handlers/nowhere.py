"""Cards and alerts with nowhere to go: without a moderators' chat, the admins hear of it once.

Escalation cards (with their buttons) and alerts about failed actions go to the community's
moderators' chat. Until an admin links one with ``/modchat`` they are recorded but nobody sees
them. The first such card or alert tells the admins, in the chat where it happened, what to do —
at most once a day per community, and the note deletes itself after ten minutes, so the chat is
not filled with it. ``/status``, ``dozor doctor`` and ``dozor stats`` say it too.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import plan_send
from handlers.i18n import t
from models import state
from models.communities import CommunityRecord
from moderation.events import EventKind

log = logging.getLogger(__name__)

TOLD_KEY = "no-modchat-told:{}"
QUIET = timedelta(hours=24)
NOTE_SECONDS = 600


async def tell_admins(
    session: AsyncSession,
    community: CommunityRecord,
    now: datetime,
    *,
    what: str,
    chat_id: str,
    surface: str = "",
    thread_id: str | None = None,
) -> bool:
    """Say in ``chat_id`` that ``what`` ("card" or "alert") went nowhere; once a day. True when told.

    Under a VK post, photo, video, item or topic the note would be a public comment for days:
    there only the log says it.
    """
    if community.modchat_id:
        return False
    log.warning(
        "community %s (%s) has no moderators' chat: a %s went nowhere", community.id, community.title, what
    )
    if surface in {k.value for k in EventKind} and EventKind(surface).under_post:
        return False
    key = TOLD_KEY.format(community.id)
    told = await state.get(session, key)
    if told and now - datetime.fromisoformat(told) < QUIET:
        return False
    await state.put(session, key, now.isoformat())
    text = t(community.language, f"no_modchat_{what}", minutes=NOTE_SECONDS // 60)
    await plan_send(
        session, community, chat_id, text, thread_id=thread_id, surface=surface, delete_after=NOTE_SECONDS
    )
    return True
