"""Hostile input through the real pipeline, on SQLite and PostgreSQL: forged button data and
arbitrary command arguments are answered (a stale card, a usage hint), never jam the inbox.

Each hypothesis example stores one batch — ordinary comments around one hostile update — as the
Telegram adapter would (real Bot API JSON, the real translator), has the inbox worker claim and
process it, and checks: the batch is drained, every ordinary comment is decided exactly once,
the hostile update is processed (not failed, not retried), and nothing is logged as "database
unavailable". No escalation or join check exists, so every button press is a stale card.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.pipeline import Pipeline
from bot.simulated import SimulatedActions
from bot.telegram.translate import translate
from config.settings import ModerationSettings
from handlers.commands import COMMANDS
from handlers.i18n import t
from handlers.service import Dozor
from models import communities
from models.db import Database
from models.tables import Case, InboxItem
from moderation.engine import Engine
from moderation.ports import ChatRole
from tests.e2e import tg_samples as s

ADMIN = s.user(1, "Alice", "alice")
CAROL = s.user(3, "Carol", "carol")
FULL = ChatRole(is_admin=True, can_delete=True, can_restrict=True)
STALE = t("en", "esc_unknown")  # no card: no community, so the service's language
BIG = 2**63
F = TypeVar("F", bound=Callable[..., None])

# Ids as a forger writes them: too big for 64 bits, negative, zero, other scripts' digits, empty.
ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "0", "-1", str(BIG), str(BIG - 1), "9" * 40, "²", "٣", "1_0", " 1", "1e3", "0x10"]),
    st.text(max_size=12),
)
choices = st.one_of(st.sampled_from(["ban", "delete", "mute", "approve", "spam"]), st.text(max_size=8))
button_data = st.one_of(
    st.text(max_size=80),
    st.builds("esc:{}:{}".format, ids, choices),
    st.builds("ans:{}:{}".format, ids, ids),
    st.builds("join:{}".format, ids),
    st.builds(
        lambda prefix, fields: ":".join([prefix, *fields]),
        st.sampled_from(["esc", "ans", "join", "ESC", "", "x"]),
        st.lists(st.one_of(ids, choices), max_size=4),
    ),
)
arguments = st.one_of(
    st.text(max_size=60),
    ids,
    st.lists(
        st.one_of(ids, st.sampled_from(["proof", "add", "set", "off", "on", "@", "#", "->"])), max_size=4
    ).map(" ".join),
)
# Known forgeries, tried on every run before hypothesis's own.
FORGED_PRESSES = [
    "esc:9999999999999999999999999999999999999999:ban",
    f"esc:{BIG}:delete",
    "esc:²:ban",
    f"ans:1:{BIG}",
    "ans:٣:1",
    f"join:{BIG}",
    "join:²",
]
FORGED_COMMANDS = [
    ("appeal", "9999999999999999999999999999999999999999", "group"),
    ("appeal", "#²", "private"),
    ("giveaway", f"proof {BIG}", "group"),
    ("giveaway", "proof ²", "group"),
    ("giveaway", "winners=²", "group"),
    ("top", "²", "group"),
    ("history", "²", "group"),
    ("stats", "²", "group"),
    ("joincheck", "²", "group"),
    ("unban", "9" * 300, "group"),
    ("unmute", "@" + "x" * 300, "group"),
    ("mod", "add " + "7" * 300, "group"),
    ("mute", "9999w", "reply"),
    ("mute", "99999999999w", "reply"),
    ("mute", "9" * 5000 + "m", "reply"),
    ("warnings", "set 2=mute:9999w", "group"),
]


def examples(*cases: dict[str, Any]) -> Callable[[F], F]:
    """Hypothesis's ``@example`` for each of ``cases`` (keyword arguments): tried on every run."""

    def apply(test: F) -> F:
        for case in cases:
            test = example(**case)(test)
        return test

    return apply


class Harness:
    """Dozor on one database with the Telegram translator and a simulated platform, in a loop of
    its own (hypothesis drives the examples synchronously)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.db = Database(url)
        self.sim = SimulatedActions()
        self.sim.set_role(str(s.GROUP), str(ADMIN["id"]), FULL)
        settings_ = ModerationSettings(language="en")
        self.dozor = Dozor(self.db, {"telegram": self.sim}, Engine(None), settings_)
        translator = functools.partial(translate, bot_username="dozor_bot")
        self.pipeline = Pipeline(
            self.db, self.dozor.handle, {"telegram": translator}, moderate=self.dozor.moderate
        )
        self.keys = itertools.count(10_000)
        self.unavailable: list[str] = []
        self.run(self._setup())

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    async def _setup(self) -> None:
        async with self.db.transaction() as session:
            c = await communities.ensure(session, "telegram", str(s.GROUP), title="Test group", language="en")
            await communities.update_fields(session, c.id, modchat_id=str(s.MODCHAT))

    def close(self) -> None:
        self.run(self.db.dispose())
        self.loop.close()

    def batch(self, hostile: dict[str, Any]) -> tuple[InboxItem, list[InboxItem], int]:
        """Store comments, ``hostile``, comments as one batch; process it; return the hostile
        row, the comments' rows and how many cases the comments got."""
        before = [s.text_update(f"hello {i}", sender=CAROL, update_id=next(self.keys)) for i in range(2)]
        hostile["update_id"] = next(self.keys)
        after = [s.text_update(f"thanks {i}", sender=CAROL, update_id=next(self.keys)) for i in range(2)]
        updates = [*before, hostile, *after]
        return self.run(self._batch(updates, str(hostile["update_id"])))

    async def _batch(
        self, updates: list[dict[str, Any]], hostile_key: str
    ) -> tuple[InboxItem, list[InboxItem], int]:
        stored = await self.pipeline.store("telegram", [(str(u["update_id"]), u) for u in updates])
        assert len(stored) == len(updates)
        items = await self.pipeline.claim(100, timedelta(seconds=60))
        assert {i.id for i in items} == set(stored.values()), "the batch is claimed whole"
        await self.pipeline.process(items)
        keys = [k for k in stored if k != hostile_key]
        async with self.db.transaction() as session:
            rows = {
                r.event_key: r
                for r in (
                    await session.scalars(select(InboxItem).where(InboxItem.id.in_(stored.values())))
                ).all()
            }
            cases = await session.scalar(
                select(func.count()).select_from(Case).where(Case.event_key.in_(keys))
            )
        return rows[hostile_key], [rows[k] for k in keys], int(cases or 0)


class Unavailable(logging.Handler):
    """Collects every log line that says the database is unavailable."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage() + (
            logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        )
        if "unavailable" in text:
            self.into.append(text)


@pytest.fixture
def harness(database_url: str) -> Iterator[Harness]:
    h = Harness(database_url)
    catcher = Unavailable(h.unavailable)
    logging.getLogger().addHandler(catcher)
    try:
        yield h
    finally:
        logging.getLogger().removeHandler(catcher)
        h.close()


def assert_drained(h: Harness, hostile: InboxItem, mates: list[InboxItem], cases: int) -> None:
    assert (hostile.status, hostile.error, hostile.attempts) == ("processed", None, 1)
    assert [(m.status, m.attempts) for m in mates] == [("processed", 1)] * len(mates)
    assert cases == len(mates), "every comment of the batch is decided exactly once"
    assert h.unavailable == []


def card(update_id: int = 0) -> dict[str, Any]:
    return s.message(
        "⚠️ Case #1", chat=s.group(s.MODCHAT), sender=s.user(999, "Dozor", "dozor_bot"), message_id=5000
    )


def test_the_forged_press_of_the_issue_is_a_stale_card(harness: Harness) -> None:
    press = s.callback(
        "esc:9999999999999999999999999999999999999999:ban", card=card(), sender=ADMIN, query_id="q"
    )
    assert_drained(harness, *harness.batch(press))
    [answer] = harness.sim.of("answer_callback")
    assert answer.args["text"] == STALE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=button_data)
@examples(*({"data": d} for d in FORGED_PRESSES))
def test_any_button_data_is_a_stale_card_and_the_batch_drains(harness: Harness, data: str) -> None:
    answered = len(harness.sim.of("answer_callback"))
    press = s.callback(data, card=card(), sender=ADMIN, query_id=f"q{answered}")
    assert_drained(harness, *harness.batch(press))
    popups = harness.sim.of("answer_callback")[answered:]
    assert [p.args["text"] for p in popups] == [STALE]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(COMMANDS)),
    args=arguments,
    where=st.sampled_from(["group", "reply", "private"]),
)
@examples(*({"name": n, "args": a, "where": w} for n, a, w in FORGED_COMMANDS))
def test_any_command_argument_is_answered_and_the_batch_drains(
    harness: Harness, name: str, args: str, where: str
) -> None:
    """Typed by an admin in the group (or as a reply to a member's message, or privately)."""
    text = f"/{name} {args}".rstrip()
    if where == "private":
        update = s.text_update(text, sender=ADMIN, chat=s.chat_private(ADMIN))
    else:
        replied = s.message("a member's message", sender=CAROL) if where == "reply" else None
        update = s.text_update(text, sender=ADMIN, reply_to_message=replied)
    assert_drained(harness, *harness.batch(update))
