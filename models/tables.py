"""Every table of the product. Repository modules beside this one read and write them.

Ids that come from platforms are strings (Telegram and VK ids are integers, but VK comments
need an owner id as well, and strings keep one column type for every platform).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, utcnow

PlatformStr = String(16)
PlatformId = String(64)


class Community(Base):
    """A Telegram group or VK community that Dozor moderates."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "platform_id"), Index(None, "modchat_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(PlatformStr)
    platform_id: Mapped[str] = mapped_column(PlatformId)
    title: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)  # Policy.to_mapping() and switches
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    modchat_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    # The moderators' chat may live on another platform (a VK community coordinated in Telegram);
    # None: the community's own platform.
    modchat_platform: Mapped[str | None] = mapped_column(PlatformStr, default=None)
    # Which of that platform's communities the moderators' chat belongs to, where chats are the
    # community's own (a VK chat is reached with its community's token); None: this community.
    modchat_via: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Member(Base):
    """A person as one community knows them."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PlatformId)
    name: Mapped[str] = mapped_column(String(255), default="")
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)  # cached from the platform
    admin_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    restricted_until: Mapped[datetime | None] = mapped_column(default=None)
    banned: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)  # never among /top or giveaway winners


class MemberWarning(Base):
    """One warning; it counts toward the ladder until it expires."""

    __tablename__ = "warnings"
    __table_args__ = (Index(None, "community_id", "user_id", "expires_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PlatformId)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), default=None)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Moderator(Base):
    """Someone allowed to decide escalations of a community besides its verified admins."""

    __tablename__ = "moderators"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PlatformId)
    name: Mapped[str] = mapped_column(String(255), default="")
    can_delete: Mapped[bool] = mapped_column(Boolean, default=True)
    can_restrict: Mapped[bool] = mapped_column(Boolean, default=True)  # mute and ban
    added_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxItem(Base):
    """A raw platform event, stored before the platform is acknowledged."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("platform", "event_key"),
        Index(None, "status", "received_at"),
        Index(None, "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(PlatformStr)
    event_key: Mapped[str] = mapped_column(String(128))  # Telegram update_id, VK event_id
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/processed/failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
    # A worker's lease: another process (or this one after a crash) takes the row once it passes.
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)


class Case(Base):
    """One moderation decision: the history Dozor keeps and explains."""

    __tablename__ = "cases"
    __table_args__ = (
        Index(None, "community_id", "created_at"),
        Index(None, "community_id", "author_id"),
        Index(None, "community_id", "action"),
        Index(None, "community_id", "event_key"),
        Index(None, "community_id", "chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(PlatformStr)
    kind: Mapped[str] = mapped_column(String(32), default="")  # EventKind, or "manual"
    event_key: Mapped[str | None] = mapped_column(String(128), default=None)
    chat_id: Mapped[str] = mapped_column(PlatformId)
    message_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    thread_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[str] = mapped_column(PlatformId)
    author_name: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str | None] = mapped_column(Text, default=None)  # None once purged by retention
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # fired rules/scores with details
    shadow: Mapped[list[Any]] = mapped_column(default=list)  # shadow-mode rules that would have fired
    action: Mapped[str] = mapped_column(String(16))
    duration_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    actor: Mapped[str] = mapped_column(String(64), default="dozor")  # "dozor" or a moderator's user id
    actor_name: Mapped[str] = mapped_column(String(255), default="Dozor")
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="auto")  # auto/manual/report/appeal
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # pending → executed | failed | dry_run; later overturned | appealed | upheld
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxItem(Base):
    """A platform action planned in the same transaction as its case, run by the executor."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "status", "kind", "next_attempt_at"),  # deletes claimed before the rest
        Index(None, "status", "expires_at"),
        Index(None, "case_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), default=None
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), default=None)
    platform: Mapped[str] = mapped_column(PlatformStr)
    # The platform community whose connection carries it (on VK each community has its own
    # token); None: the platform's only connection (Telegram's bot serves every group).
    via: Mapped[str | None] = mapped_column(PlatformId, default=None)
    kind: Mapped[str] = mapped_column(String(32))  # delete, restrict, ban, send, edit, ...
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/done/failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set while a worker performs the row: still set at the next claim means the previous worker
    # died mid-call and the platform may already have done it (see bot/executor.py).
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    # A message worth sending only until then (a notice about a removal): dropped when not sent.
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(default=None)


class Rule(Base):
    """One admin-written rule, stored as its YAML source; a new version replaces the old row."""

    __tablename__ = "rules"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16), default="enforce")  # enforce/shadow
    version: Mapped[int] = mapped_column(Integer, default=1)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AutoReply(Base):
    """A keyword/FAQ trigger and its answer."""

    __tablename__ = "auto_replies"
    __table_args__ = (UniqueConstraint("community_id", "trigger"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(255))
    answer: Mapped[str] = mapped_column(Text)
    cooldown_seconds: Mapped[int] = mapped_column(Integer, default=300)
    last_fired: Mapped[dict[str, Any]] = mapped_column(default=dict)  # chat id → ISO time
    created_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Escalation(Base):
    """A case put in front of the moderators, with the card they decide on."""

    __tablename__ = "escalations"
    __table_args__ = (Index(None, "community_id", "status"), Index(None, "case_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="auto")  # auto/report/appeal
    modchat_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    card_message_id: Mapped[str | None] = mapped_column(PlatformId, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open/claimed/resolved
    requested_by: Mapped[str | None] = mapped_column(PlatformId, default=None)  # reporter/appellant
    decided_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    decided_by_name: Mapped[str | None] = mapped_column(String(255), default=None)
    resolution: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    # the first answer posted in the community from the card (status becomes "answered")
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    answered_by_name: Mapped[str | None] = mapped_column(String(255), default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)  # the admins were told


class LabelledExample(Base):
    """A labelled text for training: moderator decisions, imports, seed rows."""

    __tablename__ = "labelled_examples"
    __table_args__ = (Index(None, "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))  # spam/ham, toxic/ok, negative/neutral
    source: Mapped[str] = mapped_column(String(16))  # moderator/import/seed
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), default=None
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), default=None)
    created_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ServiceState(Base):
    """Small durable key/value state, e.g. the VK long-poll ``ts``."""

    __tablename__ = "service_state"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedAnswer(Base):
    """A moderator's ready answer (``/answers add NAME -> text``); quick ones are card buttons."""

    __tablename__ = "saved_answers"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    quick: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberEvent(Base):
    """A member joining or leaving (for the owner's report and the raid signal)."""

    __tablename__ = "member_events"
    __table_args__ = (Index(None, "community_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PlatformId)
    kind: Mapped[str] = mapped_column(String(16))  # joined/left
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Giveaway(Base):
    """One published draw: its conditions, seed, the candidates' fingerprint and the winners."""

    __tablename__ = "giveaways"
    __table_args__ = (Index(None, "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    created_by: Mapped[str | None] = mapped_column(PlatformId, default=None)
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[list[Any]] = mapped_column(default=list)  # user ids, sorted
    winners: Mapped[list[Any]] = mapped_column(default=list)  # user ids, in draw order
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JoinCheck(Base):
    """A newcomer restricted until they press the button of the check message, or removed."""

    __tablename__ = "join_checks"
    __table_args__ = (UniqueConstraint("community_id", "user_id"), Index(None, "status", "deadline"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(PlatformId)
    name: Mapped[str] = mapped_column(String(255), default="")
    message_id: Mapped[str | None] = mapped_column(PlatformId, default=None)  # the check message
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/passed/removed
    deadline: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Coordination(Base):
    """What the processes sharing this database agree on, one row per name: who holds a lease
    (``holder`` until ``until``: e.g. who polls a VK community), or when a shared request budget
    next has room (``next_at``: e.g. a VK token's requests per second)."""

    __tablename__ = "coordination"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), default=None)
    until: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds
    next_at: Mapped[float] = mapped_column(Float, default=0.0)  # epoch seconds


class WebLink(Base):
    """A one-time sign-in link of the web workspace (``/web``); only the token's hash is kept."""

    __tablename__ = "web_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(PlatformStr)  # where the person proved who they are
    user_id: Mapped[str] = mapped_column(PlatformId)
    name: Mapped[str] = mapped_column(String(255), default="")
    hints: Mapped[list[Any]] = mapped_column(default=list)  # communities of the chat it was asked in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class WebSession(Base):
    """A signed-in person of the web workspace; the cookie holds the token, this row its hash."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index(None, "expires_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(PlatformStr)
    user_id: Mapped[str] = mapped_column(PlatformId)
    name: Mapped[str] = mapped_column(String(255), default="")
    hints: Mapped[list[Any]] = mapped_column(default=list)
    csrf: Mapped[str] = mapped_column(String(64))  # the token every form of this session carries
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
