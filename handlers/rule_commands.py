"""Admin configuration commands: /rules, /rule, /threshold, /warnings, /autoreply."""

from __future__ import annotations

import asyncio
import re

from handlers import autoreply
from handlers.community_config import ruleset_for, save_policy
from handlers.explain import verdict_text
from handlers.invocation import Invocation
from handlers.policy import policy_for
from models import autoreplies, rules
from moderation.errors import ConfigError, RuleError
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.policy import Policy
from moderation.rules import MAX_RULE_BYTES, format_duration, parse_rules

_SUB = re.compile(r"^(\w+)\s*(.*)$", re.DOTALL)
_STEP = re.compile(r"^(\d+)=(warn|mute|ban)(?::(\w+))?$")


async def rules_cmd(inv: Invocation) -> None:
    """``/rules`` lists; ``/rules NAME`` (or ``/rules show NAME``) shows one rule's YAML."""
    words = inv.words()
    name = words[-1] if words else None
    async with inv.ctx.db.transaction() as session:
        if name:
            row = await rules.get(session, inv.community.id, name)
            text = (
                f"{row.name} [{row.mode}, v{row.version}]\n{row.source}"
                if row
                else inv.t("rule_missing", name=name)
            )
        else:
            rows = await rules.list_for(session, inv.community.id)
            lines = [f"• {r.name} [{r.mode}, v{r.version}]" for r in rows]
            text = "\n".join([inv.t("rules_head"), *lines]) if rows else inv.t("rules_empty")
        await inv.answer_in(session, text)
    inv.ctx.poke()


async def rule_cmd(inv: Invocation) -> None:
    """``/rule add|remove|shadow|enforce|test …``."""
    m = _SUB.match(inv.cmd.args.strip())
    sub, rest = (m[1].lower(), m[2].strip()) if m else ("", "")
    if sub == "add":
        await _rule_add(inv, rest or (inv.cmd.reply_to_text or ""))
    elif sub == "remove" and rest:
        async with inv.ctx.db.transaction() as session:
            ok = await rules.remove(session, inv.community.id, rest)
            await inv.answer_in(session, inv.t("rule_removed" if ok else "rule_missing", name=rest))
        inv.ctx.poke()
    elif sub in ("shadow", "enforce") and rest:
        async with inv.ctx.db.transaction() as session:
            ok = await rules.set_mode(session, inv.community.id, rest, sub)
            await inv.answer_in(
                session,
                inv.t("rule_mode" if ok else "rule_missing", name=rest, mode=inv.t(f"rule_mode_{sub}")),
            )
        inv.ctx.poke()
    elif sub == "test" and rest:
        await _rule_test(inv, rest)
    else:
        await inv.answer_key(
            "usage", usage="/rule add <YAML> | remove NAME | shadow NAME | enforce NAME | test <text>"
        )


async def _rule_add(inv: Invocation, text: str) -> None:
    if not text.strip():
        await inv.answer_key("usage", usage="/rule add <YAML>  (or reply to a message with the YAML)")
        return
    try:
        # Building checks (compiling word lists into patterns) takes up to a few hundred ms for a
        # rule near the 64 KB limit: off the event loop, so the service keeps answering meanwhile.
        parsed = await asyncio.to_thread(parse_rules, text, max_bytes=MAX_RULE_BYTES)
    except RuleError as exc:
        await inv.answer_key("rule_invalid", error=str(exc))
        return
    if len(parsed.rules) != 1:
        await inv.answer_key("rule_one", count=len(parsed.rules))
        return
    rule = parsed.rules[0]
    async with inv.ctx.db.transaction() as session:
        row = await rules.put(
            session,
            inv.community.id,
            rule.name,
            rule.source or text,
            mode=rule.mode,
            author_id=inv.cmd.author.id,
        )
        await inv.answer_in(
            session,
            inv.t("rule_added", name=row.name, version=row.version, mode=inv.t(f"rule_mode_{row.mode}")),
        )
    inv.ctx.poke()


async def _rule_test(inv: Invocation, text: str) -> None:
    """What the engine would decide about ``text`` from an ordinary member; nothing is done."""
    cmd = inv.cmd
    event = Event(
        platform=Platform(inv.community.platform),
        kind=EventKind.usual(inv.community.platform),
        community_id=inv.community.platform_id,
        message=MessageRef(chat_id=inv.community.platform_id, message_id="0"),
        author=Author(id=cmd.author.id, name=cmd.author.name, first_seen=cmd.date, message_count=10),
        text=text,
        date=cmd.date,
    )
    async with inv.ctx.db.transaction() as session:
        ruleset = await ruleset_for(session, inv.community.id)
    verdict = inv.ctx.engine.decide(
        event, rules=ruleset, policy=policy_for(inv.community, inv.ctx.settings), now=cmd.date
    )
    s = verdict.scores
    await inv.answer_key(
        "rule_test",
        verdict=verdict_text(inv.lang, verdict),
        spam=f"{s.spam:.2f}",
        toxicity=f"{s.toxicity:.2f}",
        negativity=f"{s.negativity:.2f}",
    )


async def threshold_cmd(inv: Invocation) -> None:
    """``/threshold spam|toxicity|negativity <0..1>``."""
    words = inv.words()
    usage = "/threshold spam|toxicity|negativity <0..1>"
    if len(words) != 2 or words[0].lower() not in ("spam", "toxicity", "negativity"):
        await inv.answer_key("usage", usage=usage)
        return
    try:
        value = float(words[1].replace(",", "."))
        async with inv.ctx.db.transaction() as session:
            await save_policy(session, inv.community, **{words[0].lower(): value})
            await inv.answer_in(
                session,
                inv.t("threshold_set", label=inv.t(f"score_{words[0].lower()}"), value=f"{value:.2f}"),
            )
    except (ValueError, ConfigError):
        await inv.answer_key("usage", usage=usage)
        return
    inv.ctx.poke()


def _ladder_text(policy: Policy) -> str:
    steps = [
        f"{s.warnings}→{s.action.value}" + (f" {format_duration(s.duration)}" if s.duration else "")
        for s in policy.ladder
    ]
    return ", ".join(["1→warn", *steps])


def ladder_changes(words: list[str]) -> dict[str, object] | None:
    """Policy changes from ``1=warn 2=mute:1h 3=ban ttl=30d`` words; None when one is not such a word."""
    ladder, changes = [], {}
    for word in words:
        if word.lower().startswith("ttl="):
            changes["warning_ttl"] = word[4:]
            continue
        m = _STEP.match(word.lower())
        if not m:
            return None
        step = {"warnings": int(m[1]), "action": m[2], **({"duration": m[3]} if m[3] else {})}
        if m[2] != "warn":  # a plain warning is what happens below the first step anyway
            ladder.append(step)
    if ladder:
        changes["ladder"] = ladder
    return changes


def ladder_text(policy: Policy) -> str:
    """The ladder as ``/warnings set`` takes it: ``2=mute:1h 3=ban``."""
    return " ".join(
        f"{s.warnings}={s.action.value}" + (f":{format_duration(s.duration)}" if s.duration else "")
        for s in policy.ladder
    )


async def warnings_cmd(inv: Invocation) -> None:
    """``/warnings`` shows the ladder; ``/warnings set 1=warn 2=mute:1h 3=ban [ttl=30d]`` changes it."""
    words = inv.words()
    usage = "/warnings set 2=mute:1h 3=ban ttl=30d"
    if words and words[0].lower() == "set":
        changes = ladder_changes(words[1:])
        if changes is None:
            await inv.answer_key("usage", usage=usage)
            return
        try:
            async with inv.ctx.db.transaction() as session:
                policy = await save_policy(session, inv.community, **changes)
                await inv.answer_in(
                    session,
                    inv.t(
                        "warnings_set", ladder=_ladder_text(policy), ttl=format_duration(policy.warning_ttl)
                    ),
                )
        except ConfigError as exc:
            await inv.answer_key("usage", usage=f"{usage} ({exc})")
            return
    else:
        policy = policy_for(inv.community, inv.ctx.settings)
        await inv.answer_key("warnings", ladder=_ladder_text(policy), ttl=format_duration(policy.warning_ttl))
        return
    inv.ctx.poke()


async def autoreply_cmd(inv: Invocation) -> None:
    """``/autoreply add <trigger> -> <answer>``, ``/autoreply list``, ``/autoreply remove <trigger>``."""
    sub, _, rest = inv.args.partition(" ")
    sub, rest = sub.lower(), rest.strip()
    async with inv.ctx.db.transaction() as session:
        if sub == "add" and "->" in rest:
            trigger, _, answer = (p.strip() for p in rest.partition("->"))
            if trigger and answer:
                cooldown = int(inv.community.settings.get("autoreply_cooldown", autoreply.DEFAULT_COOLDOWN))
                await autoreplies.put(
                    session,
                    inv.community.id,
                    trigger,
                    answer,
                    cooldown_seconds=cooldown,
                    created_by=inv.cmd.author.id,
                )
                await inv.answer_in(session, inv.t("autoreply_added", trigger=trigger))
            else:
                await inv.answer_in(session, inv.t("usage", usage="/autoreply add <trigger> -> <answer>"))
        elif sub == "remove" and rest:
            ok = await autoreplies.remove(session, inv.community.id, rest)
            await inv.answer_in(
                session, inv.t("autoreply_removed" if ok else "autoreply_missing", trigger=rest)
            )
        elif sub == "list" or not sub:
            rows = await autoreplies.list_for(session, inv.community.id)
            lines = [f"• {r.trigger} → {r.answer}" for r in rows]
            await inv.answer_in(session, "\n".join(lines) if rows else inv.t("autoreply_empty"))
        else:
            usage = "/autoreply add <trigger> -> <answer> | list | remove <trigger>"
            await inv.answer_in(session, inv.t("usage", usage=usage))
    inv.ctx.poke()
