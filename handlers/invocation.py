"""One chat command being handled: who typed it, for which community, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context, plan_send
from handlers.i18n import t
from handlers.updates import CommandCall
from models import communities
from models.communities import CommunityRecord


@dataclass
class Invocation:
    """A command with its resolved community.

    Attributes:
        ctx: the use cases' dependencies.
        cmd: the command as the adapter translated it.
        community: the community it concerns (typed in it, or in its moderators' chat).
        in_modchat: typed in the moderators' chat rather than in the community.
    """

    ctx: Context
    cmd: CommandCall
    community: CommunityRecord
    in_modchat: bool = False

    @property
    def lang(self) -> str:
        return self.community.language

    @property
    def args(self) -> str:
        return self.cmd.args.strip()

    def words(self) -> list[str]:
        return self.args.split()

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    async def reload(self, session: AsyncSession) -> CommunityRecord:
        fresh = await communities.get(session, self.community.id)
        assert fresh is not None
        self.community = fresh
        return fresh

    async def answer_in(self, session: AsyncSession, text: str, *, delete_after: int | None = None) -> None:
        """Plan the answer (a reply to the command) in the caller's transaction."""
        await plan_send(
            session,
            self.community,
            self.cmd.chat_id,
            text,
            reply_to=self.cmd.message.message_id,
            thread_id=self.cmd.message.thread_id,
            delete_after=delete_after,
            platform=self.cmd.platform.value,
            **({"kind": self.cmd.kind.value} if self.cmd.kind else {}),
        )

    async def answer(self, text: str, *, delete_after: int | None = None) -> None:
        """Answer the command in a transaction of its own."""
        async with self.ctx.db.transaction() as session:
            await self.answer_in(session, text, delete_after=delete_after)
        self.ctx.poke()

    async def answer_key(self, key: str, **values: object) -> None:
        await self.answer(self.t(key, **values))
