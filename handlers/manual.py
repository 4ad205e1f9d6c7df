"""Manual actions typed by admins as replies: /ban, /mute [duration], /warn, /unban, /unmute.

Each becomes a case with the admin as actor, carried out through the outbox like Dozor's own.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import roles
from handlers.i18n import decision
from handlers.invocation import Invocation
from handlers.people import named, refuse
from handlers.planning import STANDING, plan_delete, plan_restriction, plan_reversal
from handlers.policy import policy_for
from models import cases, warnings
from models.cases import CaseRecord
from moderation.events import Author
from moderation.rules import parse_duration

DEFAULT_MUTE = timedelta(hours=1)


async def _record(
    session: AsyncSession,
    inv: Invocation,
    target: Author,
    action: str,
    duration: timedelta | None,
    reason: str,
) -> CaseRecord:
    cmd = inv.cmd
    reply = cmd.reply_to
    return await cases.create(
        session,
        community_id=inv.community.id,
        platform=inv.community.platform,
        kind=cmd.kind.value if cmd.kind else "manual",
        chat_id=reply.chat_id if reply else inv.community.platform_id,
        message_id=reply.message_id if reply else None,
        thread_id=reply.thread_id if reply else None,
        author_id=target.id,
        author_name=target.name,
        text=cmd.reply_to_text,
        action=action,
        duration_seconds=int(duration.total_seconds()) if duration else None,
        actor=cmd.author.id,
        actor_name=cmd.author.name or cmd.author.id,
        reason=reason or f"/{cmd.name}",
        source="manual",
        status="pending",
        created_at=inv.ctx.now(),
        decided_at=inv.ctx.now(),
    )


async def _manual(inv: Invocation, action: str, duration: timedelta | None = None, reason: str = "") -> None:
    given = inv.args.strip()
    if inv.cmd.reply_to_author is None and action in ("unban", "unmute") and given:
        found = await named(inv, given)
        if found.person is None:
            await refuse(inv, found, inv.cmd.name)
            return
        target = found.person
    elif inv.cmd.reply_to_author is not None:
        target = inv.cmd.reply_to_author
    else:
        await inv.answer_key("need_reply", name=inv.cmd.name)
        return
    if action in ("ban", "mute", "warn") and (
        target.is_admin or target.is_anonymous_admin or await roles.is_admin(inv.ctx, inv.community, target)
    ):
        await inv.answer_key("manual_admin")
        return
    now = inv.ctx.now()
    async with inv.ctx.db.transaction() as session:
        case = await _record(session, inv, target, action, duration, reason)
        planned = False
        if action in ("ban", "mute"):
            if action == "ban":
                planned = await plan_delete(session, inv.community, case) is not None
            await plan_restriction(
                session, inv.community, case, action, duration, now, sender_chat=target.is_sender_chat
            )
            planned = True
        elif action == "warn":
            ttl = policy_for(inv.community, inv.ctx.settings).warning_ttl
            await warnings.add(
                session, inv.community.id, target.id, issued_at=now, expires_at=now + ttl, case_id=case.id
            )
            live = await warnings.live_count(session, inv.community.id, target.id, now)
            await inv.answer_in(
                session, inv.t("warned", name=target.name or target.id, count=live, reason=reason or "/warn")
            )
        else:  # unban / unmute: reverse the standing restriction and overturn Dozor's case
            await _reverse(session, inv, target, action, case)
            planned = True
        if not planned:
            await cases.set_status(session, case.id, "executed", only_from={"pending"})
        await inv.answer_in(
            session,
            inv.t(
                "manual_done", action=decision(inv.lang, action), name=target.name or target.id, case=case.id
            ),
        )
    inv.ctx.poke()


async def _reverse(
    session: AsyncSession, inv: Invocation, target: Author, action: str, case: CaseRecord
) -> None:
    undone = "ban" if action == "unban" else "mute"
    previous = await cases.query(
        session, community_id=inv.community.id, author_id=target.id, action=undone, newest_first=True, limit=1
    )
    # What to undo is the same whichever case imposed it; the reversal belongs to the new case.
    stand_in = previous[0] if previous else case
    await plan_reversal(session, inv.community, _as_action(stand_in, undone), case_id=case.id)
    if previous and previous[0].source == "auto" and previous[0].status in STANDING:
        await cases.set_status(session, previous[0].id, "overturned", decided_at=inv.ctx.now())
        await warnings.revoke_for_case(session, previous[0].id)


def _as_action(case: CaseRecord, action: str) -> CaseRecord:
    from dataclasses import replace

    return replace(case, action=action)


async def ban_cmd(inv: Invocation) -> None:
    """``/ban [reason]`` as a reply: delete the message and ban its author for good."""
    await _manual(inv, "ban", None, inv.args)


async def mute_cmd(inv: Invocation) -> None:
    """``/mute [duration] [reason]`` as a reply (default one hour)."""
    words = inv.words()
    duration = DEFAULT_MUTE
    reason = inv.args
    if words:
        try:
            duration = parse_duration(words[0])
            reason = " ".join(words[1:])
        except ValueError:
            if words[0][:1].isdigit():
                await inv.answer_key("bad_duration", value=words[0])
                return
    await _manual(inv, "mute", duration, reason)


async def warn_cmd(inv: Invocation) -> None:
    """``/warn [reason]`` as a reply: a warning that counts toward the ladder."""
    await _manual(inv, "warn", None, inv.args)


async def unban_cmd(inv: Invocation) -> None:
    """``/unban`` as a reply, or ``/unban USER_ID`` / ``/unban NAME``."""
    await _manual(inv, "unban")


async def unmute_cmd(inv: Invocation) -> None:
    """``/unmute`` as a reply, or ``/unmute USER_ID`` / ``/unmute NAME``."""
    await _manual(inv, "unmute")
