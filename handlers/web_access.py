"""Getting into the workspace from a chat: ``/web`` sends the person a private one-time link.

Typed in a moderators' chat (or in a community), the link goes to the typer's private messages —
sent at once, not through the outbox, so the chat can be told right away when it cannot be
delivered (a Telegram user who never started the bot, a VK user who does not allow the
community's messages), and so the link's token is never stored anywhere but as a hash. In
Telegram the answer in the chat carries a button that opens the workspace as a Mini App.
Typed privately, the link is the answer.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Context, plan_send
from handlers.i18n import t
from handlers.invocation import Invocation
from handlers.updates import CommandCall
from models import communities
from models import web as web_store
from models.web import Person
from moderation.errors import ActionFailed
from moderation.ports import Button

log = logging.getLogger(__name__)


async def _link(ctx: Context, cmd: CommandCall, hints: tuple[int, ...]) -> str:
    """A fresh one-time sign-in link for the command's author."""
    person = Person(cmd.platform.value, cmd.author.id, cmd.author.name or cmd.author.id, hints)
    now = ctx.now()
    async with ctx.db.transaction() as session:
        token = await web_store.issue_link(
            session, person, now=now, expires_at=now + timedelta(minutes=ctx.links.link_minutes)
        )
    return ctx.links.sign_in(token)


async def web_cmd(inv: Invocation) -> None:
    """``/web`` in a community or its moderators' chat (moderators only)."""
    ctx, cmd = inv.ctx, inv.cmd
    if not ctx.links.web:
        await inv.answer_key("web_off")
        return
    async with ctx.db.transaction() as session:
        linked = await communities.by_modchat(session, cmd.platform.value, cmd.chat_id)
    hints = tuple(sorted({inv.community.id, *(c.id for c in linked)}))
    url = await _link(ctx, cmd, hints)
    text = t(inv.lang, "web_link", url=url, minutes=ctx.links.link_minutes)
    name = cmd.author.name or cmd.author.id
    try:
        await ctx.platform(cmd.platform.value).send_message(cmd.author.id, text)
    except ActionFailed as exc:
        await inv.answer(_undelivered(ctx, inv.lang, cmd.platform.value, name, str(exc)))
        return
    app = ctx.links.app(cmd.platform.value, inv.community.id)
    buttons = [[Button(t(inv.lang, "web_button"), url=app)]] if app else []
    async with ctx.db.transaction() as session:
        await plan_send(
            session,
            inv.community,
            cmd.chat_id,
            t(inv.lang, "web_sent", name=name, minutes=ctx.links.link_minutes),
            reply_to=cmd.message.message_id,
            thread_id=cmd.message.thread_id,
            buttons=buttons,
            platform=cmd.platform.value,
        )
    ctx.poke()


def _undelivered(ctx: Context, lang: str, platform: str, name: str, error: str) -> str:
    """What to do so that Dozor may write privately: each platform has its own way."""
    values = {"name": name, "error": error, "chat": ctx.links.chat(platform, "web") or ""}
    try:
        return t(lang, f"web_undelivered_{platform}", **values)
    except KeyError:
        return t(lang, "web_undelivered", **values)


async def web_private(ctx: Context, cmd: CommandCall) -> None:
    """``/web`` (or ``/start web``) in a private chat with Dozor: the link is the answer."""
    lang = ctx.settings.language
    text = t(lang, "web_off")
    if ctx.links.web:
        url = await _link(ctx, cmd, ())
        text = t(lang, "web_link", url=url, minutes=ctx.links.link_minutes)
    try:
        await ctx.platform(cmd.platform.value).send_message(
            cmd.chat_id, text, reply_to=cmd.message.message_id
        )
    except ActionFailed as exc:  # not retried through the outbox: the link is kept nowhere
        log.warning("could not send a workspace link to %s: %s", cmd.chat_id, exc)
