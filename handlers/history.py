"""Looking back: ``/history [user]``, ``/stats [days]``, ``/export [days]`` (cases as CSV)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from handlers import bounds, shadow, stats
from handlers.explain import case_reason, reason_text, status_name
from handlers.i18n import action_name, t
from handlers.invocation import Invocation
from models import cases, members
from models.cases import CaseRecord

CSV_COLUMNS = (
    "id",
    "created_at",
    "platform",
    "chat_id",
    "message_id",
    "author_id",
    "author_name",
    "action",
    "duration_seconds",
    "status",
    "source",
    "actor",
    "actor_name",
    "rules",
    "shadow",
    "reason",
    "spam",
    "toxicity",
    "negativity",
    "text",
)


def _days(inv: Invocation, default: int) -> int | None:
    words = inv.words()
    if not words:
        return default
    return bounds.number(words[0], 1, 3650)


async def history_cmd(inv: Invocation) -> None:
    """The latest ten decisions: about a user (a reply, an id or a name) or the whole community."""
    who = inv.cmd.reply_to_author.id if inv.cmd.reply_to_author else None
    async with inv.ctx.db.transaction() as session:
        if who is None and inv.args:
            found = await members.find_named(session, inv.community.id, inv.args)
            who = found[0].user_id if len(found) == 1 else inv.args.lstrip("@")
        rows = await cases.query(
            session,
            community_id=inv.community.id,
            author_id=who,
            action=None if who else _ACTED,
            newest_first=True,
            limit=10,
        )
        shadowed = await cases.query(
            session,
            community_id=inv.community.id,
            author_id=who,
            with_shadow=True,
            newest_first=True,
            limit=5,
        )
        if not rows and not shadowed:
            await inv.answer_in(session, inv.t("history_empty"))
        else:
            label = f" ({(rows or shadowed)[0].author_name or who})" if who else ""
            lines = [inv.t("history_head", who=label), *(_line(inv.lang, c) for c in rows)]
            if shadowed:
                lines += [inv.t("shadow_head"), *(_shadow_line(inv.lang, c) for c in shadowed)]
            await inv.answer_in(session, "\n".join(lines))
    inv.ctx.poke()


_ACTED = ("reply", "escalate", "hold", "warn", "delete", "mute", "ban", "unban", "unmute")


def _line(language: str, c: CaseRecord) -> str:
    by = "" if c.actor == "dozor" else " " + t(language, "history_by", name=c.actor_name)
    reason = case_reason(language, c)
    why = f" — {reason}" if reason else ""
    who = c.author_name or c.author_id
    action, status = action_name(language, c.action), status_name(language, c.status)
    return f"#{c.id} {c.created_at:%Y-%m-%d %H:%M} {action}{by} · {who}{why} [{status}]"


def _shadow_line(language: str, c: CaseRecord) -> str:
    """What the shadow rules would have done to one message."""
    would = "; ".join(reason_text(language, r) for r in c.shadow if isinstance(r, dict))
    return f"#{c.id} {c.created_at:%Y-%m-%d %H:%M} · {c.author_name or c.author_id} — 👁 {would}"


async def stats_cmd(inv: Invocation) -> None:
    """``/stats [days]`` (default 7)."""
    days = _days(inv, 7)
    if days is None:
        await inv.answer_key("usage", usage="/stats [days]")
        return
    bot_id = inv.ctx.bot_id(inv.community.platform)
    figures = await stats.compute(inv.ctx.db, inv.community.id, days, inv.ctx.now(), bot_user_id=bot_id)
    await inv.answer(figures.format(inv.lang))


def to_csv(rows: list[CaseRecord], language: str = "en") -> bytes:
    """Cases as CSV (UTF-8 with BOM so spreadsheet programs read Cyrillic right); ``shadow`` holds
    what shadow-mode rules would have done (``rule:action;…``), ``reason`` is in ``language``."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for c in rows:
        writer.writerow(
            [
                c.id,
                c.created_at.isoformat(),
                c.platform,
                c.chat_id,
                c.message_id or "",
                c.author_id,
                c.author_name,
                c.action,
                c.duration_seconds or "",
                c.status,
                c.source,
                c.actor,
                c.actor_name,
                ";".join(c.rule_names),
                ";".join(f"{rule}:{action}" for rule, action in shadow.hits_of(c)),
                case_reason(language, c),
                c.scores.get("spam", ""),
                c.scores.get("toxicity", ""),
                c.scores.get("negativity", ""),
                c.text if c.text is not None else "",
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


async def export_cmd(inv: Invocation) -> None:
    """``/export [days]`` (default 30): the community's cases as a CSV document."""
    days = _days(inv, 30)
    if days is None:
        await inv.answer_key("usage", usage="/export [days]")
        return
    now = inv.ctx.now()
    async with inv.ctx.db.transaction() as session:
        rows = await cases.query(session, community_id=inv.community.id, since=now - timedelta(days=days))
        name = f"dozor-cases-{inv.community.platform_id}-{now:%Y%m%d}.csv"
        caption = inv.t("export_caption", days=days, count=len(rows))
        # every case's text: not for a public chat when the moderators have one of their own
        await inv.send_file_in(session, name, to_csv(rows, inv.lang), caption, confidential=True)
    inv.ctx.poke()
