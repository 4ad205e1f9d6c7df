"""``/giveaway``: a fair, reproducible draw among active members, published and kept.

Candidates are the members with at least ``min`` messages that stayed up in the period
(``handlers.activity``), optionally only comments under one post and only members first seen
before a date; anyone warned, or with a message removed, in the period is out. The draw::

    candidates  = sorted user ids
    fingerprint = sha256("\\n".join(candidates)).hexdigest()[:16]
    winners     = random.Random(f"{seed}:{fingerprint}").sample(candidates, n)

The seed and the fingerprint are published with the result; ``/giveaway proof N`` sends the
candidate list, so anyone can recompute the fingerprint and the winners.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from handlers import bounds
from handlers.activity import REMOVALS, compute
from handlers.i18n import plural
from handlers.invocation import Invocation
from models import cases, giveaways, members, warnings
from models.giveaways import GiveawayRecord

USAGE = "/giveaway [winners=1] [days=7] [min=1] [post=ID] [joined_before=YYYY-MM-DD] · /giveaway proof N"
MAX_WINNERS = 100


@dataclass(frozen=True, slots=True)
class Conditions:
    winners: int = 1
    days: int = 7
    min_messages: int = 1
    post: str | None = None
    joined_before: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "winners": self.winners,
            "days": self.days,
            "min": self.min_messages,
            "post": self.post,
            "joined_before": self.joined_before.date().isoformat() if self.joined_before else None,
        }


def parse(args: str) -> Conditions | None:
    """``winners=3 days=7 min=5 post=123 joined_before=2026-11-01`` (a bare number is winners)."""
    values: dict[str, Any] = {}
    for word in args.split():
        key, eq, value = word.partition("=")
        if not eq and key.isdigit():
            key, value = "winners", key
        key = key.lower()
        try:
            if key in ("winners", "days", "min"):
                number = bounds.number(value, 1, MAX_WINNERS if key == "winners" else 3650)
                if number is None:
                    return None
                values[{"min": "min_messages"}.get(key, key)] = number
            elif key == "post" and value:
                values["post"] = value
            elif key == "joined_before":
                values["joined_before"] = datetime.fromisoformat(value).replace(tzinfo=UTC)
            else:
                return None
        except ValueError:
            return None
    return Conditions(**values)


def fingerprint(candidates: list[str]) -> str:
    return hashlib.sha256("\n".join(candidates).encode()).hexdigest()[:16]


def draw(candidates: list[str], seed: str, n: int) -> list[str]:
    """The winners: reproducible from the seed and the sorted candidate list alone."""
    ordered = sorted(candidates)
    return random.Random(f"{seed}:{fingerprint(ordered)}").sample(ordered, min(n, len(ordered)))


async def giveaway_cmd(inv: Invocation) -> None:
    words = inv.words()
    if words[:1] == ["proof"]:
        await _proof(inv, words[1:])
        return
    conditions = parse(inv.args)
    if conditions is None:
        await inv.answer_key("usage", usage=USAGE)
        return
    now = inv.ctx.now()
    since = now - timedelta(days=conditions.days)
    async with inv.ctx.db.transaction() as session:
        active = await compute(
            session,
            inv.community.id,
            since,
            bot_user_id=inv.ctx.bot_id(inv.community.platform),
            post=conditions.post,
        )
        out = await _excluded(session, inv.community.id, since)
        names = {a.user_id: a.name for a in active}
        eligible = [
            a.user_id for a in active if a.messages >= conditions.min_messages and a.user_id not in out
        ]
        if conditions.joined_before is not None:
            eligible = [
                u for u in eligible if await _joined_before(session, inv, u, conditions.joined_before)
            ]
        if not eligible:
            await inv.answer_in(session, inv.t("giveaway_nobody"))
            inv.ctx.poke()
            return
        seed = secrets.token_hex(8)
        candidates = sorted(eligible)
        winners = draw(candidates, seed, conditions.winners)
        record = await giveaways.create(
            session,
            community_id=inv.community.id,
            created_by=inv.cmd.author.id,
            conditions=conditions.to_dict(),
            seed=seed,
            fingerprint=fingerprint(candidates),
            candidates=candidates,
            winners=winners,
            created_at=now,
        )
        await inv.answer_in(session, _result(inv, record, [names[w] for w in winners]))
    inv.ctx.poke()


async def _excluded(session: Any, community_id: int, since: datetime) -> set[str]:
    """Anyone warned, or with a message removed (not overturned), in the period."""
    rows = await cases.query(session, community_id=community_id, since=since, action=REMOVALS)
    out = {c.author_id for c in rows if c.status != "overturned" and not c.dry_run}
    return out | await warnings.warned_since(session, community_id, since)


async def _joined_before(session: Any, inv: Invocation, user_id: str, when: datetime) -> bool:
    member = await members.get(session, inv.community.id, user_id)
    return member is not None and member.first_seen < when


def _result(inv: Invocation, record: GiveawayRecord, winner_names: list[str]) -> str:
    lang = inv.lang
    c = record.conditions
    return inv.t(
        "giveaway_result",
        id=record.id,
        winners=plural(lang, len(record.winners), "winner"),
        candidates=plural(lang, len(record.candidates), "member"),
        days=plural(lang, c["days"], "day"),
        names="\n".join(f"🏆 {n}" for n in winner_names),
        seed=record.seed,
        fingerprint=record.fingerprint,
    )


async def _proof(inv: Invocation, words: list[str]) -> None:
    """``/giveaway proof N``: the candidate list, seed and the code that recomputes the draw."""
    async with inv.ctx.db.transaction() as session:
        giveaway_id = bounds.row_id(words[0]) if words else None
        record = await giveaways.get(session, giveaway_id) if giveaway_id is not None else None
        if record is None or record.community_id != inv.community.id:
            await inv.answer_in(session, inv.t("giveaway_missing"))
            inv.ctx.poke()
            return
        lines = [
            f"giveaway #{record.id} at {record.created_at:%Y-%m-%d %H:%M} UTC",
            f"conditions: {record.conditions}",
            f"seed: {record.seed}",
            f"fingerprint: {record.fingerprint}",
            f"winners: {', '.join(record.winners)}",
            "",
            "import hashlib, random",
            f"candidates = {record.candidates!r}",
            "fingerprint = hashlib.sha256('\\n'.join(candidates).encode()).hexdigest()[:16]",
            f"print(fingerprint, random.Random('{record.seed}:' + fingerprint)"
            f".sample(candidates, {len(record.winners)}))",
        ]
        proof = "\n".join(lines).encode()
        caption = inv.t("giveaway_proof", id=record.id)
        # the proof is meant to be public
        await inv.send_file_in(session, f"giveaway-{record.id}.txt", proof, caption, confidential=False)
    inv.ctx.poke()
