"""What the fake VK's call log says: removals and their latency, doubles, requests per token.

A call was performed when the fake answered it ``ok`` (inside an ``execute`` or as a request of its
own); a request refused by the rate limit (``refused``: error 6) did nothing, nor did its calls.

* removals — ``wall.deleteComment`` by ``(owner_id, comment_id)``: the first performed one is the
  removal, every further one a comment removed twice;
* restrictions — ``groups.ban`` with an ``end_date`` is a mute, without one a ban; the same person
  may legitimately be muted and later banned, so their counts are compared with the outbox rows
  the service marked done (every call beyond one per row is a double);
* requests — what VK counts against a token: each HTTP request (an ``execute`` is one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.e2e.vk_traffic import Comment, percentile


def performed(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The API calls the fake carried out (``execute`` wrappers left out: their calls are listed)."""
    return [c for c in calls if c["outcome"] == "ok" and c["method"] != "execute"]


@dataclass
class Removals:
    """Spam comments and their removal."""

    latencies: list[float] = field(default_factory=list)  # seconds, delivered → removed, per spam
    spam: int = 0
    not_removed: int = 0
    removed_twice: int = 0
    ham_removed: int = 0  # ordinary comments removed (the classifier's, not the rule's, doing)
    batched: int = 0  # removals made inside an ``execute``

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def removals(
    comments: list[Comment], delivered_at: Mapping[str, float], calls: list[dict[str, Any]]
) -> Removals:
    """Latency from each delivered spam comment to its first performed ``wall.deleteComment``."""
    first: dict[tuple[int, int], float] = {}
    times: Counter[tuple[int, int]] = Counter()
    found = Removals()
    for call in performed(calls):
        if call["method"] != "wall.deleteComment":
            continue
        key = (int(call["owner_id"]), int(call["comment_id"]))
        first.setdefault(key, call["at"])
        times[key] += 1
        found.batched += call["execute"] is not None and times[key] == 1
    for comment in comments:
        key = (comment.owner_id, comment.comment_id)
        found.removed_twice += max(0, times[key] - 1)
        if not comment.spam:
            found.ham_removed += key in first
            continue
        if comment.event_id not in delivered_at:
            continue
        found.spam += 1
        if key in first:
            found.latencies.append(first[key] - delivered_at[comment.event_id])
        else:
            found.not_removed += 1
    return found


def restrictions(
    calls: list[dict[str, Any]], done_rows: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Mutes and bans performed, and those beyond one per outbox row marked done."""
    counts: Counter[str] = Counter()
    for call in performed(calls):
        if call["method"] == "groups.ban":
            counts["restrict" if call.get("end_date") else "ban"] += 1
    doubled = {kind: max(0, n - done_rows.get(kind, 0)) for kind, n in counts.items()}
    return dict(sorted(counts.items())), dict(sorted(doubled.items()))


def requests_by_token(calls: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per token (``group``/``user``): HTTP requests made, by outcome (``ok``/``refused``/errors)."""
    found: dict[str, Counter[str]] = {}
    for call in calls:
        if call["execute"] is None:
            found.setdefault(call["token"], Counter())[call["outcome"]] += 1
    return {token: dict(sorted(c.items())) for token, c in sorted(found.items())}


def methods(calls: list[dict[str, Any]]) -> dict[str, int]:
    """Calls performed, by method (``users.get`` also counts the ids asked: ``users.get ids``)."""
    counts: Counter[str] = Counter()
    for call in performed(calls):
        counts[call["method"]] += 1
        if call["method"] == "users.get":
            counts["users.get ids"] += int(call.get("ids", 0))
    executes = sum(1 for c in calls if c["method"] == "execute" and c["outcome"] == "ok")
    if executes:
        counts["(execute requests)"] = executes
    return dict(sorted(counts.items()))


def busiest_second(calls: list[dict[str, Any]], token: str) -> int:
    """The most requests served on ``token`` within any one second (the fake logs each request at
    the moment its limit saw it, so this is what the limit counted)."""
    times = sorted(
        c["at"] for c in calls if c["execute"] is None and c["token"] == token and c["outcome"] != "refused"
    )
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def execute_fill(calls: list[dict[str, Any]]) -> dict[str, str]:
    """Per token: ``execute`` requests performed and the calls they carried, by method."""
    carried: dict[str, Counter[str]] = {}
    requests: Counter[str] = Counter()
    for call in calls:
        if call["method"] == "execute" and call["outcome"] == "ok":
            requests[call["token"]] += 1
        elif call["execute"] is not None:
            carried.setdefault(call["token"], Counter())[call["method"]] += 1
    found = {}
    for token, n in sorted(requests.items()):
        inside = carried.get(token, Counter())
        per = sum(inside.values()) / n
        found[token] = (
            f"{n} executes, {per:.1f} calls each ({', '.join(f'{m} {c}' for m, c in sorted(inside.items()))})"
        )
    return found
