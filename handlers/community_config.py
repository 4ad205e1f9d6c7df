"""A community's configuration as the engine needs it: its rule set and its policy.

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

from config.settings import ModerationSettings
from models import communities, rules
from models.communities import CommunityRecord
from moderation.errors import ConfigError, RuleError
from moderation.policy import Policy
from moderation.rules import RuleSet, parse_rules

log = logging.getLogger(__name__)


def policy_overrides(community: CommunityRecord) -> dict[str, Any]:
    return dict(community.settings.get("policy") or {})


def _service_wide(settings: ModerationSettings) -> dict[str, Any]:
    """The thresholds set for the whole service (DOZOR_MODERATION_*); unset ones are left out."""
    chosen = {
        "spam": settings.spam_threshold,
        "toxicity": settings.toxicity_threshold,
        "negativity": settings.negativity_threshold,
    }
    return {key: value for key, value in chosen.items() if value is not None}


def service_policy(settings: ModerationSettings) -> Policy:
    """The policy of a community that changed nothing: built-in defaults under the service's settings."""
    return Policy.from_mapping(_service_wide(settings))


def policy_for(community: CommunityRecord, settings: ModerationSettings) -> Policy:
    """The community's policy: its own overrides on top of the service-wide defaults."""
    base = _service_wide(settings)
    try:
        return Policy.from_mapping({**base, **policy_overrides(community)})
    except ConfigError as exc:  # a stored value the current code rejects: fall back, loudly
        log.error("community %s has an invalid policy (%s); using the defaults", community.id, exc)
        return Policy.from_mapping(base)


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


def notify_removed(community: CommunityRecord) -> bool:
    return bool(community.settings.get("notify_removed", True))


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
