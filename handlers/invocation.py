"""One chat command being handled: who typed it, for which community, and how to answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context, plan, plan_send
from handlers.i18n import t
from handlers.updates import CommandCall
from models import communities
from models.communities import CommunityRecord
from moderation.actions import Document


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
            via=self.cmd.via,
            surface=self.cmd.kind.value if self.cmd.kind else "",
        )

    async def answer(self, text: str, *, delete_after: int | None = None) -> None:
        """Answer the command in a transaction of its own."""
        async with self.ctx.db.transaction() as session:
            await self.answer_in(session, text, delete_after=delete_after)
        self.ctx.poke()

    async def answer_key(self, key: str, **values: object) -> None:
        await self.answer(self.t(key, **values))

    def file_chat(self, *, confidential: bool) -> str | None:
        """Where a file answer to this command goes.

        Where it was typed, except: under a comment on a platform that posts no files there it
        goes to the moderators' chat; so does a ``confidential`` file (every case's text) asked
        for in a community's public chat, when a moderators' chat is linked. None: nowhere (a
        comment, no such chat).
        """
        if self.in_modchat or self.cmd.private:
            return self.cmd.chat_id
        if self.cmd.kind is not None and self.cmd.kind.under_post:
            if not self.ctx.can(self.cmd.platform.value).comment_files:
                return self.community.modchat_id
        if confidential and self.community.modchat_id is not None:
            return self.community.modchat_id
        return self.cmd.chat_id

    async def send_file_in(
        self, session: AsyncSession, filename: str, content: bytes, caption: str, *, confidential: bool
    ) -> None:
        """Plan a file where ``file_chat`` says, in the caller's transaction; a one-line answer
        in place says where it went, or why it cannot go."""
        chat = self.file_chat(confidential=confidential)
        if chat is None:
            await self.answer_in(session, self.t("file_needs_modchat", command=self.cmd.name))
            return
        await plan(session, self.community, Document(chat, filename, content, caption))
        if chat != self.cmd.chat_id:
            await self.answer_in(session, self.t("file_in_modchat"))
