"""The local community behind `dozor shell`, on the simulated platform and SQLite.

Type as a subscriber and watch Dozor decide, reply, escalate and record. Lines starting with
``/as``, ``/press``, ``/join``, ``/wait`` and ``>N`` steer the simulation; every other ``/command``
is a chat command. When stdin is not a terminal the lines are read as a script until EOF.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.executor import Executor
from bot.scoring import load_scorer
from bot.simulated import Call, SimulatedActions
from config import load_settings
from config.settings import ModerationSettings
from handlers.service import Dozor
from handlers.updates import ButtonPress, CommandCall, MemberChange, MemberStatus
from models import cases, communities, escalations, members, moderators, rules
from models.db import Database
from moderation.engine import Engine
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.ports import ChatRole

COMMUNITY, MODCHAT = "community", "modchat"
PEOPLE = {
    "admin": Author(id="1", name="Alice"),
    "moderator": Author(id="2", name="Boris"),
    "member": Author(id="3", name="Carol"),
}
EXAMPLE_RULES = {
    "casino": "name: casino\nbody: [casino, казино]\naction: delete\nreason: casino spam\n",
    "complaint": "name: complaint\nbody: [refund, возврат]\naction: escalate\n",
}
BLOCK = "/rule add"  # typed alone, it starts a multi-line rule that ends at an empty line
INTRO = """Dozor shell — a simulated community. You are {name} ({role}).
  type a message as a subscriber · /command as in a chat · >N text  replies to message N
  (a reply to a card in the moderators' chat answers the complaint in the community)
  /as admin|moderator|member|newcomer · /press [ID ACTION | DATA] · /join [NAME] · /wait MINUTES · /quit
  /rule add alone: type the rule's YAML on the lines after it and end it with an empty line"""


async def _read(
    stdin: TextIO, out: TextIO, prompt: str, interactive: bool, *, echo_blank: bool = False
) -> str | None:
    """The next line (None at the end of input); a script's lines are echoed after the prompt."""
    if interactive:
        try:
            return await asyncio.to_thread(input, prompt)
        except EOFError:
            return None
    raw = stdin.readline()
    if not raw:
        return None
    line = raw.rstrip("\n")
    if (line.strip() or echo_blank) and not line.lstrip().startswith("#"):
        print(prompt + line, file=out)
    return line


def _engine() -> tuple[Engine, str]:
    scorer, about = load_scorer(load_settings().moderation.model_dir)
    return Engine(scorer), about


class Shell:
    """The simulated community and the line interpreter."""

    def __init__(self, path: Path, language: str = "en") -> None:
        self.db = Database(f"sqlite+aiosqlite:///{path}")
        self.language = language
        self.sim = SimulatedActions(names={a.id: a.name for a in PEOPLE.values()}, first_message_id=1)
        self.offset = timedelta()
        self.role, self.me = "member", PEOPLE["member"]
        self._newcomers = itertools.count(1)
        self._keys = itertools.count(1)
        # message ids restart with every session; the session id keeps event keys unique
        self.session = uuid.uuid4().hex[:8]
        self._seen = 0
        self.last_message: tuple[str, Author, str] | None = None
        self.texts: dict[str, tuple[Author, str]] = {}

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    async def _setup(self, out: TextIO) -> None:
        await self.db.upgrade()
        engine, about = _engine()
        self.dozor = Dozor(self.db, {"shell": self.sim}, engine, ModerationSettings(), clock=self.now)
        self.executor = Executor(self.db, {"shell": self.sim}, self.dozor.hooks)
        async with self.db.transaction() as s:
            c = await communities.ensure(
                s, "shell", COMMUNITY, title="Shell community", language=self.language
            )
            if c.modchat_id is None:
                await communities.update_fields(s, c.id, modchat_id=MODCHAT, language=self.language)
            await moderators.add(s, c.id, PEOPLE["moderator"].id, name=PEOPLE["moderator"].name)
            await members.ensure(
                s, c.id, PEOPLE["member"].id, name="Carol", now=self.now() - timedelta(days=90)
            )
            seeded = not await rules.list_for(s, c.id)
            if seeded:
                for name, source in EXAMPLE_RULES.items():
                    await rules.put(s, c.id, name, source, author_id=PEOPLE["admin"].id)
        self.community_id = c.id
        self.sim.set_role(
            COMMUNITY, PEOPLE["admin"].id, ChatRole(is_admin=True, can_delete=True, can_restrict=True)
        )
        note = "; seeded example rules, see /rules as admin" if seeded else ""
        print(f"({about}; database {self.db.url.split('///')[-1]}{note})", file=out)

    async def run(self, stdin: TextIO, out: TextIO) -> int:
        """Interpret lines until /quit or EOF. Returns the exit code."""
        await self._setup(out)
        interactive = stdin.isatty()
        print(INTRO.format(name=self.me.name, role=self.role), file=out)
        try:
            while True:
                line = await _read(stdin, out, f"{self.me.name}> ", interactive)
                if line is None or line.strip() in ("/quit", "/exit"):
                    break
                if line.strip() == BLOCK:
                    line = await self._block(stdin, out, interactive)
                if line.strip() and not line.lstrip().startswith("#"):
                    await self.line(line.strip(), out)
        finally:
            await self.db.dispose()
        return 0

    async def _block(self, stdin: TextIO, out: TextIO, interactive: bool) -> str:
        """``/rule add`` alone: the YAML follows, line by line, up to an empty line."""
        lines: list[str] = []
        while (line := await _read(stdin, out, "... ", interactive, echo_blank=True)) and line.strip():
            lines.append(line.rstrip())
        return "\n".join([BLOCK, *lines])

    async def line(self, line: str, out: TextIO) -> None:
        """Interpret one line and print what the simulated platform did."""
        reply_to = None
        if line.startswith(">") and line[1:].split(" ", 1)[0].isdigit():
            target, _, line = line[1:].partition(" ")
            author, text = self.texts.get(target, (Author(id="?"), ""))
            reply_to = (target, author, text)
        word, _, rest = line.partition(" ")
        if word == "/as":
            self._switch(rest.strip(), out)
            return
        if word == "/press":
            await self._press(rest.split(), out)
        elif word == "/join":
            await self._join(rest.strip(), out)
        elif word == "/wait":
            minutes = float(rest or 1)
            self.offset += timedelta(minutes=minutes)
            reminded = await self.dozor.remind_due()
            print(f"⏱ {minutes:g} min later; {reminded} reminder(s) and removal(s)", file=out)
        elif line.startswith("/"):
            await self._command(word[1:].lower(), rest, reply_to)
        else:
            await self._say(line, reply_to, out)
        await self.dozor.digest_due()  # the service runs this every few minutes
        await self._flush(out)

    def _switch(self, role: str, out: TextIO) -> None:
        if role == "newcomer":
            n = next(self._newcomers)
            self.me = Author(id=f"n{n}", name=f"Newcomer{n}")
            self.sim.names[self.me.id] = self.me.name
        elif role in PEOPLE:
            self.me = PEOPLE[role]
        else:
            print("roles: admin, moderator, member, newcomer", file=out)
            return
        self.role = role
        print(f"you are {self.me.name} ({role})", file=out)

    @property
    def chat(self) -> str:
        return MODCHAT if self.role == "moderator" else COMMUNITY

    async def _say(self, text: str, reply_to: tuple[str, Author, str] | None, out: TextIO) -> None:
        # A reply to a message of the moderators' chat (a card) is said there.
        chat = MODCHAT if reply_to and (MODCHAT, reply_to[0]) in self.sim.messages else COMMUNITY
        message_id = self.sim.post(chat, text)
        self.texts[message_id] = (self.me, text)
        self.last_message = (message_id, self.me, text)
        where = " in the moderators' chat" if chat == MODCHAT else ""
        print(f"  (message {message_id}{where})", file=out)
        event = Event(
            platform=Platform.SHELL,
            kind=EventKind.SHELL_MESSAGE,
            community_id=chat,
            message=MessageRef(chat, message_id),
            author=self.me,
            text=text,
            date=self.now(),
            reply_to=MessageRef(chat, reply_to[0]) if reply_to else None,
        )
        await self.dozor.handle(event, f"shell-{self.session}-{message_id}")
        await self._execute()  # so the case below shows its final status
        async with self.db.transaction() as s:
            case = await cases.by_event(s, self.community_id, f"shell-{self.session}-{message_id}")
        if case is not None and case.action != "allow":
            reasons = "; ".join(r.get("detail", "") for r in case.reasons if isinstance(r, dict))
            print(f"⚖️  case #{case.id}: {case.action} [{case.status}] — {reasons}", file=out)

    async def _command(self, name: str, args: str, reply_to: tuple[str, Author, str] | None) -> None:
        if reply_to is None and name in ("ban", "mute", "warn", "unban", "unmute", "report"):
            others = [(m, a, t) for m, (a, t) in self.texts.items() if a.id != self.me.id]
            reply_to = others[-1] if others else None
        message_id = self.sim.post(self.chat, f"/{name} {args}")
        call = CommandCall(
            platform=Platform.SHELL,
            chat_id=self.chat,
            message=MessageRef(self.chat, message_id),
            author=self.me,
            name=name,
            args=args,
            date=self.now(),
            reply_to=MessageRef(COMMUNITY, reply_to[0]) if reply_to else None,
            reply_to_author=reply_to[1] if reply_to else None,
            reply_to_text=reply_to[2] if reply_to else None,
        )
        await self.dozor.handle(call, f"shell-{self.session}-cmd-{message_id}")

    async def _join(self, name: str, out: TextIO) -> None:
        """A newcomer joins the community; you become them (to press the join check)."""
        n = next(self._newcomers)
        self.me = Author(id=f"n{n}", name=name or f"Newcomer{n}")
        self.sim.names[self.me.id] = self.me.name
        self.role = "newcomer"
        print(f"{self.me.name} joined; you are {self.me.name} (newcomer)", file=out)
        change = MemberChange(Platform.SHELL, COMMUNITY, self.me, MemberStatus.JOINED, self.now())
        await self.dozor.handle(change, f"shell-{self.session}-join-{n}")

    async def _press(self, words: list[str], out: TextIO) -> None:
        if len(words) == 1 and ":" in words[0]:  # any button by its data, e.g. ans:1:2 or join:1
            await self._tap(words[0])
            return
        if len(words) != 2 or not words[0].isdigit():
            async with self.db.transaction() as s:
                open_ = await escalations.list_open(s, self.community_id)
            if not open_:
                print("no open escalations", file=out)
            for esc in open_:
                print(
                    f"  escalation {esc.id} (case #{esc.case_id}, {esc.kind}): "
                    "/press {esc.id} delete|ban|mute|approve|spam".replace("{esc.id}", str(esc.id)),
                    file=out,
                )
            return
        await self._tap(f"esc:{words[0]}:{words[1].lower()}")

    async def _tap(self, data: str) -> None:
        press = ButtonPress(
            platform=Platform.SHELL,
            callback_id=f"cb{next(self._keys)}",
            chat_id=COMMUNITY if data.startswith("join:") else MODCHAT,
            message_id="0",
            user=self.me,
            data=data,
            date=self.now(),
        )
        await self.dozor.handle(press, f"shell-{self.session}-press-{press.callback_id}")

    async def _execute(self) -> None:
        for _ in range(20):
            if not await self.executor.run_once(now=self.now()):
                break

    async def _flush(self, out: TextIO) -> None:
        await self._execute()
        for call in self.sim.calls[self._seen :]:
            print("  " + self._describe(call), file=out)
        self._seen = len(self.sim.calls)

    def _describe(self, call: Call) -> str:
        text = self.sim.describe(call)
        if call.chat_id == MODCHAT and call.method == "send_message":
            # the id is what a moderator replies to (">N text") to answer from a card
            return f"📨 moderators' chat #{call.args['message_id']}: " + text.split(":", 1)[1].strip()
        return text
