"""Who may do what: admins verified with the platform (cached), moderators from the database.

Admin standing comes from ``Actions.get_role`` and is cached in ``members.is_admin`` for
``ADMIN_TTL``; a MemberChange (promotion, demotion) refreshes the cache at once. Deciding an
escalation is checked live, every time: it is rare and the stakes are higher.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Context
from models import members, moderators
from models.communities import CommunityRecord
from moderation.errors import ActionFailed
from moderation.events import Author
from moderation.ports import ChatRole

log = logging.getLogger(__name__)

ADMIN_TTL = timedelta(minutes=10)
# What each escalation decision needs: removing content, or restricting a person.
NEEDS = {
    "delete": "delete",
    "spam": "delete",
    "approve": "delete",
    "answer": "delete",  # answering on the community's behalf: a content right, like approving
    "ban": "restrict",
    "mute": "restrict",
}


async def _role(ctx: Context, community: CommunityRecord, user_id: str) -> ChatRole | None:
    try:
        port = ctx.platform(community.platform, community.platform_id)
        return await port.get_role(community.platform_id, user_id)
    except ActionFailed as exc:
        log.warning("cannot check %s's role in %s: %s", user_id, community.platform_id, exc)
        return None


async def _elsewhere(
    ctx: Context, community: CommunityRecord, platform: str | None, user_id: str
) -> ChatRole | bool | None:
    """For someone acting from the moderators' chat on another platform than the community's:
    their role in that chat (None when the platform did not answer). False when they act on the
    community's own platform, where the usual checks apply.

    Accounts of two platforms are unrelated — a Telegram user and a VK user may share a number —
    so neither the community's admin cache nor its moderators list applies across platforms: there
    the admins of the moderators' chat decide, with their rights in that chat. That chat was linked
    with a one-time code that only a verified admin of the community could obtain.
    """
    if platform is None or platform == community.platform:
        return False
    if platform != community.modchat_on or community.modchat_id is None:
        return None
    try:
        port = ctx.platform(platform, community.modchat_via)
        return await port.get_role(community.modchat_id, user_id)
    except ActionFailed as exc:
        log.warning("cannot check a role in the moderators' chat %s: %s", community.modchat_id, exc)
        return None


async def is_admin(
    ctx: Context, community: CommunityRecord, author: Author, *, platform: str | None = None
) -> bool:
    """Whether ``author`` is an admin of ``community`` (anonymous admins are).

    ``platform``: where ``author`` acts from, when that may be the moderators' chat on another
    platform (see ``_elsewhere``).
    """
    other = await _elsewhere(ctx, community, platform, author.id)
    if other is not False:
        return isinstance(other, ChatRole) and (other.is_admin or other.is_owner)
    if author.is_anonymous_admin:
        return True
    now = ctx.now()
    async with ctx.db.transaction() as session:
        member = await members.get(session, community.id, author.id)
    if member is not None and member.admin_checked_at is not None:
        if now - member.admin_checked_at < ADMIN_TTL:
            return member.is_admin
    role = await _role(ctx, community, author.id)
    if role is None:  # the platform did not answer: refuse, do not cache
        return False
    admin = role.is_admin or role.is_owner
    async with ctx.db.transaction() as session:
        await members.set_admin(session, community.id, author.id, admin, now, name=author.name)
    return admin


async def is_moderator(
    ctx: Context, community: CommunityRecord, author: Author, *, platform: str | None = None
) -> bool:
    """An admin of the community, or someone in its ``moderators`` list."""
    if platform is not None and platform != community.platform:
        return await is_admin(ctx, community, author, platform=platform)
    async with ctx.db.transaction() as session:
        if await moderators.get(session, community.id, author.id) is not None:
            return True
    return await is_admin(ctx, community, author)


async def may_decide(
    ctx: Context, community: CommunityRecord, author: Author, decision: str, *, platform: str | None = None
) -> bool:
    """Whether ``author`` may take ``decision`` on an escalation of ``community``.

    Allowed: a row in ``moderators`` with the needed permission, or a verified admin of the
    community whose platform rights include it (the owner has every right). ``platform``: where
    the press came from; from a moderators' chat on another platform, that chat's admins with
    the matching right in it decide (see ``_elsewhere``).
    """
    need = NEEDS.get(decision, "restrict")
    other = await _elsewhere(ctx, community, platform, author.id)
    if other is not False:
        return isinstance(other, ChatRole) and _allows(other, need)
    async with ctx.db.transaction() as session:
        mod = await moderators.get(session, community.id, author.id)
    if mod is not None and (mod.can_delete if need == "delete" else mod.can_restrict):
        return True
    role = await _role(ctx, community, author.id)
    return role is not None and _allows(role, need)


def _allows(role: ChatRole, need: str) -> bool:
    if role.is_owner:
        return True
    return role.is_admin and (role.can_delete if need == "delete" else role.can_restrict)
