"""A community's policy as the engine needs it: built-in defaults, the service's thresholds
(DOZOR_MODERATION_*), then the community's own overrides. Pure: no database, so the commands that
only need a policy (``dozor check``) start fast.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from config.settings import ModerationSettings
from moderation.errors import ConfigError
from moderation.policy import Policy

if TYPE_CHECKING:
    from models.communities import CommunityRecord

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


def notify_removed(community: CommunityRecord) -> bool:
    return bool(community.settings.get("notify_removed", True))
