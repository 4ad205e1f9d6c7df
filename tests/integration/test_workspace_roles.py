"""Who sees which community in the workspace: the buttons' own rules (``handlers/roles.py``),
asked with the platform the person signed in on — on both databases."""

from __future__ import annotations

from bot.simulated import SimulatedActions
from config.settings import ModerationSettings
from handlers import workspace
from handlers.context import Context
from models import communities, moderators
from models.db import Database
from models.web import Person
from moderation.engine import Engine
from moderation.ports import ChatRole

ADMIN = ChatRole(is_admin=True, can_delete=True, can_restrict=True)
DELETE_ONLY = ChatRole(is_admin=True, can_delete=True, can_restrict=False)


async def test_each_person_sees_the_communities_where_the_chat_gives_them_a_role(database: Database) -> None:
    telegram, vk = SimulatedActions(), SimulatedActions()
    ctx = Context(
        db=database,
        actions={"telegram": telegram, "vk": vk},
        engine=Engine(None),
        settings=ModerationSettings(),
    )
    async with database.transaction() as s:
        group = await communities.ensure(s, "telegram", "-100", title="TG group")
        shop = await communities.ensure(s, "vk", "200100", title="VK shop")
        # the VK community's team works in a Telegram chat
        await communities.update_fields(s, shop.id, modchat_id="-500", modchat_platform="telegram")
        await moderators.add(s, group.id, "21", name="Listed", can_restrict=False)
        shop = await communities.get(s, shop.id) or shop
    telegram.set_role("-100", "20", ADMIN)  # an admin of the Telegram group
    telegram.set_role("-500", "30", DELETE_ONLY)  # an admin of the VK shop's Telegram chat
    telegram.set_role("-500", "31", ChatRole())  # sits in that chat, no rights
    vk.set_role("200100", "30", ADMIN)  # a VK account with the same number: another person

    async def seen(person: Person) -> dict[str, bool]:
        return {p.community.title: p.admin for p in await workspace.places_for(ctx, person)}

    assert await seen(Person("telegram", "20", "Admin", (group.id,))) == {"TG group": True}
    assert await seen(Person("telegram", "21", "Listed")) == {"TG group": False}
    assert await seen(Person("telegram", "30", "Chat admin")) == {"VK shop": True}
    assert await seen(Person("telegram", "31", "Chat member")) == {}
    # a hint is a hint: a community the person has no role in stays out
    assert await seen(Person("telegram", "31", "Chat member", (group.id, shop.id))) == {}
    assert await seen(Person("vk", "30", "VK admin", (shop.id,))) == {"VK shop": True}

    # the rights are the buttons': the chat admin may delete but not ban; the listed moderator
    # of the group may delete but not mute
    chat_admin = Person("telegram", "30", "Chat admin")
    listed = Person("telegram", "21", "Listed")
    assert await workspace.roles.may_decide(
        ctx, shop, workspace.author(chat_admin), "delete", platform="telegram"
    )
    assert not await workspace.roles.may_decide(
        ctx, shop, workspace.author(chat_admin), "ban", platform="telegram"
    )
    assert not await workspace.roles.may_decide(
        ctx, group, workspace.author(listed), "mute", platform="telegram"
    )
