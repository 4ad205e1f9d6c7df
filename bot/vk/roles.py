"""Who may moderate: the community's managers and the admins of its chats, cached.

Managers come from ``groups.getMembers(filter=managers)`` (community token), cached for
``ttl`` seconds and refreshed at once on ``group_officers_edit``; admins of a community chat
from ``messages.getConversationMembers`` (``is_admin`` / ``is_owner``).
"""

from __future__ import annotations

import time
from typing import Any

from bot.vk.client import VkClient
from bot.vk.content import CHAT_PEER_BASE
from moderation.ports import ChatRole

ROLE_TTL = 600.0  # seconds a managers / chat members list is trusted
_MANAGER_ROLES = {"moderator", "editor", "administrator", "creator"}


class VkRoles:
    """Answers ``get_role`` for one community."""

    def __init__(self, client: VkClient, group_id: int, *, ttl: float = ROLE_TTL) -> None:
        self.client = client
        self.group_id = group_id
        self.ttl = ttl
        self._managers: dict[str, str] | None = None
        self._managers_at = 0.0
        self._chat_members: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole:
        """A manager of the community (cached), or an admin of a community chat."""
        if user_id.startswith("-"):
            return ChatRole(is_admin=user_id == f"-{self.group_id}")
        if int(chat_id) > CHAT_PEER_BASE:
            member = (await self._members_of(chat_id)).get(user_id)
            if member is None:
                return ChatRole()
            admin = bool(member.get("is_admin") or member.get("is_owner"))
            return ChatRole(
                is_admin=admin, is_owner=bool(member.get("is_owner")), can_delete=admin, can_restrict=admin
            )
        role = (await self.managers()).get(user_id)
        if role not in _MANAGER_ROLES:
            return ChatRole()
        return ChatRole(
            is_admin=True, is_owner=role == "creator", can_delete=True, can_restrict=role != "editor"
        )

    def invalidate(self) -> None:
        """Forget what is cached; the next question reads VK again (``group_officers_edit``)."""
        self._managers = None
        self._chat_members.clear()

    async def managers(self) -> dict[str, str]:
        """The community's managers (user id → role), refreshed after ``role_ttl`` seconds."""
        if self._managers is None or time.monotonic() - self._managers_at > self.ttl:
            await self.refresh()
        assert self._managers is not None
        return self._managers

    async def refresh(self) -> None:
        """Read the managers again (on ``group_officers_edit``), and forget cached chat admins."""
        found: dict[str, str] = {}
        offset = 0
        while True:
            page = await self.client.call(
                "groups.getMembers",
                {"group_id": self.group_id, "filter": "managers", "offset": offset, "count": 1000},
                what="read the community's managers",
            )
            items = page.get("items", []) if isinstance(page, dict) else []
            for item in items:
                if isinstance(item, dict):
                    found[str(item.get("id"))] = str(item.get("role") or "moderator")
            offset += len(items)
            if not items or offset >= int(page.get("count") or 0):
                break
        self._managers, self._managers_at = found, time.monotonic()
        self._chat_members.clear()

    async def _members_of(self, peer: str) -> dict[str, dict[str, Any]]:
        cached = self._chat_members.get(peer)
        if cached is not None and time.monotonic() - cached[0] <= self.ttl:
            return cached[1]
        answer = await self.client.call(
            "messages.getConversationMembers",
            {"peer_id": peer, "group_id": self.group_id},
            what=f"read the members of chat {peer}",
        )
        members = {str(m.get("member_id")): m for m in answer.get("items", []) if isinstance(m, dict)}
        self._chat_members[peer] = (time.monotonic(), members)
        return members
