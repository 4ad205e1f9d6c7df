"""``/answers``: the community's saved answers, kept by its admins, read by its moderators.

``/answers add NAME -> text`` (placeholders ``{{author}}``, ``{{moderator}}``, ``{{community}}``,
``{{case}}``), ``/answers del NAME``, ``/answers quick NAME [off]`` (a button on every new card),
``/answers`` lists them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from handlers import roles
from handlers.invocation import Invocation
from models import answers
from moderation.events import Author

NAME = re.compile(r"^[\w-]{1,32}$")
USAGE = "/answers · /answers add NAME -> text · /answers del NAME · /answers quick NAME [off]"


async def answers_cmd(inv: Invocation) -> None:
    """``/answers`` (list), ``add NAME -> text``, ``del NAME``, ``quick NAME [off]``: admins change."""
    verb, _, rest = inv.args.partition(" ")
    verb = verb.lower() or "list"
    if verb == "list":
        await _list(inv)
        return
    if verb not in ("add", "del", "remove", "quick"):
        await inv.answer_key("usage", usage=USAGE)
        return
    if not await roles.is_admin(inv.ctx, inv.community, _typer(inv)):
        await inv.answer_key("not_admin")
        return
    if verb == "add":
        name, arrow, text = rest.partition("->")
        name, text = name.strip(), text.strip()
        if not arrow or not text:
            await inv.answer_key("usage", usage=USAGE)
            return
    else:
        words = rest.split()
        name = words[0] if words else ""
        text = ""
    if not NAME.match(name):
        await inv.answer_key("answer_bad_name")
        return
    async with inv.ctx.db.transaction() as session:
        if verb == "add":
            await answers.put(session, inv.community.id, name, text, created_by=inv.cmd.author.id)
            key = "answer_saved"
        elif verb in ("del", "remove"):
            removed = await answers.remove(session, inv.community.id, name)
            key = "answer_removed" if removed else "answer_missing"
        else:
            on = rest.split()[1:2] != ["off"]
            changed = await answers.set_quick(session, inv.community.id, name, on)
            key = ("answer_quick_on" if on else "answer_quick_off") if changed else "answer_missing"
        await inv.answer_in(session, inv.t(key, name=name))
    inv.ctx.poke()


def _typer(inv: Invocation) -> Author:
    return replace(inv.cmd.author, is_anonymous_admin=False) if inv.in_modchat else inv.cmd.author


async def _list(inv: Invocation) -> None:
    async with inv.ctx.db.transaction() as session:
        saved = await answers.list_for(session, inv.community.id)
    if not saved:
        await inv.answer_key("answers_empty")
        return
    lines = [inv.t("answers_head", count=len(saved))]
    lines += [f"{'⚡' if a.quick else '•'} {a.name}: {a.text}" for a in saved]
    await inv.answer("\n".join(lines))
