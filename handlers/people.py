"""Who a command's argument names (``/unban X``, ``/mod add X``): a member of the community."""

from __future__ import annotations

from handlers import bounds
from handlers.invocation import Invocation
from models import members
from moderation.events import Author

MAX_NAME = 255  # the longest name a member can have (``members.name``)


async def named(inv: Invocation, given: str) -> Author | None:
    """The person ``given`` names: a member of the community by user id, by the name Dozor shows
    for them (``/history`` lists both) or by the Telegram ``@username`` in it, else a number
    taken as a platform's user id Dozor has not seen. None when ``given`` is none of these (a bot
    cannot look up a username the community has not shown it)."""
    if len(given) <= MAX_NAME:
        async with inv.ctx.db.transaction() as session:
            member = await members.find_by_name(session, inv.community.id, given)
        if member is not None:
            return Author(id=member.user_id, name=member.name)
    user_id = bounds.user_id(given)
    return Author(id=user_id, name=given) if user_id and user_id.isdigit() else None
