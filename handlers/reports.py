"""Subscribers' voice: ``/report`` (as a reply, anyone) and ``/appeal [case id]`` (the author)."""

from __future__ import annotations

from handlers import bounds
from handlers.cards import open_escalation
from handlers.context import Context, plan_on
from handlers.explain import reason_row
from handlers.i18n import t
from handlers.invocation import Invocation
from handlers.planning import ENFORCED, STANDING
from handlers.updates import CommandCall
from models import cases, communities, escalations
from models.cases import CaseRecord
from moderation.actions import Send


async def report_cmd(inv: Invocation) -> None:
    """Put the replied-to message in front of the moderators (once per message)."""
    cmd = inv.cmd
    if cmd.reply_to is None or cmd.reply_to_author is None:
        await inv.answer_key("need_reply", name="report")
        return
    now = inv.ctx.now()
    async with inv.ctx.db.transaction() as session:
        where = (inv.community.id, cmd.reply_to.chat_id, cmd.reply_to.message_id)
        case = await cases.latest_for_message(session, *where, source="report")
        if case is None or await escalations.open_for_case(session, case.id) is None:
            reporter = cmd.author.name or cmd.author.id
            text = cmd.reply_to_text
            if text is None:  # a VK comment reply names the comment, not its text: Dozor saw it
                seen = await cases.latest_for_message(session, *where)
                text = seen.text if seen is not None else None
            case = await cases.create(
                session,
                community_id=inv.community.id,
                platform=inv.community.platform,
                kind=cmd.kind.value if cmd.kind else "report",
                chat_id=cmd.reply_to.chat_id,
                message_id=cmd.reply_to.message_id,
                thread_id=cmd.reply_to.thread_id,
                author_id=cmd.reply_to_author.id,
                author_name=cmd.reply_to_author.name,
                text=text,
                reasons=[
                    reason_row(
                        "report",
                        reporter,
                        cmd.args.strip() or "report",
                        "report",
                        by=reporter,
                        note=cmd.args.strip(),
                    )
                ],
                action="escalate",
                reason=f"reported by {reporter}",
                source="report",
                status="executed",
                created_at=now,
            )
        if await escalations.open_for_case(session, case.id) is None:
            await open_escalation(
                session, inv.community, case, kind="report", now=now, requested_by=cmd.author.id
            )
        await inv.answer_in(session, inv.t("report_thanks" if inv.community.modchat_id else "report_none"))
    inv.ctx.poke()


async def _find_case(ctx: Context, cmd: CommandCall, community_id: int | None) -> CaseRecord | None:
    """The caller's case to appeal: the given id (theirs only), else their latest acted-on case."""
    arg = cmd.args.strip().lstrip("#")
    async with ctx.db.transaction() as session:
        if arg.isdigit():  # a number that is no case of ours (too big, "²") finds nothing
            case_id = bounds.row_id(arg)
            case = await cases.get(session, case_id) if case_id is not None else None
            ok = case is not None and case.author_id == cmd.author.id and case.platform == cmd.platform.value
            return case if ok else None
        recent = await cases.query(
            session,
            community_id=community_id,
            author_id=cmd.author.id,
            action=ENFORCED,
            newest_first=True,
            limit=20,
        )
    return next((c for c in recent if c.platform == cmd.platform.value and c.status in STANDING), None)


async def _appeal(ctx: Context, cmd: CommandCall, community_id: int | None) -> str:
    """Open an appeal; returns the answer's catalogue key and case id as ``key:id``."""
    case = await _find_case(ctx, cmd, community_id)
    if case is None:
        return "appeal_none:0"
    where = {
        "chat_id": cmd.chat_id,
        "message_id": cmd.message.message_id,
        "thread_id": cmd.message.thread_id,  # an answer from the card goes to the same thread
        "kind": cmd.kind.value if cmd.kind else "",  # and surface: a VK comment needs it
    }
    return await open_appeal(ctx, case, cmd.author.id, where)


async def open_appeal(ctx: Context, case: CaseRecord, by: str, where: dict[str, object]) -> str:
    """Put an enforced case in front of the moderators again, once: its card, and where their
    answer and the outcome go (``where``: chat, message, thread, surface; ``why``: the
    appellant's own words). Returns the catalogue key of the reply and the case id, ``key:id``."""
    if case.action not in ENFORCED:
        return "appeal_none:0"
    async with ctx.db.transaction() as session:
        community = await communities.get(session, case.community_id)
        assert community is not None
        if await escalations.open_for_case(session, case.id, kind="appeal") is not None:
            return f"appeal_open:{case.id}"
        await cases.set_status(session, case.id, "appealed", only_from=STANDING)
        fresh = await cases.get(session, case.id) or case
        # where the card's answer goes is known before the card is written: it shows the "why"
        await open_escalation(
            session, community, fresh, kind="appeal", now=ctx.now(), requested_by=by,
            note={**where, "lang": community.language},
        )  # fmt: skip
    ctx.poke()
    return f"appeal_sent:{case.id}"


async def appeal_cmd(inv: Invocation) -> None:
    """``/appeal [case id]`` typed in the community."""
    key, _, case_id = (await _appeal(inv.ctx, inv.cmd, inv.community.id)).partition(":")
    await inv.answer_key(key, case=case_id)


async def appeal_private(ctx: Context, cmd: CommandCall) -> None:
    """``/appeal [case id]`` typed to Dozor privately (a muted or banned author can still appeal)."""
    key, _, case_id = (await _appeal(ctx, cmd, None)).partition(":")
    async with ctx.db.transaction() as session:
        case = await cases.get(session, int(case_id)) if case_id != "0" else None
        community = await communities.get(session, case.community_id) if case else None
        text = t(community.language if community else ctx.settings.language, key, case=case_id)
        answer = Send(cmd.chat_id, text, reply_to=cmd.message.message_id)
        await plan_on(
            session, cmd.platform.value, cmd.via, answer, community_id=community.id if community else None
        )
    ctx.poke()
