"""``VkAdapter``: what the runner needs from the VK communities of a process, behind the
``bot.adapter`` shape.

Each community has its own tokens, client, actions and way of receiving (Long Poll or the
Callback API); communities in callback mode share one Callback path and are told apart by the
``group_id`` VK puts in every request. Actions reach a community through its own port,
registered as ``vk:<group_id>`` (``moderation.ports.connection``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.coordination import Coordination
from bot.receiver import Receiver
from bot.vk import PLATFORM
from bot.vk.actions import VkActions
from bot.vk.callback import CallbackCommunity, add_callback_route
from bot.vk.client import Token, VkClient
from bot.vk.longpoll import LEASE_TTL, LongPoll, state_reader
from bot.vk.names import Names
from bot.vk.ratelimit import GROUP_PER_SECOND, USER_PER_SECOND
from bot.vk.translate import translate
from config.settings import VkMode, VkSettings
from handlers.updates import Update
from moderation.errors import ActionFailed, ConfigError
from moderation.ports import Actions

log = logging.getLogger(__name__)

NAMES_DEADLINE = 0.5  # seconds a batch waits for people's names before it goes on without them


@dataclass
class _Community:
    """One VK community's connection (set up by ``VkAdapter.connect``)."""

    settings: VkSettings
    client: VkClient | None = None
    actions: VkActions | None = None
    names: Names | None = None
    name: str = ""

    @property
    def group_id(self) -> int:
        assert self.settings.group_id is not None
        return self.settings.group_id


class VkAdapter:
    """Every VK community this process serves.

    Args:
        settings: the DOZOR_VK_* section (at least one community).
        wait: Long Poll seconds per ``a_check``.
        lease_ttl: seconds another process waits to take a community's polling over.
    """

    platform = PLATFORM
    bot_user_id: str | None = None  # Dozor speaks as each community; translate skips their own posts

    def __init__(self, settings: VkSettings, *, wait: int = 25, lease_ttl: float = LEASE_TTL) -> None:
        each = settings.each()
        if not each:
            raise ConfigError("VK needs DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN (or DOZOR_VK_COMMUNITIES)")
        self.settings = settings
        self.wait = wait
        self.lease_ttl = lease_ttl
        self.communities = {c.group_id: _Community(c) for c in each if c.group_id is not None}
        self.coordination: Coordination | None = None

    @property
    def ports(self) -> Mapping[str, Actions]:
        return {
            f"{PLATFORM}:{gid}": c.actions for gid, c in self.communities.items() if c.actions is not None
        }

    async def connect(self, coordination: Coordination | None = None) -> None:
        """Check that each community token works and is that community's. Raises ConfigError.

        ``coordination``: processes sharing the database share each token's requests per second
        and poll a community one at a time.
        """
        self.coordination = coordination
        for community in self.communities.values():
            await self._connect(community)
            if coordination is not None and community.client is not None:
                community.client.pace = _pacer(coordination)

    async def _connect(self, community: _Community) -> None:
        community.client = client = VkClient.from_settings(community.settings)
        gid, settings = community.group_id, community.settings
        token, group = settings.var("group_token"), settings.var("group_id")
        try:
            answer = await client.call("groups.getById", what=f"check {token}")
        except ActionFailed as exc:
            if not exc.permanent and exc.retry_after is None:
                raise ConfigError(f"cannot reach VK to check {token}: {exc}") from exc
            raise ConfigError(
                f"VK rejected {token} ({exc}); create a new community token (community settings → "
                "API usage) and run `dozor doctor`"
            ) from exc
        groups = answer.get("groups", []) if isinstance(answer, dict) else answer
        own = groups[0] if groups else {}
        if int(own.get("id") or 0) != gid:
            raise ConfigError(
                f"{token} belongs to community {own.get('id')}, not {group}={gid}; "
                "set the token of the community Dozor moderates"
            )
        community.name = str(own.get("name") or "")
        community.actions = VkActions(client, gid)
        community.names = Names(client, timeout=NAMES_DEADLINE)
        if client.has_user_token:
            await self._check_user_token(community)

    @staticmethod
    async def _check_user_token(community: _Community) -> None:
        """Say at start when the moderator's token does not work; the service runs regardless
        (the actions that need it wait for a working one)."""
        assert community.client is not None
        try:
            await community.client.call("users.get", token="user", what="check the moderator's user token")
        except ActionFailed as exc:
            log.warning(
                "vk: the moderator's user token of community %s does not work (%s); deleting comments "
                "and banning wait until %s holds a working token (run `dozor doctor`)",
                community.group_id,
                exc,
                community.settings.var("user_token"),
            )

    async def prepare(self, payloads: list[dict[str, Any]]) -> None:
        """People's names for a batch of stored events (VK's carry only ids): one ``users.get``
        per community for the people not seen lately, under a short deadline (``Names``). Events
        are stored first and named here, so nothing stands between an event and its row."""
        by_group: dict[int, list[dict[str, Any]]] = {}
        for payload in payloads:
            by_group.setdefault(_int(payload.get("group_id")), []).append(payload)
        for gid, events in by_group.items():
            community = self.communities.get(gid)
            if community is not None and community.names is not None:
                await community.names.annotate(events)

    def translate(self, payload: dict[str, Any]) -> Sequence[Update]:
        if payload.get("type") == "group_officers_edit":
            community = self.communities.get(_int(payload.get("group_id")))
            if community is not None and community.actions is not None:
                community.actions.roles.invalidate()  # a moderator was appointed or removed: ask VK again
        return translate(payload)

    def add_routes(self, app: web.Application, receiver: Receiver) -> None:
        """One Callback path for every community in callback mode."""
        served = {
            gid: CallbackCommunity(
                confirmation_code=c.settings.confirmation_code or "",
                secret=c.settings.secret.get_secret_value() if c.settings.secret else "",
            )
            for gid, c in self.communities.items()
            if c.settings.mode is VkMode.CALLBACK
        }
        if served:
            add_callback_route(app, self.settings.callback_path, receiver.store, served)

    async def listening(self) -> None:
        """Nothing to register: VK confirms the Callback server by calling it (see `dozor doctor`)."""

    def jobs(self, receiver: Receiver, stop: asyncio.Event) -> list[Awaitable[None]]:
        """A Long Poll loop for each community in longpoll mode."""
        loops: list[Awaitable[None]] = []
        for community in self.communities.values():
            if community.settings.mode is not VkMode.LONGPOLL:
                continue
            assert community.client is not None
            poll = LongPoll(
                community.client,
                community.group_id,
                receiver.store,
                state_reader(receiver.pipeline.db),
                wait=self.wait,
                coordination=self.coordination,
                lease_ttl=self.lease_ttl,
            )
            loops.append(poll.run(stop))
        return loops

    def titles(self) -> dict[str, str]:
        """Each community's name, as ``groups.getById`` gave it at ``connect``."""
        return {str(gid): c.name for gid, c in self.communities.items() if c.name}

    def describe(self) -> str:
        return "; ".join(self._describe(c) for c in self.communities.values())

    @staticmethod
    def _describe(community: _Community) -> str:
        user = "with" if community.settings.user_token else "WITHOUT"
        mode = community.settings.mode.value
        return (
            f"VK community {community.name or community.group_id} (id {community.group_id}, {mode} mode, "
            f"{user} a moderator's user token)"
        )

    async def close(self) -> None:
        for community in self.communities.values():
            if community.client is not None:
                await community.client.close()
                community.client = None


def _pacer(coordination: Coordination) -> Callable[[Token, str], Awaitable[float]]:
    """A token's requests per second shared by every process using it (named by a digest of the
    token, never the token)."""

    async def pace(kind: Token, token: str) -> float:
        digest = hashlib.sha256(token.encode()).hexdigest()[:16]
        per_second = USER_PER_SECOND if kind == "user" else GROUP_PER_SECOND
        return await coordination.pace(f"vk:{kind}:{digest}", per_second)

    return pace


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
