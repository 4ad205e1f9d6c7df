"""Which community a command means: by the platform's id, its title or Dozor's own number.

An operator knows a group by its name, a Telegram chat id (``-1001234567890``) or a VK community
(``200100``, ``club200100``), not by the row id Dozor gave it; every command that takes
``--community`` accepts any of these and, when the words fit several, lists them.
"""

from __future__ import annotations

from config.settings import parse_vk_group_id
from models import communities
from models.communities import CommunityRecord
from models.db import Database
from moderation.errors import ConfigError


async def watched(db: Database) -> list[CommunityRecord]:
    """The communities Dozor watches: every registered chat except the moderators' own chats."""
    async with db.transaction() as session:
        known = await communities.list_all(session)
    modchats = {(c.modchat_on, c.modchat_id) for c in known if c.modchat_id}
    return [c for c in known if (c.platform, c.platform_id) not in modchats]


def line(c: CommunityRecord) -> str:
    """One community as the commands list it."""
    alone = "" if c.modchat_id else "  [no moderators' chat: cards and alerts go nowhere]"
    return f"{c.id:>4}  {c.platform}:{c.platform_id}  {c.title or '(no title yet)'}{alone}"


def listing(found: list[CommunityRecord]) -> str:
    head = f"  {'id':>4}  platform:id  title"
    return "\n".join([head, *(f"  {line(c)}" for c in found)]) if found else "  (none yet)"


async def resolve(db: Database, given: str) -> CommunityRecord:
    """The one community ``given`` names.

    Raises:
        ConfigError: none or several match; the message lists the candidates.
    """
    known = await watched(db)
    text = given.strip()
    try:
        vk_number = parse_vk_group_id(text)
    except ValueError:
        vk_number = None
    platform, _, rest = text.partition(":")
    matches = [
        c
        for c in known
        if text == str(c.id)
        or text == c.platform_id
        or (rest and platform.lower() == c.platform and rest == c.platform_id)
        or (c.platform == "vk" and vk_number is not None and str(vk_number) == c.platform_id)
        or (c.title and text.casefold() == c.title.casefold())
    ]
    if not matches:  # a part of the title, when nothing matched exactly
        matches = [c for c in known if c.title and text.casefold() in c.title.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ConfigError(f"no community matches {given!r}; the communities are:\n{listing(known)}")
    raise ConfigError(f"{given!r} fits {len(matches)} communities; name one by its id:\n{listing(matches)}")
