"""The outbox executor against the simulated platform, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.executor import Executor
from bot.simulated import FULL, SimulatedActions
from models import cases, communities, outbox
from models.db import Database
from models.outbox import OutboxRecord
from moderation.errors import ActionFailed


class Outcomes:
    """ExecutorHooks that remember what they were told."""

    def __init__(self) -> None:
        self.succeeded: list[tuple[str, dict[str, Any] | None]] = []
        self.given_up: list[tuple[str, str]] = []
        self.waited: list[tuple[str, str]] = []

    async def done(
        self, session: AsyncSession, finished: Sequence[tuple[OutboxRecord, dict[str, Any] | None]]
    ) -> None:
        self.succeeded.extend((record.kind, result) for record, result in finished)

    async def failed(self, session: AsyncSession, record: OutboxRecord, error: str) -> None:
        self.given_up.append((record.kind, error))

    async def waiting(self, session: AsyncSession, record: OutboxRecord, needs: str, error: str) -> None:
        self.waited.append((record.kind, needs))


async def plan(db: Database, kind: str, payload: dict[str, Any], platform: str = "shell") -> int:
    async with db.transaction() as s:
        return await outbox.enqueue(s, platform=platform, kind=kind, payload=payload)


async def row(db: Database, outbox_id: int) -> OutboxRecord:
    async with db.transaction() as s:
        r = await outbox.get(s, outbox_id)
    assert r is not None
    return r


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


async def test_every_kind_reaches_the_platform(database: Database) -> None:
    sim = SimulatedActions()
    hooks = Outcomes()
    ex = Executor(database, {"shell": sim}, hooks)
    await plan(database, "delete", {"chat_id": "-1", "message_ids": ["5", 6]})
    await plan(database, "restrict", {"chat_id": "-1", "user_id": "7", "until": "2030-01-01T00:00:00+00:00"})
    await plan(database, "ban", {"chat_id": "-1", "user_id": "8", "until": None, "sender_chat": True})
    await plan(
        database,
        "send",
        {"chat_id": "-2", "text": "карточка", "buttons": [[{"text": "Ban", "data": "esc:1:ban"}]]},
    )
    assert await ex.run_once() == 4
    assert sim.deleted_ids("-1") == ["5", "6"]
    assert sim.of("restrict")[0].args["until"] == datetime(2030, 1, 1, tzinfo=UTC)
    assert sim.of("ban")[0].args == {"user_id": "8", "until": None, "sender_chat": True}
    sent = sim.of("send_message")[0]
    assert sent.args["buttons"][0][0].data == "esc:1:ban"
    assert ("send", {"message_id": sent.args["message_id"]}) in hooks.succeeded
    assert await ex.run_once() == 0  # nothing runs twice


async def test_retry_after_is_honoured(database: Database) -> None:
    sim = SimulatedActions()
    sim.fail_next("delete_messages", ActionFailed("Too Many Requests: retry after 30", retry_after=30))
    ex = Executor(database, {"shell": sim})
    oid = await plan(database, "delete", {"chat_id": "-1", "message_ids": ["1"]})
    await ex.run_once()
    r = await row(database, oid)
    # held back, not failed: flood control spends none of the row's attempts
    assert r.status == "pending" and r.attempts == 0 and "retry after" in (r.last_error or "")
    assert later(25) < r.next_attempt_at < later(31)
    assert await ex.run_once() == 0 and sim.deleted_ids() == []  # not before its time
    assert await ex.run_once(now=later(31)) == 1
    assert sim.deleted_ids() == ["1"] and (await row(database, oid)).status == "done"


async def test_a_busy_chat_holds_messages_back_without_failing_them(database: Database) -> None:
    sim = SimulatedActions()
    sim.fail_next("send_message", ActionFailed("20 messages a minute in this group", retry_after=5), times=20)
    ex = Executor(database, {"shell": sim}, max_attempts=3)
    oid = await plan(database, "send", {"chat_id": "-1", "text": "your message was removed"})
    for step in range(21):
        await ex.run_once(now=later(6 * step))
    assert sim.sent_to("-1") == ["your message was removed"]
    assert (await row(database, oid)).status == "done"


async def test_transient_failures_back_off_then_give_up(database: Database) -> None:
    sim = SimulatedActions()
    sim.fail_next("ban", ActionFailed("network is unreachable"), times=10)
    hooks = Outcomes()
    ex = Executor(database, {"shell": sim}, hooks, max_attempts=3, base_delay=10)
    oid = await plan(database, "ban", {"chat_id": "-1", "user_id": "9"})
    await ex.run_once()
    first = await row(database, oid)
    assert later(4) < first.next_attempt_at < later(11)  # 10 s, less up to half of it (jitter)
    await ex.run_once(now=first.next_attempt_at)  # just due: the next pause cannot make it due again
    second = await row(database, oid)
    assert later(9) < second.next_attempt_at < later(21)  # doubled: 20 s, jittered
    await ex.run_once(now=later(60))
    final = await row(database, oid)
    assert final.status == "failed" and final.attempts == 3
    assert hooks.given_up == [("ban", "network is unreachable")]


async def test_permanent_failure_is_not_retried(database: Database) -> None:
    sim = SimulatedActions()
    sim.fail_next(
        "delete_messages", ActionFailed("message can't be deleted (older than 48 h)", permanent=True)
    )
    hooks = Outcomes()
    ex = Executor(database, {"shell": sim}, hooks)
    oid = await plan(database, "delete", {"chat_id": "-1", "message_ids": ["1"]})
    await ex.run_once()
    assert (await row(database, oid)).status == "failed"
    assert hooks.given_up == [("delete", "message can't be deleted (older than 48 h)")]


async def test_a_notice_deletes_itself_outside_its_case(database: Database) -> None:
    sim = SimulatedActions()
    ex = Executor(database, {"shell": sim})
    async with database.transaction() as s:
        c = await communities.ensure(s, "shell", "-1")
        case = await cases.create(
            s, community_id=c.id, platform="shell", chat_id="-1", author_id="5", action="delete"
        )
        await outbox.enqueue(
            s,
            platform="shell",
            kind="send",
            case_id=case.id,
            community_id=c.id,
            payload={"chat_id": "-1", "text": "Ваше сообщение удалено", "delete_after": 60},
        )
    await ex.run_once()
    notice_id = sim.of("send_message")[0].args["message_id"]
    async with database.transaction() as s:
        assert [r.kind for r in await outbox.for_case(s, case.id)] == ["send"]  # cleanup is not the case's
    assert await ex.run_once(now=later(30)) == 0
    assert await ex.run_once(now=later(61)) == 1
    assert sim.deleted_ids("-1") == [notice_id]


async def test_unknown_platform_fails_with_a_reason(database: Database) -> None:
    ex = Executor(database, {"shell": SimulatedActions()})
    oid = await plan(database, "delete", {"chat_id": "1", "message_ids": ["1"]}, platform="vk")
    await ex.run_once()
    r = await row(database, oid)
    assert r.status == "failed" and "no adapter is running for platform 'vk'" in (r.last_error or "")


async def test_two_executors_never_run_an_action_twice(database: Database) -> None:
    sim = SimulatedActions()
    for i in range(20):
        await plan(database, "delete", {"chat_id": "-1", "message_ids": [str(i)]})
    a, b = Executor(database, {"shell": sim}), Executor(database, {"shell": sim})
    await asyncio.gather(a.run_once(), b.run_once())
    assert sorted(sim.deleted_ids(), key=int) == [str(i) for i in range(20)]


async def test_run_forever_wakes_for_new_work_and_stops(database: Database) -> None:
    sim = SimulatedActions()
    ex = Executor(database, {"shell": sim})
    stop = asyncio.Event()
    task = asyncio.create_task(ex.run_forever(stop, poll=30))
    await asyncio.sleep(0.05)
    await plan(database, "delete", {"chat_id": "-1", "message_ids": ["42"]})
    ex.wake()
    for _ in range(100):
        if sim.deleted_ids():
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert sim.deleted_ids() == ["42"]


class SlowPlatform(SimulatedActions):
    """The simulated platform, answering the first ``slow`` sends after the executor gave up."""

    def __init__(self, slow: int, *, deduplicates: bool) -> None:
        super().__init__(capabilities=replace(FULL, dedup_messages=deduplicates))
        self.slow = slow

    async def send_message(self, chat_id: str, text: str, **kwargs: Any) -> str:
        message_id = await super().send_message(chat_id, text, **kwargs)  # performed…
        if self.slow:
            self.slow -= 1
            await asyncio.sleep(1)  # …but answered too late
        return message_id


async def test_a_message_answered_too_late_is_not_sent_again_where_the_platform_cannot_deduplicate(
    database: Database,
) -> None:
    telegram_like = SlowPlatform(1, deduplicates=False)
    ex = Executor(database, {"shell": telegram_like}, call_timeout=0.2, base_delay=0.01)
    oid = await plan(database, "send", {"chat_id": "-1", "text": "your message was removed"})
    await ex.run_once()
    await ex.run_once(now=later(5))
    assert telegram_like.sent_to("-1") == ["your message was removed"]  # once: no visible duplicate
    r = await row(database, oid)
    assert r.status == "done" and r.result == {"in_doubt": True}


async def test_a_message_answered_too_late_is_sent_again_with_its_key_where_the_platform_deduplicates(
    database: Database,
) -> None:
    vk_like = SlowPlatform(1, deduplicates=True)
    ex = Executor(database, {"shell": vk_like}, call_timeout=0.2, base_delay=0.01)
    oid = await plan(database, "send", {"chat_id": "-1", "text": "answer"})
    await ex.run_once()
    assert (await row(database, oid)).status == "pending"  # retried: the platform drops a repeat
    await ex.run_once(now=later(5))
    assert (await row(database, oid)).status == "done"


async def test_deletes_in_one_place_are_one_call_and_each_row_is_recorded(database: Database) -> None:
    sim = SimulatedActions()
    hooks = Outcomes()
    ex = Executor(database, {"shell": sim}, hooks)
    ids = [await plan(database, "delete", {"chat_id": "-1", "message_ids": [str(m)]}) for m in (1, 2, 3)]
    ids.append(await plan(database, "delete", {"chat_id": "-2", "message_ids": ["9"]}))
    ids.append(await plan(database, "delete", {"chat_id": "-1", "message_ids": ["4"], "thread_id": "7"}))
    assert await ex.run_once() == 5
    deletes = [(c.chat_id, c.args["message_ids"]) for c in sim.of("delete_messages")]
    # one chat's messages together; another chat, or a thread of the chat, is a call of its own
    assert sorted(deletes) == [("-1", ["1", "2", "3"]), ("-1", ["4"]), ("-2", ["9"])]
    assert [(await row(database, i)).status for i in ids] == ["done"] * 5
    assert len(hooks.succeeded) == 5


async def test_a_failed_merged_delete_fails_each_of_its_rows(database: Database) -> None:
    sim = SimulatedActions()
    sim.fail_next("delete_messages", ActionFailed("Bad Request: not enough rights", permanent=True))
    hooks = Outcomes()
    ex = Executor(database, {"shell": sim}, hooks)
    ids = [await plan(database, "delete", {"chat_id": "-1", "message_ids": [str(m)]}) for m in (1, 2)]
    await ex.run_once()
    assert [(await row(database, i)).status for i in ids] == ["failed", "failed"]
    assert [kind for kind, _ in hooks.given_up] == ["delete", "delete"]


async def test_a_message_past_its_time_is_dropped_not_sent(database: Database) -> None:
    sim = SimulatedActions()
    ex = Executor(database, {"shell": sim})
    async with database.transaction() as s:
        stale = await outbox.enqueue(
            s,
            platform="shell",
            kind="send",
            payload={"chat_id": "-1", "text": "removed"},
            expires_at=later(-1),
        )
        fresh = await outbox.enqueue(
            s, platform="shell", kind="send", payload={"chat_id": "-1", "text": "hello"}, expires_at=later(60)
        )
    await ex.run_once()
    assert [c.args["text"] for c in sim.of("send_message")] == ["hello"]
    dropped = await row(database, stale)
    assert dropped.status == "done" and dropped.result == {"expired": True}
    assert (await row(database, fresh)).status == "done"


async def test_deletes_are_claimed_before_restrictions_that_were_planned_earlier(database: Database) -> None:
    """What readers see goes first: a flood's bans wait behind its deletes, not the other way."""
    sim = SimulatedActions()
    ex = Executor(database, {"shell": sim})
    for n in range(3):
        await plan(database, "ban", {"chat_id": "-1", "user_id": str(n)})
    await plan(database, "delete", {"chat_id": "-1", "message_ids": ["50"]})
    rows = await ex._claim(ex.lanes[0], 2, later(1))
    assert [r.kind for r in rows] == ["delete", "ban"]
