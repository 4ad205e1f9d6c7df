"""Who a command's argument names (``/unban X``, ``/mod add X``): a member of the community."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers import bounds
from handlers.invocation import Invocation
from models import members
from models.members import MemberRecord
from moderation.events import Author

MAX_NAME = 255  # the longest name a member can have (``members.name``)
# How VK writes a person in a comment or chat: a mention "[id123|Ivan]", or "id123" / "@id123".
VK_PERSON = re.compile(r"\[id(\d{1,19})\|[^\]]*\]|@?id(\d{1,19})")


@dataclass(frozen=True, slots=True)
class Named:
    """Whom a command's argument names: ``person`` when it is one person; else nobody, or the
    members the name fits (several: ``fits``)."""

    given: str
    person: Author | None
    fits: tuple[MemberRecord, ...] = ()


async def named(inv: Invocation, given: str) -> Named:
    """The person ``given`` names: a member of the community by user id, by the name Dozor shows
    for them (``/history`` lists both) or by the Telegram ``@username`` in it, else a number
    (or VK's ``[id123|Ivan]`` / ``id123``) taken as a platform's user id Dozor has not seen.
    Nobody when ``given`` is none of these (a bot cannot look up a username the community has
    not shown it) or when it fits several members."""
    if len(given) <= MAX_NAME:
        async with inv.ctx.db.transaction() as session:
            found = await members.find_named(session, inv.community.id, given)
        if len(found) == 1:
            return Named(given, Author(id=found[0].user_id, name=found[0].name))
        if found:
            return Named(given, None, tuple(found))
    number = VK_PERSON.fullmatch(given)
    user_id = bounds.user_id(number.group(1) or number.group(2) if number else given)
    return Named(given, Author(id=user_id, name=given) if user_id and user_id.isdigit() else None)


async def refuse(inv: Invocation, unnamed: Named, command: str) -> None:
    """Tell the admin why nobody was named: the name fits several people (with their ids), or none."""
    if unnamed.fits:
        ids = ", ".join(m.user_id for m in unnamed.fits)
        await inv.answer_key("several_people", name=unnamed.given[:64], ids=ids, command=command)
    else:
        await inv.answer_key("unknown_person", name=unnamed.given[:64], command=command)
