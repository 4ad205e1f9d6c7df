"""Communities and their settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import to_record
from models.tables import Community
from models.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class CommunityRecord:
    id: int
    platform: str
    platform_id: str
    title: str
    language: str
    settings: dict[str, Any]
    dry_run: bool
    modchat_id: str | None
    modchat_platform: str | None
    modchat_via: str | None
    created_at: datetime

    @property
    def modchat_on(self) -> str:
        """The platform of the moderators' chat (the community's own unless linked elsewhere)."""
        return self.modchat_platform or self.platform

    def place(self, chat_id: str) -> tuple[str, str]:
        """The platform of one of the community's chats, and the platform community whose
        connection reaches it (``via``): the moderators' chat may be elsewhere (a VK community whose
        team works in Telegram, or a Telegram group's team in a VK community's chat); every other
        chat is the community's own."""
        if self.modchat_id is not None and chat_id == self.modchat_id:
            return self.modchat_on, self.modchat_via or self.platform_id
        return self.platform, self.platform_id


def _record(row: object) -> CommunityRecord:
    return to_record(CommunityRecord, row)


async def ensure(
    session: AsyncSession, platform: str, platform_id: str, *, title: str = "", language: str = "ru"
) -> CommunityRecord:
    """The community with this platform id, created on first sight (safe under concurrency)."""
    row = await _find_row(session, platform, platform_id)
    if row is None:
        await _insert(session, platform, platform_id, title, language)
        row = await _find_row(session, platform, platform_id)
        assert row is not None  # just inserted or already there
    if title and row.title != title:
        row.title = title
    return _record(row)


async def _find_row(session: AsyncSession, platform: str, platform_id: str) -> Community | None:
    stmt = select(Community).where(Community.platform == platform, Community.platform_id == platform_id)
    return (await session.scalars(stmt)).one_or_none()


async def _insert(session: AsyncSession, platform: str, platform_id: str, title: str, language: str) -> None:
    await session.execute(
        insert_ignore(session, Community, ["platform", "platform_id"]).values(
            platform=platform,
            platform_id=platform_id,
            title=title,
            language=language,
            settings={},
            dry_run=False,
        )
    )


async def get(session: AsyncSession, community_id: int) -> CommunityRecord | None:
    row = await session.get(Community, community_id)
    return _record(row) if row else None


async def find(session: AsyncSession, platform: str, platform_id: str) -> CommunityRecord | None:
    row = (
        await session.scalars(
            select(Community).where(Community.platform == platform, Community.platform_id == platform_id)
        )
    ).one_or_none()
    return _record(row) if row else None


async def by_modchat(session: AsyncSession, platform: str, modchat_id: str) -> list[CommunityRecord]:
    """Communities whose moderators' chat is this chat of ``platform`` (which may be another
    platform than theirs)."""
    rows = await session.scalars(select(Community).where(Community.modchat_id == modchat_id))
    return [r for r in (_record(row) for row in rows.all()) if r.modchat_on == platform]


async def list_all(session: AsyncSession, platform: str | None = None) -> list[CommunityRecord]:
    stmt = select(Community).order_by(Community.id)
    if platform:
        stmt = stmt.where(Community.platform == platform)
    return [_record(r) for r in (await session.scalars(stmt)).all()]


async def update_fields(session: AsyncSession, community_id: int, **fields: Any) -> None:
    """Change columns: ``title``, ``language``, ``settings``, ``dry_run``, ``modchat_id``,
    ``modchat_platform``, ``modchat_via``."""
    allowed = {"title", "language", "settings", "dry_run", "modchat_id", "modchat_platform", "modchat_via"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not community fields: {sorted(unknown)}")
    await session.execute(update(Community).where(Community.id == community_id).values(**fields))
