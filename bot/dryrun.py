"""The whole-bot dry run (``DOZOR_MODERATION_DRY_RUN=true``): every decision is made and stored,
and no action reaches a platform.

``DryRun`` stands in for a platform's ``Actions``: it logs what would have been done and counts
it done (``{"dry_run": true}`` in the outbox), and asks the real platform only who is who (an
admin's command is still recognised as an admin's). Button presses are not answered: in a dry
run no card or button is ever posted.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Hashable, Sequence

from moderation.actions import VISIBLE, Action, Ban, Delete, Document, Edit, Restrict, Send, Unban, Unrestrict
from moderation.ports import Actions, ChatRole, Done, Outcome

log = logging.getLogger(__name__)


def describe(action: Action) -> str:
    """What an action would do, in one line for the log (no message text: it may be private)."""
    match action:
        case Delete():
            return f"delete {len(action.message_ids)} message(s) in {action.chat_id}"
        case Restrict():
            return f"mute {action.user_id} in {action.chat_id} until {action.until or 'lifted'}"
        case Unrestrict():
            return f"lift the mute of {action.user_id} in {action.chat_id}"
        case Ban():
            return f"ban {action.user_id} in {action.chat_id} until {action.until or 'for good'}"
        case Unban():
            return f"unban {action.user_id} in {action.chat_id}"
        case Send():
            return f"send a message of {len(action.text)} characters to {action.chat_id}"
        case Edit():
            return f"edit message {action.message_id} in {action.chat_id}"
        case Document():
            return f"send the file {action.filename} to {action.chat_id}"


class DryRun:
    """A platform's ``Actions`` that acts on nothing (see the module's docstring).

    Args:
        real: the platform's own ``Actions``; only its capabilities and ``get_role`` are used.
        platform: its name, for the log.
    """

    def __init__(self, real: Actions, platform: str) -> None:
        self.real = real
        self.platform = platform
        self.capabilities = real.capabilities
        self._ids = itertools.count(1)

    def batch_key(self, action: Action) -> Hashable | None:
        return self.real.batch_key(action)

    async def perform(self, actions: Sequence[Action], keys: Sequence[str | None]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for action in actions:
            log.info("dry run on %s: would %s", self.platform, describe(action))
            posted = f"dry-run-{next(self._ids)}" if isinstance(action, VISIBLE) else None
            outcomes.append(Done(message_id=posted, dry_run=True))
        return outcomes

    async def answer_callback(self, callback_id: str, text: str, *, alert: bool = False) -> None:
        log.info("dry run on %s: would answer a button press", self.platform)

    async def get_role(self, chat_id: str, user_id: str) -> ChatRole:
        return await self.real.get_role(chat_id, user_id)
