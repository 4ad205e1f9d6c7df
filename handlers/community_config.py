"""A community's stored configuration: its rule set (parsed once, cached until it changes) and
changes to its policy and switches. Reading the policy is ``handlers.policy``.

``communities.settings`` holds ``{"policy": {...}}`` — only the policy keys the community changed
(``Policy.from_mapping`` keys: spam, toxicity, negativity, ladder, warning_ttl, …) — plus the
switches ``notify_removed`` (tell authors why, default true) and ``autoreply_cooldown`` (seconds).
Settings absent there come from ``ModerationSettings``, then from ``Policy``'s own defaults.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.policy import policy_overrides
from models import communities, rules
from models.communities import CommunityRecord
from moderation.errors import RuleError
from moderation.policy import Policy
from moderation.rules import RuleSet, parse_rules

log = logging.getLogger(__name__)


async def save_policy(session: AsyncSession, community: CommunityRecord, **changes: Any) -> Policy:
    """Change policy keys of a community (validated through ``Policy.from_mapping``).

    Raises:
        ConfigError: a value the policy does not accept; the message says what to write.
    """
    overrides = {**policy_overrides(community), **changes}
    Policy.from_mapping(overrides)  # validate before storing
    settings = {**community.settings, "policy": overrides}
    await communities.update_fields(session, community.id, settings=settings)
    return Policy.from_mapping(overrides)


async def set_switch(session: AsyncSession, community: CommunityRecord, key: str, value: Any) -> None:
    await communities.update_fields(session, community.id, settings={**community.settings, key: value})


async def ruleset_for(session: AsyncSession, community_id: int) -> RuleSet:
    """The community's enabled rules, each in the mode its row says (``/rule shadow|enforce``)."""
    collected = []
    for row in await rules.list_for(session, community_id, enabled_only=True):
        try:
            parsed = parse_rules(row.source).rules
        except RuleError as exc:  # stored before a grammar change: skip it, keep moderating
            log.error("rule %r of community %s no longer parses: %s", row.name, community_id, exc)
            continue
        collected.extend(replace(rule, mode=row.mode) for rule in parsed)
    try:
        return RuleSet.from_rules(collected)
    except RuleError as exc:
        log.error("rules of community %s conflict: %s", community_id, exc)
        return RuleSet()


class RuleCache:
    """Each community's parsed rule set, kept until one of its rules changes.

    Every use costs one small query (the rules' versions, modes and times, no sources), so a
    change made by another process is seen at once; parsing happens only after a change.
    """

    def __init__(self) -> None:
        self._sets: dict[int, tuple[tuple[Any, ...], RuleSet]] = {}

    async def for_community(self, session: AsyncSession, community_id: int) -> RuleSet:
        stamp = await rules.stamp(session, community_id)
        cached = self._sets.get(community_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        ruleset = await ruleset_for(session, community_id)
        self._sets[community_id] = (stamp, ruleset)
        return ruleset
