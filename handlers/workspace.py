"""The moderators' web workspace, platform-neutral: who sees which community, the queue across
communities, a case with everything about it, and acting on it.

A person is an account on the platform where they signed in. They see the communities where
the moderators' chat gives them a role, with the same rights as there: the checks are
``handlers.roles`` — the ones a card's buttons and the chat commands use — asked with the
platform the person signed in on. Acting goes through the card's own use cases
(``decisions.decide``, ``answers.post_answer``), so the outbox, the records and the card in the
chat change exactly as after a press or a reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handlers import answers, decisions, roles
from handlers.commands import COMMANDS
from handlers.context import Context
from models import answers as saved_answers
from models import cases, communities, escalations, workspace
from models.answers import SavedAnswerRecord
from models.cases import CaseRecord
from models.communities import CommunityRecord
from models.escalations import EscalationRecord
from models.outbox import OutboxRecord
from models.web import Person
from moderation.events import Author

HISTORY = 10
CHOICES = ("delete", "ban", "mute", "approve", "spam")


@dataclass(frozen=True, slots=True)
class Place:
    """A community the person sees, and whether they are its admin (rules, settings, export)."""

    community: CommunityRecord
    admin: bool


@dataclass(frozen=True, slots=True)
class Item:
    """One open item of the queue."""

    community: CommunityRecord
    escalation: EscalationRecord
    case: CaseRecord
    waited_minutes: float


@dataclass
class CaseView:
    """A case with what surrounds it."""

    case: CaseRecord
    escalations: list[EscalationRecord]
    follow_ups: list[CaseRecord]  # moderators' decisions and answers about it
    actions: list[OutboxRecord]  # what was done on the platform, for it and its follow-ups
    history: list[CaseRecord]  # the author's recent cases in the community
    saved: list[SavedAnswerRecord] = field(default_factory=list)

    @property
    def open_escalation(self) -> EscalationRecord | None:
        return next((e for e in self.escalations if e.status in escalations.UNDECIDED), None)


def author(person: Person) -> Author:
    return Author(id=person.user_id, name=person.name)


def level_of(command: str) -> str:
    """Who may use a page as the chat command that does the same: "anyone", "moderator", "admin"."""
    return COMMANDS[command][1]


async def places_for(ctx: Context, person: Person) -> list[Place]:
    """Every community where ``person`` has a role, checked as the chat checks it."""
    async with ctx.db.transaction() as session:
        found = await workspace.candidates(session, person.platform, person.user_id, person.hints)
    who = author(person)
    places = []
    for community in found:
        if await roles.is_moderator(ctx, community, who, platform=person.platform):
            admin = await roles.is_admin(ctx, community, who, platform=person.platform)
            places.append(Place(community, admin))
    return places


async def queue(ctx: Context, places: list[Place]) -> list[Item]:
    """Open complaints, reports and appeals of these communities, oldest first."""
    by_id = {p.community.id: p.community for p in places}
    now = ctx.now()
    async with ctx.db.transaction() as session:
        rows = await workspace.queue(session, by_id)
    return [
        Item(by_id[r.escalation.community_id], r.escalation, r.case, _minutes(now, r.escalation.created_at))
        for r in rows
    ]


def _minutes(now: datetime, then: datetime) -> float:
    return max(0.0, (now - then).total_seconds() / 60)


async def case_view(ctx: Context, community: CommunityRecord, case_id: int) -> CaseView | None:
    """A case of this community (None for another community's: no peeking by URL)."""
    async with ctx.db.transaction() as session:
        case = await cases.get(session, case_id)
        if case is None or case.community_id != community.id:
            return None
        found = await workspace.escalations_of(session, case.id)
        follow = await workspace.follow_ups(session, community.id, case)
        actions = await workspace.actions_of(session, [case.id, *(c.id for c in follow)])
        history = await cases.query(
            session, community_id=community.id, author_id=case.author_id, newest_first=True, limit=HISTORY
        )
        saved = await saved_answers.list_for(session, community.id)
    return CaseView(case, found, follow, actions, history, saved)


async def escalation(ctx: Context, community: CommunityRecord, escalation_id: int) -> EscalationRecord | None:
    """An escalation of this community (None for another community's: no acting on it by URL)."""
    async with ctx.db.transaction() as session:
        esc = await escalations.get(session, escalation_id)
    return esc if esc is not None and esc.community_id == community.id else None


async def decide(
    ctx: Context, community: CommunityRecord, person: Person, escalation_id: int, choice: str
) -> tuple[str, EscalationRecord | None]:
    """A decision from the page, as a press on the card would take it.

    Returns:
        ("done" | "taken" | "forbidden" | "unknown", the escalation as it stands).
    """
    esc = await escalation(ctx, community, escalation_id)
    if esc is None or choice not in CHOICES:
        return "unknown", None
    who = author(person)
    if not await roles.may_decide(ctx, community, who, choice, platform=person.platform):
        return "forbidden", esc
    won, current = await decisions.decide(ctx, community, esc.id, choice, who.id, who.name or who.id)
    return ("done" if won else "taken"), current


async def answer(
    ctx: Context,
    community: CommunityRecord,
    person: Person,
    escalation_id: int,
    text: str = "",
    saved_id: int | None = None,
) -> str:
    """An answer from the page, posted as a reply to the card would be (or a saved answer, as its
    card button). Returns "done", "taken" (a saved answer someone beat), "forbidden", "empty" or
    "unknown"."""
    esc = await escalation(ctx, community, escalation_id)
    if esc is None:
        return "unknown"
    who = author(person)
    if not await roles.may_decide(ctx, community, who, "answer", platform=person.platform):
        return "forbidden"
    if saved_id is not None:
        async with ctx.db.transaction() as session:
            saved = await saved_answers.by_id(session, saved_id)
        if saved is None or saved.community_id != community.id:
            return "unknown"
        posted = await answers.post_answer(
            ctx, community, esc, saved.text, who, key=None, saved=saved.name, only_first=True
        )
        return "done" if posted else "taken"
    if not text.strip():
        return "empty"
    await answers.post_answer(ctx, community, esc, text.strip(), who, key=None)
    return "done"


async def may(ctx: Context, place: Place, person: Person, command: str) -> bool:
    """Whether ``person`` may use what chat command ``command`` does, in ``place``'s community."""
    level = level_of(command)
    if level == "admin":
        return place.admin
    if level == "moderator":
        return await roles.is_moderator(ctx, place.community, author(person), platform=person.platform)
    return True


async def refresh(ctx: Context, community_id: int) -> CommunityRecord | None:
    async with ctx.db.transaction() as session:
        return await communities.get(session, community_id)
