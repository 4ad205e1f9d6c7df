"""Ports: the small capabilities the use cases need from a platform.

Each platform adapter implements ``Actions`` and publishes its ``Capabilities``;
``bot.simulated.SimulatedActions`` is the twin that records what would have happened (dry runs,
`dozor shell`, tests). A refusal is ``moderation.errors.ActionFailed``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from moderation.errors import ActionFailed
from moderation.verdict import Scores

if TYPE_CHECKING:
    from moderation.actions import Action


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: pressed, it comes back as ``data`` (at most 64 bytes, Telegram's
    callback_data limit); with ``url`` it opens that address instead."""

    text: str
    data: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ChatRole:
    """A user's standing in a chat, as the platform reports it."""

    is_admin: bool = False
    is_owner: bool = False
    can_delete: bool = False
    can_restrict: bool = False


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a platform can do. Use cases and the executor ask these, never a platform's name.

    Attributes:
        batch: actions one platform request can carry, for actions of one ``Actions.batch_key``.
        mute: a real mute exists (the member stays and reads); without it a mute is carried out
            as a timed ban.
        join_check: a newcomer can be held until they press a button.
        greets_newcomers: a welcome can be posted where the newcomer reads it.
        comment_buttons: buttons can go under a comment's answer (not only in chats).
        comment_files: files can be posted as a comment's answer (not only in chats).
        dedup_messages: a message sent again with the same key is posted once by the platform.
        banned_can_write: a banned member can still write to Dozor privately (to appeal there).
    """

    batch: int = 1
    mute: bool = True
    join_check: bool = False
    greets_newcomers: bool = False
    comment_buttons: bool = False
    comment_files: bool = False
    dedup_messages: bool = False
    banned_can_write: bool = True


@dataclass(frozen=True, slots=True)
class Done:
    """An action carried out.

    Attributes:
        message_id: the message it posted.
        already_gone: a delete found nothing left to delete (the wanted state is there).
        in_doubt: it may or may not have reached the platform, and is not repeated (see the
            executor: a message must not be seen twice).
        dry_run: nothing was done: the whole service is a dry run.
    """

    message_id: str | None = None
    already_gone: bool = False
    in_doubt: bool = False
    dry_run: bool = False

    def result(self) -> dict[str, Any] | None:
        """What the outbox keeps of it."""
        kept: dict[str, Any] = {"message_id": self.message_id} if self.message_id is not None else {}
        kept.update({flag: True for flag in ("already_gone", "in_doubt", "dry_run") if getattr(self, flag)})
        return kept or None


Outcome = Done | ActionFailed


class Actions(Protocol):
    """One platform's way of carrying out planned actions (``moderation.actions``)."""

    capabilities: Capabilities

    def batch_key(self, action: Action) -> Hashable | None:
        """Actions with the same key may be carried out by one request (up to
        ``capabilities.batch``); None: this action goes alone."""
        ...

    async def perform(self, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
        """Carry out actions (one, or a batch of one ``batch_key``) and return each one's outcome.

        ``keys`` are stable across retries of each planned action: a platform that can
        deduplicate a message by a client key posts it once. Raises ``ActionFailed`` when the
        whole request failed (each action then failed that way).
        """
        ...

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None: ...

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole: ...


def connection(ports: Mapping[str, Actions], platform: str, via: str | None = None) -> Actions | None:
    """A platform's ``Actions`` for one of its communities.

    ``ports`` are keyed ``"<platform>:<community>"`` where each community has a connection of its
    own (a VK community's tokens) and ``"<platform>"`` where one serves them all (Telegram's bot).
    Returns the community's own, else the platform-wide one, else the platform's only one.
    """
    if via is not None and (own := ports.get(f"{platform}:{via}")) is not None:
        return own
    if (shared := ports.get(platform)) is not None:
        return shared
    found = [port for key, port in ports.items() if key.startswith(f"{platform}:")]
    return found[0] if len(found) == 1 else None


class Scorer(Protocol):
    """A text classifier: spam, toxicity and negativity probabilities for normalised text.

    ``moderation.classifier`` ships the default implementation; the engine treats a missing
    scorer as all-zero scores. Implementations must be pure, fast and never raise on odd text.
    """

    def score(self, normalized: str) -> Scores:
        """Score text already passed through ``moderation.normalize.normalize``."""
        ...
