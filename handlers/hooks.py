"""Executor hooks: what the use cases do when a planned action is done or fails for good."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import nowhere
from handlers.cards import card_text, decided_line
from handlers.context import plan, plan_send
from handlers.i18n import has, t
from models import cases, communities, escalations, join_checks
from models.communities import CommunityRecord
from models.outbox import OutboxRecord
from moderation.actions import Edit

log = logging.getLogger(__name__)


def outbox_name(language: str, kind: str) -> str:
    """What a planned action was, in words ("the ban", "удаление сообщения")."""
    return t(language, f"outbox_{kind}") if has(language, f"outbox_{kind}") else kind


class WorkflowHooks:
    """Implements ``bot.executor.ExecutorHooks`` for the community workflow.

    * a sent escalation card: its message id is stored on the escalation (and, when a moderator
      already decided before the card was delivered, the card is edited at once);
    * a sent join-check message: its id is stored on the check (to remove it later);
    * every action of a case done: the case becomes "executed";
    * an action of a case failed for good: the case becomes "failed" with the error, and the
      moderators' chat is told.
    """

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.clock = clock

    async def done(
        self, session: AsyncSession, finished: Sequence[tuple[OutboxRecord, dict[str, Any] | None]]
    ) -> None:
        """Called by the executor inside the transaction that marks these rows done."""
        for record, result in finished:
            sent = record.kind == "send" and result and result.get("message_id")
            escalation_id = record.payload.get("escalation_id")
            if sent and escalation_id is not None:
                await self._card_sent(session, int(escalation_id), str(result["message_id"]))
            check_id = record.payload.get("join_check_id")
            if sent and check_id is not None:
                await join_checks.set_message(session, int(check_id), str(result["message_id"]))
        await cases.settle(session, {r.case_id for r, _ in finished if r.case_id is not None})

    async def failed(self, session: AsyncSession, record: OutboxRecord, error: str) -> None:
        """Called by the executor inside the transaction that marks ``record`` failed."""
        if record.case_id is None:
            log.warning("outbox %s (%s) failed: %s", record.id, record.kind, error)
            return
        await cases.set_status(
            session,
            record.case_id,
            "failed",
            error=f"{record.kind}: {error}",
            only_from={"pending", "executed"},
        )
        if record.payload.get("alert") or record.community_id is None:
            return
        community = await communities.get(session, record.community_id)
        if community is None:
            return
        if not community.modchat_id:
            await self._nowhere(session, community, record)
            return
        kind = outbox_name(community.language, record.kind)
        text = t(community.language, "action_failed", kind=kind, case=record.case_id, error=error)
        await plan_send(session, community, community.modchat_id, text, alert=True)

    async def waiting(self, session: AsyncSession, record: OutboxRecord, needs: str, error: str) -> None:
        """Called once when an action starts waiting for a credential: say what to set."""
        community = await communities.get(session, record.community_id) if record.community_id else None
        if community is None or not community.modchat_id:
            log.warning("outbox %s (%s) waits for %s: %s", record.id, record.kind, needs, error)
            if community is not None:
                await self._nowhere(session, community, record)
            return
        values = {
            "kind": outbox_name(community.language, record.kind),
            "case": record.case_id,
            "error": error,
        }
        try:
            text = t(community.language, f"action_waiting_{needs}", **values)
        except KeyError:  # a credential without its own explanation: the error says what is missing
            text = t(community.language, "action_failed", **values)
        await plan_send(session, community, community.modchat_id, text, alert=True)

    async def _nowhere(self, session: AsyncSession, community: CommunityRecord, record: OutboxRecord) -> None:
        """No moderators' chat to tell of a failed action: the admins hear of it where it happened."""
        case = await cases.get(session, record.case_id) if record.case_id else None
        chat = case.chat_id if case else str(record.payload.get("chat_id") or community.platform_id)
        where = {"surface": case.kind, "thread_id": case.thread_id} if case else {}
        await nowhere.tell_admins(session, community, self.clock(), what="alert", chat_id=chat, **where)

    async def _card_sent(self, session: AsyncSession, escalation_id: int, message_id: str) -> None:
        await escalations.set_card(session, escalation_id, message_id)
        esc = await escalations.get(session, escalation_id)
        if esc is None or esc.status != "resolved" or not esc.modchat_id:
            return
        community = await communities.get(session, esc.community_id)
        case = await cases.get(session, esc.case_id)
        if community is None or case is None:
            return
        text = await card_text(session, community, case, esc)
        when = esc.decided_at or esc.created_at
        line = decided_line(community.language, esc.resolution or "", esc.decided_by_name or "?", when)
        await plan(session, community, Edit(esc.modchat_id, message_id, f"{text}\n{line}"))
