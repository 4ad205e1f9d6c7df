"""``/mod``: the community's moderator list, kept by its admins from the chat.

Moderators decide escalations (and read ``/status``, ``/rules``, ``/history``, ``/stats``)
without being admins on the platform. ``/mod add`` makes a moderator who may delete and
restrict; ``/mod add delete-only`` one who may only delete and approve.
"""

from __future__ import annotations

from handlers import bounds
from handlers.invocation import Invocation
from handlers.people import named, refuse
from models import moderators
from moderation.events import Author

USAGE = "/mod add [delete-only] (as a reply, or with a user id or @username) · /mod remove … · /mod list"


async def mod_cmd(inv: Invocation) -> None:
    words = inv.words()
    verb = words[0].lower() if words else "list"
    rest = [w for w in words[1:] if w.lower() != "delete-only"]
    delete_only = any(w.lower() == "delete-only" for w in words[1:])
    if verb == "list":
        await _list(inv)
        return
    if verb not in ("add", "remove"):
        await inv.answer_key("usage", usage=USAGE)
        return
    target = inv.cmd.reply_to_author
    given = " ".join(rest)  # a name may have spaces, and so may a VK mention "[id1|Иван Петров]"
    if target is None and given:
        found = await named(inv, given)
        target = found.person
        if target is None and verb == "remove" and not found.fits and (listed := bounds.user_id(given)):
            target = Author(id=listed, name=given)  # an entry of the list, whoever it names
        if target is None:
            await refuse(inv, found, "mod")
            return
    if target is None:
        await inv.answer_key("usage", usage=USAGE)
        return
    user_id, name = target.id, target.name
    async with inv.ctx.db.transaction() as session:
        if verb == "add":
            await moderators.remove(session, inv.community.id, user_id)  # re-adding changes the rights
            await moderators.add(
                session,
                inv.community.id,
                user_id,
                name=name,
                can_delete=True,
                can_restrict=not delete_only,
                added_by=inv.cmd.author.id,
            )
            key = "mod_added_delete_only" if delete_only else "mod_added"
        else:
            key = (
                "mod_removed"
                if await moderators.remove(session, inv.community.id, user_id)
                else "mod_missing"
            )
        await inv.answer_in(session, inv.t(key, name=name or user_id))
    inv.ctx.poke()


async def _list(inv: Invocation) -> None:
    async with inv.ctx.db.transaction() as session:
        team = await moderators.list_for(session, inv.community.id)
    if not team:
        await inv.answer_key("mods_empty")
        return
    lines = [inv.t("mods_head")]
    for m in team:
        rights = "delete, mute, ban" if m.can_restrict else "delete"
        lines.append(f"• {m.name or m.user_id} (id {m.user_id}): {rights}")
    await inv.answer("\n".join(lines))
