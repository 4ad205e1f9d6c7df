"""Prometheus metrics of the service, served at ``/metrics`` on the health port.

What an operator graphs and alerts on: the inbox backlog (is Dozor keeping up?), events
received, refused by back-pressure and processed, how long an event waits from arrival to
decision, and platform actions by kind, platform and outcome with their latency from planning.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

from models.base import utcnow
from models.inbox import InboxRecord

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

RECEIVED = Counter("dozor_events_received_total", "Platform events stored in the inbox", ["platform"])
REFUSED = Counter(
    "dozor_events_refused_total",
    "Platform events refused by back-pressure (the platform resends)",
    ["platform"],
)
PROCESSED = Counter("dozor_events_processed_total", "Inbox events run through the use cases", ["platform"])
FAILED = Counter(
    "dozor_events_failed_total",
    "Inbox events whose processing failed, each attempt (the reason: dozor inbox failed)",
    ["platform"],
)
BACKLOG = Gauge("dozor_inbox_backlog", "Inbox events waiting to be processed (counted every second)")
DECISION = Histogram(
    "dozor_decision_seconds", "From an event's arrival to its decision", ["platform"], buckets=_LATENCY
)
ACTIONS = Counter(
    "dozor_actions_total",
    "Platform actions by outcome (done, retry, deferred, waiting, failed, expired)",
    ["platform", "kind", "outcome"],
)
ACTION_LATENCY = Histogram(
    "dozor_action_seconds", "From planning an action to the platform confirming it", ["platform", "kind"],
    buckets=_LATENCY,
)  # fmt: skip


def observe_processed(items: Sequence[InboxRecord]) -> None:
    now = utcnow()
    for item in items:
        PROCESSED.labels(item.platform).inc()
        DECISION.labels(item.platform).observe((now - item.received_at).total_seconds())


def observe_failed(items: Sequence[InboxRecord], failed: Collection[int]) -> None:
    """Count the events of a batch that failed (``failed``: their inbox ids)."""
    for item in items:
        if item.id in failed:
            FAILED.labels(item.platform).inc()


async def metrics_handler(_request: web.Request) -> web.Response:
    """``GET /metrics`` in the Prometheus text format."""
    response = web.Response(body=generate_latest(REGISTRY))
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    response.charset = "utf-8"
    return response
