"""Who a command's argument names (``/unban X``, ``/mod add X``): a member of the community."""

from __future__ import annotations

import re

from handlers import bounds
from handlers.invocation import Invocation
from models import members
from moderation.events import Author

MAX_NAME = 255  # the longest name a member can have (``members.name``)
# How VK writes a person in a comment or chat: a mention "[id123|Ivan]", or "id123" / "@id123".
VK_PERSON = re.compile(r"\[id(\d{1,19})\|[^\]]*\]|@?id(\d{1,19})")


async def named(inv: Invocation, given: str) -> Author | None:
    """The person ``given`` names: a member of the community by user id, by the name Dozor shows
    for them (``/history`` lists both) or by the Telegram ``@username`` in it, else a number
    (or VK's ``[id123|Ivan]`` / ``id123``) taken as a platform's user id Dozor has not seen. None
    when ``given`` is none of these (a bot cannot look up a username the community has not shown
    it)."""
    if len(given) <= MAX_NAME:
        async with inv.ctx.db.transaction() as session:
            member = await members.find_by_name(session, inv.community.id, given)
        if member is not None:
            return Author(id=member.user_id, name=member.name)
    if vk := VK_PERSON.fullmatch(given):
        given = vk.group(1) or vk.group(2)
    user_id = bounds.user_id(given)
    return Author(id=user_id, name=given) if user_id and user_id.isdigit() else None
