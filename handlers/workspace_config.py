"""The workspace's rules and settings pages, platform-neutral.

Rules are edited as one YAML text: each rule is stored as ``/rule add`` stores it (``rules.put``:
a changed rule's version goes up, an unchanged one is left alone), rules missing from the text
are removed. Checking, trying a text and the backtest use the candidate text without saving it.
Settings are written where the chat commands write them (``save_policy``, ``set_switch``,
``autoreplies``).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from handlers import bounds
from handlers.autoreply import DEFAULT_COOLDOWN
from handlers.backtest import BacktestReport, backtest
from handlers.community_config import save_policy, set_switch
from handlers.context import Context
from handlers.digest import PERIODS
from handlers.policy import policy_for
from handlers.rule_commands import ladder_changes, ladder_text
from handlers.welcome import MAX_MINUTES
from models import autoreplies, communities, rules
from models.communities import CommunityRecord
from models.rules import RuleRecord
from models.search import count_shadow_hits
from moderation.errors import ConfigError, RuleError
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.rules import RuleSet, parse_rules
from moderation.verdict import Verdict

SHADOW_DAYS = 30
_MODE_LINE = re.compile(r"^mode:.*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a rule text, and where (``line`` 0: not tied to a line)."""

    message: str
    line: int = 0
    rule: str = ""


@dataclass
class Saved:
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, int]] = field(default_factory=list)  # (name, new version)
    removed: list[str] = field(default_factory=list)


def as_yaml(stored: list[RuleRecord]) -> str:
    """A community's rules as one YAML text (one document per rule), each in its stored mode."""
    docs = []
    for row in stored:
        source = row.source.rstrip("\n")
        if row.mode == "shadow" or _MODE_LINE.search(source):
            source = _MODE_LINE.sub("", source).rstrip("\n") + f"\nmode: {row.mode}"
        docs.append(source.strip("\n") + "\n")
    return "---\n".join(docs)


async def stored_rules(ctx: Context, community: CommunityRecord) -> list[RuleRecord]:
    async with ctx.db.transaction() as session:
        return await rules.list_for(session, community.id)


def plain(text: str) -> str:
    """Browsers send a text area's lines ended with CR LF: store them as the chat does, with LF."""
    return text.replace("\r\n", "\n")


async def check(text: str) -> tuple[RuleSet | None, Problem | None]:
    """Parse a candidate text (off the event loop: a large one takes a while to build)."""
    try:
        return await asyncio.to_thread(parse_rules, plain(text)), None
    except RuleError as exc:
        return None, Problem(str(exc), exc.line or 0, exc.rule or "")


async def save(ctx: Context, community: CommunityRecord, text: str, by: str) -> tuple[Saved, Problem | None]:
    """Store the text's rules as ``/rule add`` does; remove the stored rules it no longer has."""
    parsed, problem = await check(text)
    if parsed is None:
        return Saved(), problem
    result = Saved()
    async with ctx.db.transaction() as session:
        before = {r.name: r for r in await rules.list_for(session, community.id)}
        for rule in parsed.rules:
            old = before.pop(rule.name, None)
            same = old is not None and old.source.strip() == rule.source.strip() and old.mode == rule.mode
            if same:
                continue
            row = await rules.put(
                session, community.id, rule.name, plain(rule.source), mode=rule.mode, author_id=by
            )
            if old is None:
                result.added.append(row.name)
            else:
                result.changed.append((row.name, row.version))
        for name in before:
            await rules.remove(session, community.id, name)
            result.removed.append(name)
    return result, None


async def try_text(
    ctx: Context, community: CommunityRecord, candidate: RuleSet, text: str, now: datetime
) -> Verdict:
    """What the engine would decide about ``text`` from an ordinary member under ``candidate``."""
    platform = Platform(community.platform)
    event = Event(
        platform=platform,
        kind=EventKind.usual(community.platform),
        community_id=community.platform_id,
        message=MessageRef(chat_id=community.platform_id, message_id="0"),
        author=Author(id="0", name="—", first_seen=now - timedelta(days=30), message_count=10),
        text=text,
        date=now,
    )
    return ctx.engine.decide(event, rules=candidate, policy=policy_for(community, ctx.settings), now=now)


async def replay(ctx: Context, community: CommunityRecord, text: str, days: int) -> BacktestReport:
    """The backtest of ``text`` on the community's stored history (``dozor rules backtest``)."""
    return await backtest(ctx.db, ctx.engine, community.id, plain(text), days, settings=ctx.settings)


async def shadow_hits(ctx: Context, community: CommunityRecord, stored: list[RuleRecord]) -> dict[str, int]:
    """Each shadow rule's hits in the last ``SHADOW_DAYS`` days."""
    names = [r.name for r in stored if r.mode == "shadow"]
    since = ctx.now() - timedelta(days=SHADOW_DAYS)
    async with ctx.db.transaction() as session:
        return await count_shadow_hits(session, community.id, names, since)


def settings_of(ctx: Context, community: CommunityRecord) -> dict[str, Any]:
    """What the settings page shows."""
    policy = policy_for(community, ctx.settings)
    digest = (community.settings.get("digest") or {}).get("every") or "off"
    return {
        "spam": policy.spam,
        "toxicity": policy.toxicity,
        "negativity": policy.negativity,
        "ladder": ladder_text(policy),
        "ttl": policy.to_mapping()["warning_ttl"],
        "welcome": community.settings.get("welcome") or "",
        "join_check": int(community.settings.get("join_check_minutes") or 0),
        "join_check_here": ctx.can(community.platform).join_check,
        "digest": digest if digest in PERIODS else "off",
    }


async def save_thresholds(ctx: Context, community: CommunityRecord, values: dict[str, str]) -> str | None:
    """Thresholds and the ladder, as ``/threshold`` and ``/warnings set``. Returns a problem or None."""
    changes: dict[str, Any] = {}
    try:
        for key in ("spam", "toxicity", "negativity"):
            if values.get(key, "").strip():
                changes[key] = float(values[key].replace(",", "."))
    except ValueError:
        return "thresholds are numbers from 0 to 1, e.g. 0.7"
    words = values.get("ladder", "").split() + ([f"ttl={values['ttl'].strip()}"] if values.get("ttl") else [])
    ladder = ladder_changes(words)
    if ladder is None:
        return "write the ladder as 2=mute:1h 3=ban"
    changes.update(ladder)
    try:
        async with ctx.db.transaction() as session:
            await save_policy(session, community, **changes)
    except ConfigError as exc:
        return str(exc)
    return None


async def save_switches(ctx: Context, community: CommunityRecord, values: dict[str, str]) -> str | None:
    """Welcome text, join check (where the platform has one) and the digest."""
    minutes_raw = values.get("join_check", "0").strip() or "0"
    minutes = bounds.number(minutes_raw, 0, MAX_MINUTES)
    if minutes is None:
        return f"the join check is 0 (off) to {MAX_MINUTES} minutes"
    digest = values.get("digest", "off")
    if digest not in (*PERIODS, "off"):
        return "the digest is weekly, daily or off"
    if digest != "off" and not community.modchat_id:
        return "the digest goes to the moderators' chat: link one with /modchat first"
    async with ctx.db.transaction() as session:
        await set_switch(session, community, "welcome", values.get("welcome", "").strip())
        fresh = await _fresh(session, community)
        if ctx.can(community.platform).join_check:
            await set_switch(session, fresh, "join_check_minutes", minutes)
            fresh = await _fresh(session, community)
        current = (community.settings.get("digest") or {}).get("every") or "off"
        if digest != current:
            value = {} if digest == "off" else {"every": digest, "next": ctx.now().isoformat()}
            await set_switch(session, fresh, "digest", value)
    return None


async def _fresh(session: Any, community: CommunityRecord) -> CommunityRecord:
    return await communities.get(session, community.id) or community


async def add_autoreply(ctx: Context, community: CommunityRecord, trigger: str, answer: str, by: str) -> bool:
    if not trigger.strip() or not answer.strip():
        return False
    cooldown = int(community.settings.get("autoreply_cooldown", DEFAULT_COOLDOWN))
    async with ctx.db.transaction() as session:
        await autoreplies.put(
            session, community.id, trigger.strip(), answer.strip(), cooldown_seconds=cooldown, created_by=by
        )
    return True


async def remove_autoreply(ctx: Context, community: CommunityRecord, trigger: str) -> bool:
    async with ctx.db.transaction() as session:
        return await autoreplies.remove(session, community.id, trigger)


async def autoreply_list(ctx: Context, community: CommunityRecord) -> list[Any]:
    async with ctx.db.transaction() as session:
        return await autoreplies.list_for(session, community.id)
