"""What the fake platform's call log says about the service: actions performed twice, by kind.

A call counts as performed when the fake carried it out (answered ``ok``, or performed it and
answered late — a ``hang``); a 429 or 500 did nothing. Two identities:

* a message deleted, and a message sent, have one identity each: ``(chat, message)`` for a
  delete, ``(chat, text, reply)`` for a send (Dozor's notices and cards carry the case number,
  so two different notices never share a text) — a repeat is a double;
* a mute or a ban of the same user can legitimately repeat (a banned spammer who keeps posting
  is banned again by the next case), so for those the calls performed are compared with the
  outbox rows the service marked done: every call beyond one per row is a double.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

PERFORMED = ("ok", "hang")
KIND = {
    "deletemessage": "delete",
    "deletemessages": "delete",
    "sendmessage": "send",
    "restrictchatmember": "restrict",
    "banchatmember": "ban",
    "unbanchatmember": "unban",
}


def performed(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in calls if c["outcome"] in PERFORMED and c["method"].lower() in KIND]


def doubled_by_kind(calls: list[dict[str, Any]], done_rows: Mapping[str, int]) -> dict[str, int]:
    """Actions performed more than once, by outbox kind (0 for every kind seen)."""
    seen: Counter[tuple[Any, ...]] = Counter()
    per_kind: Counter[str] = Counter()
    doubled: Counter[str] = Counter()
    for call in performed(calls):
        method = call["method"].lower()
        kind = KIND[method]
        per_kind[kind] += 1
        if method == "deletemessage":
            seen[(kind, call["chat_id"], call["message_id"])] += 1
        elif method == "deletemessages":
            for message_id in call.get("message_ids", []):
                seen[(kind, call["chat_id"], message_id)] += 1
        elif method == "sendmessage":
            seen[(kind, call["chat_id"], call.get("text"), call.get("reply_to_message_id"))] += 1
    for key, n in seen.items():
        doubled[key[0]] += n - 1
    for kind in ("restrict", "ban", "unban"):
        if per_kind[kind]:
            doubled[kind] += max(0, per_kind[kind] - done_rows.get(kind, 0))
    return {kind: doubled.get(kind, 0) for kind in sorted(per_kind)}


def performed_by_kind(calls: list[dict[str, Any]]) -> dict[str, int]:
    """Actions performed, by kind: messages for deletes (deleteMessages removes several)."""
    counts: Counter[str] = Counter()
    for call in performed(calls):
        method = call["method"].lower()
        counts[KIND[method]] += len(call.get("message_ids", [])) if method == "deletemessages" else 1
    return dict(sorted(counts.items()))


def outcomes(calls: list[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(c["outcome"] for c in calls if c["method"].lower() in KIND).items()))
