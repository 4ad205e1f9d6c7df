"""``VkAdapter``: what the runner needs from one VK community, behind the ``bot.adapter`` shape."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any

from aiohttp import web

from bot.receiver import Receiver
from bot.vk import PLATFORM
from bot.vk.actions import VkActions
from bot.vk.callback import callback_handler
from bot.vk.client import VkClient
from bot.vk.longpoll import LongPoll, state_reader
from bot.vk.names import Names
from bot.vk.translate import translate
from config.settings import VkMode, VkSettings
from handlers.updates import Update
from moderation.errors import ActionFailed, ConfigError

log = logging.getLogger(__name__)


class VkAdapter:
    """One VK community: its actions, its translator and its way of receiving events.

    Args:
        settings: the DOZOR_VK_* section (group id and community token required).
        wait: Long Poll seconds per ``a_check``.
    """

    platform = PLATFORM

    def __init__(self, settings: VkSettings, *, wait: int = 25) -> None:
        if settings.group_id is None or settings.group_token is None:
            raise ConfigError("VK needs DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN")
        self.settings = settings
        self.group_id = settings.group_id
        self.wait = wait
        self.client: VkClient | None = None
        self.actions: VkActions | None = None
        self.names: Names | None = None
        # Dozor acts on VK as the community itself: its comments and messages come from -group_id.
        self.bot_user_id: str | None = str(-settings.group_id)
        self._name = ""

    async def connect(self) -> None:
        """Check that the community token works and is this community's. Raises ConfigError."""
        self.client = client = VkClient.from_settings(self.settings)
        try:
            answer = await client.call("groups.getById", what="check DOZOR_VK_GROUP_TOKEN")
        except ActionFailed as exc:
            if not exc.permanent and exc.retry_after is None:
                raise ConfigError(f"cannot reach VK to check the community token: {exc}") from exc
            raise ConfigError(
                f"VK rejected DOZOR_VK_GROUP_TOKEN ({exc}); create a new community token (community "
                "settings → API usage) and run `dozor doctor`"
            ) from exc
        groups = answer.get("groups", []) if isinstance(answer, dict) else answer
        own = groups[0] if groups else {}
        if int(own.get("id") or 0) != self.group_id:
            raise ConfigError(
                f"DOZOR_VK_GROUP_TOKEN belongs to community {own.get('id')}, not DOZOR_VK_GROUP_ID="
                f"{self.group_id}; set the token of the community Dozor moderates"
            )
        self._name = str(own.get("name") or "")
        self.actions = VkActions(client, self.group_id)
        self.names = Names(client)
        if client.has_user_token:
            await self._check_user_token(client)

    async def _check_user_token(self, client: VkClient) -> None:
        """Say at start when the moderator's token does not work; the service runs regardless
        (the actions that need it wait for a working one)."""
        try:
            await client.call("users.get", token="user", what="check DOZOR_VK_USER_TOKEN")
        except ActionFailed as exc:
            log.warning(
                "vk: the moderator's user token does not work (%s); deleting comments and banning wait "
                "until DOZOR_VK_USER_TOKEN holds a working token (run `dozor doctor`)",
                exc,
            )

    def translate(self, payload: dict[str, Any]) -> Sequence[Update]:
        if payload.get("type") == "group_officers_edit" and self.actions is not None:
            self.actions.roles.invalidate()  # a moderator was appointed or removed: ask VK again
        return translate(payload)

    def add_routes(self, app: web.Application, receiver: Receiver) -> None:
        if self.settings.mode is not VkMode.CALLBACK:
            return
        secret = self.settings.secret.get_secret_value() if self.settings.secret else ""
        handler = callback_handler(
            receiver.store,
            group_id=self.group_id,
            confirmation_code=self.settings.confirmation_code or "",
            secret=secret,
            names=self.names,
        )
        app.router.add_post(self.settings.callback_path, handler)

    async def listening(self) -> None:
        """Nothing to register: VK confirms the Callback server by calling it (see `dozor doctor`)."""

    def jobs(self, receiver: Receiver, stop: asyncio.Event) -> list[Awaitable[None]]:
        """The Long Poll loop in longpoll mode."""
        if self.settings.mode is not VkMode.LONGPOLL:
            return []
        assert self.client is not None
        poll = LongPoll(
            self.client,
            self.group_id,
            receiver.store,
            state_reader(receiver.pipeline.db),
            wait=self.wait,
            names=self.names,
        )
        return [poll.run(stop)]

    def titles(self) -> dict[str, str]:
        """The community's name, as ``groups.getById`` gave it at ``connect``."""
        return {str(self.group_id): self._name} if self._name else {}

    def describe(self) -> str:
        user = "with" if self.settings.user_token else "WITHOUT"
        name = self._name or self.group_id
        mode = self.settings.mode.value
        return f"VK community {name} (id {self.group_id}, {mode} mode, {user} a moderator's user token)"

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None
