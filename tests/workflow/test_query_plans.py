"""Every lookup on the hot path stays cheap as history grows, on PostgreSQL.

The statements are the real ones: captured while the workflow handles comments, spam, a moderator's
decision and the executor's work. Then the community gets a long history (cases, inbox and outbox
rows, members), the planner's statistics are refreshed, and each statement is explained: its
estimated cost must stay far below what reading that history would cost. A lookup without a fitting
index — a scan of the table, or of every case of the community — fails here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event

from tests.workflow.world import BORIS, CAROL, SPAMMER, World


@pytest.mark.postgres
async def test_hot_path_statements_use_indexes(both: World) -> None:
    db = both.db
    if db.dialect != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL, the production store")
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            captured.append((statement, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        await both.say(CAROL, "hello everyone")
        await both.say(SPAMMER, "casino bonus")
        await both.say(CAROL, "I want a refund")
        [esc] = [e for e in await _open(both)]
        await both.press(BORIS, esc, "approve")
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)

    assert len(captured) > 10, "the workflow ran no statements?"
    community = await both.community()
    expensive = []
    async with db.engine.connect() as conn:
        for sql in _history(community.id, HISTORY):
            await conn.exec_driver_sql(sql)
        await conn.exec_driver_sql("ANALYZE")
        for statement, params in captured:
            if "FROM rules" in statement and "source" in statement:
                continue  # a community's rules are read whole after a change, on purpose
            plan = "\n".join(r[0] for r in (await conn.exec_driver_sql(f"EXPLAIN {statement}", params)).all())
            cost = float(re.search(r"cost=[\d.]+\.\.([\d.]+)", plan).group(1))  # type: ignore[union-attr]
            if cost > MAX_COST:
                expensive.append(f"cost {cost:.0f}: {statement}\n{plan}")
        await conn.rollback()
    assert expensive == [], "lookups that grow with history:\n\n" + "\n\n".join(expensive)


HISTORY = 20_000
MAX_COST = 100.0  # an index lookup costs ~10; reading 20,000 rows costs hundreds to thousands


def _history(community_id: int, n: int) -> list[str]:
    """SQL that gives the community ``n`` old cases, inbox and outbox rows, members and warnings."""
    old = "now() - interval '30 days'"
    return [
        f"""INSERT INTO cases (community_id, platform, kind, event_key, chat_id, message_id, edited,
              author_id, author_name, text, scores, reasons, shadow, action, actor, actor_name, reason,
              source, status, dry_run, created_at)
            SELECT {community_id}, 'shell', 'shell_message', 'old' || g, '-100', 'm' || g, false,
              'u' || (g % 5000), 'U', 'old text', '{{}}', '[]', '[]', 'allow', 'dozor', 'Dozor', '',
              'auto', 'executed', false, {old} FROM generate_series(1, {n}) g""",
        f"""INSERT INTO inbox (platform, event_key, payload, status, attempts, received_at)
            SELECT 'shell', 'old' || g, '{{}}', 'processed', 1, {old} FROM generate_series(1, {n}) g""",
        f"""INSERT INTO outbox (community_id, platform, kind, payload, status, attempts, next_attempt_at,
              created_at)
            SELECT {community_id}, 'shell', 'delete', '{{}}', 'done', 1, {old}, {old}
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO members (community_id, user_id, name, first_seen, last_seen, message_count, trusted,
              is_admin, banned)
            SELECT {community_id}, 'u' || g, 'U', {old}, {old}, 1, false, false, false
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO warnings (community_id, user_id, issued_at, expires_at, revoked)
            SELECT {community_id}, 'u' || (g % 5000), {old}, {old}, false FROM generate_series(1, {n}) g""",
    ]


async def _open(world: World) -> list[int]:
    from models import escalations

    community = await world.community()
    async with world.db.transaction() as s:
        return [e.id for e in await escalations.list_open(s, community.id)]
