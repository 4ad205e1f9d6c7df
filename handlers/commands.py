"""Chat commands: one grammar on every platform. Dispatch, permissions, and the general commands.

A command concerns the community it was typed in, or — typed in a moderators' chat — the
community linked to that chat. Admin standing is verified with the platform (``handlers.roles``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import (
    activity,
    digest,
    giveaway,
    history,
    manual,
    queue,
    reports,
    roles,
    rule_commands,
    saved_answers,
    team,
    web_access,
    welcome,
)
from handlers.context import Context, plan_on
from handlers.i18n import t
from handlers.invocation import Invocation
from handlers.links import appeal_case
from handlers.updates import CommandCall
from models import communities, rules, state
from models.communities import CommunityRecord
from moderation.actions import Send

Handler = Callable[[Invocation], Awaitable[None]]
LINK_TTL = timedelta(minutes=10)
_LINK_KEY = "modchat-code:{}"


async def _help(inv: Invocation) -> None:
    await inv.answer_key("help")


async def _status(inv: Invocation) -> None:
    async with inv.ctx.db.transaction() as session:
        rows = await rules.list_for(session, inv.community.id)
    scorer = getattr(inv.ctx.engine, "scorer", None)
    model = getattr(scorer, "version", None) or inv.t("none")
    mode = inv.t("mode_dry" if inv.ctx.dry_run(inv.community) else "mode_live")
    shadow = sum(1 for r in rows if r.mode == "shadow")
    await inv.answer_key(
        "status",
        model=model,
        rules=len(rows),
        shadow=shadow,
        mode=mode,
        modchat=inv.community.modchat_id or inv.t("status_no_modchat"),
    )


async def _lang(inv: Invocation) -> None:
    choice = inv.args.lower()
    if choice not in ("ru", "en"):
        await inv.answer_key("usage", usage="/lang ru|en")
        return
    async with inv.ctx.db.transaction() as session:
        await communities.update_fields(session, inv.community.id, language=choice)
        await inv.reload(session)
        await inv.answer_in(session, inv.t("lang_set"))
    inv.ctx.poke()


async def _dryrun(inv: Invocation) -> None:
    choice = inv.args.lower()
    if choice not in ("on", "off"):
        await inv.answer_key("usage", usage="/dryrun on|off")
        return
    async with inv.ctx.db.transaction() as session:
        await communities.update_fields(session, inv.community.id, dry_run=choice == "on")
        await inv.answer_in(session, inv.t("dryrun_on" if choice == "on" else "dryrun_off"))
    inv.ctx.poke()


async def _issue_code(
    session: AsyncSession, ctx: Context, community: CommunityRecord, by: str, *, private: bool
) -> str:
    """A one-time code that links a chat as the community's moderators' chat.

    A code shown in the community (``private=False``) links only a chat of the same platform,
    where the linker must be a verified admin too; one sent privately to a verified admin may
    link a chat on another platform (a VK community's team in Telegram).
    """
    code = secrets.token_hex(4).upper()
    expires = ctx.now() + LINK_TTL
    record = {"community_id": community.id, "by": by, "expires": expires.isoformat(), "private": private}
    await state.put(session, _code_key(code), json.dumps(record))
    return code


async def _private_code(ctx: Context, cmd: CommandCall) -> None:
    """``/modchat [community id]`` written privately to Dozor by one of a community's admins: a
    code, privately, that links a chat on any platform (the community is the one written to,
    where Dozor speaks as a community, or the one named: ``/modchat -1001234567890``)."""
    named = cmd.args.strip() or cmd.community_id
    async with ctx.db.transaction() as session:
        community = await communities.find(session, cmd.platform.value, named) if named else None
    if community is None:
        await _private_answer(ctx, cmd, t(ctx.settings.language, "modchat_which"))
        return
    if not await roles.is_admin(ctx, community, replace(cmd.author, is_anonymous_admin=False)):
        await _private_answer(ctx, cmd, t(community.language, "not_admin"))
        return
    async with ctx.db.transaction() as session:
        code = await _issue_code(session, ctx, community, cmd.author.id, private=True)
    minutes = int(LINK_TTL.total_seconds() // 60)
    await _private_answer(ctx, cmd, t(community.language, "modchat_code", code=code, minutes=minutes))


def _code_key(code: str) -> str:
    # Only a hash is stored: reading the database does not reveal usable codes.
    return _LINK_KEY.format(hashlib.sha256(code.strip().upper().encode()).hexdigest())


async def _modchat(inv: Invocation) -> None:
    """In the community: ``/modchat`` issues a one-time code, ``/modchat off`` unlinks."""
    if inv.args.lower() == "off":
        async with inv.ctx.db.transaction() as session:
            await communities.update_fields(
                session, inv.community.id, modchat_id=None, modchat_platform=None, modchat_via=None
            )
            await inv.answer_in(session, inv.t("modchat_linked", title="—"))
        inv.ctx.poke()
        return
    async with inv.ctx.db.transaction() as session:
        code = await _issue_code(session, inv.ctx, inv.community, inv.cmd.author.id, private=False)
        minutes = int(LINK_TTL.total_seconds() // 60)
        text = inv.t("modchat_code", code=code, minutes=minutes)
        text += "\n\n" + inv.t("modchat_elsewhere", id=inv.community.platform_id)
        # The code disappears from the chat when it expires.
        await inv.answer_in(session, text, delete_after=int(LINK_TTL.total_seconds()))
    inv.ctx.poke()


async def _link_modchat(ctx: Context, cmd: CommandCall) -> None:
    """``/modchat CODE`` (or ``/modchat <community id>``) typed in the chat to become the moderators' chat.

    The typer must be a verified admin of the community being linked; a code works once.
    """
    arg = cmd.args.strip()
    async with ctx.db.transaction() as session:
        raw = await state.get(session, _code_key(arg))
        record = json.loads(raw) if raw else None
        if record and datetime.fromisoformat(record["expires"]) > ctx.now():
            community = await communities.get(session, int(record["community_id"]))
        else:
            community = await communities.find(session, cmd.platform.value, arg)
            record = None
    # A chat's anonymous admin is anonymous in *this* chat, not an admin of the community.
    author = replace(cmd.author, is_anonymous_admin=False)
    # From another platform (a VK community's team in Telegram) the proof is a one-time code that
    # was sent privately to a verified admin of the community; a code shown in the community
    # (anyone there could read it) or a bare community id is not.
    elsewhere = community is not None and community.platform != cmd.platform.value
    if elsewhere and not (record and record.get("private")):
        community = None
    if community is None or (not elsewhere and not await roles.is_admin(ctx, community, author)):
        await _private_answer(
            ctx,
            cmd,
            t(
                community.language if community else ctx.settings.language,
                "modchat_bad_code" if community is None else "not_admin",
            ),
        )
        return
    async with ctx.db.transaction() as session:
        if record is not None:
            await state.put(session, _code_key(arg), "")
        await communities.update_fields(
            session,
            community.id,
            modchat_id=cmd.chat_id,
            modchat_platform=cmd.platform.value,
            modchat_via=cmd.via,  # the platform community whose chat it is (VK numbers chats per community)
        )
        inv = Invocation(ctx, cmd, community, in_modchat=True)
        await inv.answer_in(session, inv.t("modchat_linked", title=community.title or community.platform_id))
    ctx.poke()


async def _private_answer(ctx: Context, cmd: CommandCall, text: str) -> None:
    """Answer in a chat that is not (yet) tied to a community."""
    async with ctx.db.transaction() as session:
        await plan_on(
            session, cmd.platform.value, cmd.via, Send(cmd.chat_id, text, reply_to=cmd.message.message_id)
        )
    ctx.poke()


# name → (handler, who may use it: "anyone", "moderator" or "admin")
COMMANDS: dict[str, tuple[Handler, str]] = {
    "help": (_help, "anyone"),
    "start": (_help, "anyone"),
    "status": (_status, "moderator"),
    "lang": (_lang, "admin"),
    "dryrun": (_dryrun, "admin"),
    "modchat": (_modchat, "admin"),
    "mod": (team.mod_cmd, "admin"),
    "rules": (rule_commands.rules_cmd, "moderator"),
    "rule": (rule_commands.rule_cmd, "admin"),
    "threshold": (rule_commands.threshold_cmd, "admin"),
    "warnings": (rule_commands.warnings_cmd, "admin"),
    "autoreply": (rule_commands.autoreply_cmd, "admin"),
    "ban": (manual.ban_cmd, "admin"),
    "mute": (manual.mute_cmd, "admin"),
    "warn": (manual.warn_cmd, "admin"),
    "unban": (manual.unban_cmd, "admin"),
    "unmute": (manual.unmute_cmd, "admin"),
    "history": (history.history_cmd, "moderator"),
    "stats": (history.stats_cmd, "moderator"),
    "export": (history.export_cmd, "admin"),
    "answers": (saved_answers.answers_cmd, "moderator"),
    "queue": (queue.queue_cmd, "moderator"),
    "top": (activity.top_cmd, "moderator"),
    "giveaway": (giveaway.giveaway_cmd, "admin"),
    "digest": (digest.digest_cmd, "admin"),
    "welcome": (welcome.welcome_cmd, "admin"),
    "joincheck": (welcome.joincheck_cmd, "admin"),
    "raid": (welcome.raid_cmd, "admin"),
    "report": (reports.report_cmd, "anyone"),
    "appeal": (reports.appeal_cmd, "anyone"),
    "web": (web_access.web_cmd, "moderator"),
}


async def on_command(ctx: Context, cmd: CommandCall) -> None:
    """Handle one chat command: resolve the community, check who typed it, run it."""
    if cmd.private:
        appealed = appeal_case(cmd.args) if cmd.name == "start" else None
        if cmd.name == "appeal":
            await reports.appeal_private(ctx, cmd)
        elif appealed is not None:  # the removal notice's button: t.me/<bot>?start=appeal_<case>
            await reports.appeal_private(ctx, replace(cmd, name="appeal", args=str(appealed)))
        elif cmd.name == "web" or (cmd.name == "start" and cmd.args.strip() == "web"):
            await web_access.web_private(ctx, cmd)
        elif cmd.name == "modchat":
            await _private_code(ctx, cmd)
        else:
            await _private_answer(ctx, cmd, t(ctx.settings.language, "help"))
        return
    async with ctx.db.transaction() as session:
        linked = await communities.by_modchat(session, cmd.platform.value, cmd.chat_id)
    if cmd.name == "modchat" and cmd.args.strip() and cmd.args.strip().lower() != "off":
        await _link_modchat(ctx, cmd)
        return
    if linked:
        inv = Invocation(ctx, cmd, linked[0], in_modchat=True)
    else:
        async with ctx.db.transaction() as session:
            where = cmd.community_id or cmd.chat_id
            community = await ctx.community(session, cmd.platform.value, where, title=cmd.title)
        inv = Invocation(ctx, cmd, community)
    entry = COMMANDS.get(cmd.name)
    if entry is None:
        await inv.answer(inv.t("unknown_command", name=cmd.name) + "\n\n" + inv.t("help"))
        return
    handler, level = entry
    # In the moderators' chat the typer's anonymity there says nothing about the community.
    author = replace(cmd.author, is_anonymous_admin=False) if inv.in_modchat else cmd.author
    where = cmd.platform.value
    if level == "admin" and not await roles.is_admin(ctx, inv.community, author, platform=where):
        await inv.answer_key("not_admin")
        return
    if level == "moderator" and not await roles.is_moderator(ctx, inv.community, author, platform=where):
        await inv.answer_key("not_admin")
        return
    await handler(inv)
