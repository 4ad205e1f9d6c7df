"""A simulated community for workflow tests: real database, real use cases, real executor.

Only the platform is simulated (``SimulatedActions``); the clock is the real one plus an offset
that tests move forward to let time pass.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.executor import Executor
from bot.simulated import SimulatedActions
from config.settings import ModerationSettings
from handlers.service import Dozor
from handlers.updates import ButtonPress, CommandCall, MemberChange, MemberStatus
from models import communities, rules
from models.communities import CommunityRecord
from models.db import Database
from moderation.engine import Engine
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.ports import ChatRole

COMMUNITY = "-100"
MODCHAT = "-200"
ALICE = Author(id="1", name="Alice")  # admin of the community
BORIS = Author(id="2", name="Boris")  # admin with rights, sits in the moderators' chat
CAROL = Author(id="3", name="Carol")  # an ordinary member
SPAMMER = Author(id="4", name="Spammer")
FULL = ChatRole(is_admin=True, can_delete=True, can_restrict=True)

RULES = {
    "casino": "name: casino\nbody: [casino]\naction: delete\nreason: casino spam\n",
    "complaint": "name: complaint\nbody: [refund]\naction: escalate\n",
    "scam": "name: scam\nbody: [scam]\naction: ban\n",
    "rude": "name: rude\nbody: [idiot]\naction: warn\n",
}


class World:
    """One community ``-100`` with a moderators' chat ``-200`` on the simulated platform."""

    def __init__(self, db: Database, *, engine: Engine | None = None, **settings: object) -> None:
        self.db = db
        self.sim = SimulatedActions(names={a.id: a.name for a in (ALICE, BORIS, CAROL, SPAMMER)})
        self.offset = timedelta()
        self.settings = ModerationSettings(**settings)  # type: ignore[arg-type]
        engine = engine or Engine(None)
        self.dozor = Dozor(db, {"shell": self.sim}, engine, self.settings, clock=self.now)
        self.executor = Executor(db, {"shell": self.sim}, self.dozor.hooks)
        self._keys = itertools.count(1)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def later(self, **delta: float) -> None:
        self.offset += timedelta(**delta)

    async def setup(
        self,
        *,
        rule_names: tuple[str, ...] = ("casino", "complaint", "scam", "rude"),
        language: str = "en",
        title: str = "Test community",
    ) -> None:
        self.sim.set_role(COMMUNITY, ALICE.id, FULL)
        self.sim.set_role(COMMUNITY, BORIS.id, FULL)
        async with self.db.transaction() as s:
            c = await communities.ensure(s, "shell", COMMUNITY, title=title, language=language)
            await communities.update_fields(s, c.id, modchat_id=MODCHAT)
            for name in rule_names:
                await rules.put(s, c.id, name, RULES[name])

    async def community(self, platform_id: str = COMMUNITY) -> CommunityRecord:
        async with self.db.transaction() as s:
            c = await communities.find(s, "shell", platform_id)
        assert c is not None
        return c

    async def say(
        self,
        who: Author,
        text: str,
        *,
        chat: str = COMMUNITY,
        edit_of: str | None = None,
        key: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        """``who`` writes ``text`` (as a reply to message ``reply_to``); returns the message id."""
        message_id = edit_of or self.sim.post(chat, text)
        event = Event(
            platform=Platform.SHELL,
            kind=EventKind.SHELL_MESSAGE,
            community_id=chat,
            message=MessageRef(chat, message_id),
            author=who,
            text=text,
            date=self.now(),
            edited=edit_of is not None,
            reply_to=MessageRef(chat, reply_to) if reply_to else None,
        )
        await self.dozor.handle(event, key or f"k{next(self._keys)}")
        await self.flush()
        return message_id

    async def command(
        self,
        who: Author,
        name: str,
        args: str = "",
        *,
        chat: str = COMMUNITY,
        reply_to: tuple[str, Author, str] | None = None,
        private: bool = False,
    ) -> None:
        message_id = self.sim.post(chat, f"/{name} {args}")
        call = CommandCall(
            platform=Platform.SHELL,
            chat_id=chat,
            message=MessageRef(chat, message_id),
            author=who,
            name=name,
            args=args,
            date=self.now(),
            reply_to=MessageRef(chat, reply_to[0]) if reply_to else None,
            reply_to_author=reply_to[1] if reply_to else None,
            reply_to_text=reply_to[2] if reply_to else None,
            private=private,
        )
        await self.dozor.handle(call, f"k{next(self._keys)}")
        await self.flush()

    async def press(self, who: Author, escalation_id: int, choice: str, *, flush: bool = True) -> None:
        await self.press_data(who, f"esc:{escalation_id}:{choice}", flush=flush)

    async def press_data(self, who: Author, data: str, *, chat: str = MODCHAT, flush: bool = True) -> None:
        """``who`` taps a button carrying ``data``."""
        press = ButtonPress(
            platform=Platform.SHELL,
            callback_id=f"cb{next(self._keys)}",
            chat_id=chat,
            message_id="0",
            user=who,
            data=data,
            date=self.now(),
        )
        await self.dozor.handle(press, f"k{next(self._keys)}")
        if flush:
            await self.flush()

    async def join(self, who: Author, status: MemberStatus = MemberStatus.JOINED) -> None:
        """``who`` joins (or, with ``status``, leaves) the community."""
        change = MemberChange(Platform.SHELL, COMMUNITY, who, status, self.now(), title="Test community")
        await self.dozor.handle(change, f"k{next(self._keys)}")
        await self.flush()

    async def flush(self) -> None:
        """Run the outbox until nothing is due."""
        for _ in range(20):
            if not await self.executor.run_once(now=self.now()):
                return

    def last_text(self, chat: str = COMMUNITY) -> str:
        sent = self.sim.sent_to(chat)
        return sent[-1] if sent else ""
