"""Auto-replies to keyword/FAQ triggers, with a per-chat cooldown, paused during a raid.

A raid is many newcomers at once: at least ``raid_newcomers`` members first seen (joined or first
posted) within the last ``raid_window_seconds`` (community switches; defaults below). Answering
FAQs then only feeds the flood, so auto-replies pause until it passes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import autoreplies, members
from models.autoreplies import AutoReplyRecord
from models.communities import CommunityRecord

RAID_NEWCOMERS = 10
RAID_WINDOW = timedelta(minutes=5)
DEFAULT_COOLDOWN = 300


def matches(trigger: str, text: str) -> bool:
    """Whether ``trigger`` occurs in ``text`` as whole words, ignoring case."""
    pattern = r"(?<!\w)" + re.escape(trigger.strip()) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


async def in_raid(session: AsyncSession, community: CommunityRecord, now: datetime) -> bool:
    """Whether the community is being raided right now (many newcomers in a short window)."""
    threshold = int(community.settings.get("raid_newcomers", RAID_NEWCOMERS))
    window = timedelta(
        seconds=int(community.settings.get("raid_window_seconds", RAID_WINDOW.total_seconds()))
    )
    return await members.newcomers_since(session, community.id, now - window) >= threshold


async def answer_for(
    session: AsyncSession,
    community: CommunityRecord,
    chat_id: str,
    text: str,
    now: datetime,
    *,
    replies: list[AutoReplyRecord] | None = None,
) -> AutoReplyRecord | None:
    """The auto-reply to send for ``text`` in ``chat_id`` now, claiming its cooldown; or None.

    None when no trigger matches, when the matching trigger answered in this chat within its
    cooldown, or during a raid. ``replies``: the community's auto-replies, when already read.
    """
    if replies is None:
        replies = await autoreplies.list_for(session, community.id)
    candidates = [r for r in replies if matches(r.trigger, text)]
    if not candidates or await in_raid(session, community, now):
        return None
    for reply in sorted(candidates, key=lambda r: -len(r.trigger)):  # the most specific first
        if await autoreplies.mark_fired(session, reply, chat_id, now):
            return reply
    return None
