"""The real service with the workspace switched on, against the fake Bot API.

Two Telegram groups, each with its own moderators' chat: ``ANNA`` is an admin of group A only,
``BORIS`` of group B only. ``complain`` posts a complaint (the test rule escalates "refund"),
``sign`` makes Mini App ``initData`` exactly as Telegram signs it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from bot.runner import Runner
from bot.telegram.ratelimit import NoLimit
from config.settings import load_settings
from models import communities, rules
from models.db import Database
from models.tables import Case, Escalation
from moderation.engine import Engine
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.service import free_port, settled, wait_until

GROUP_A, MODCHAT_A = -1001000000001, -1001000000011
GROUP_B, MODCHAT_B = -1001000000002, -1001000000022
ANNA = {**s.user(71, "Anna", "anna"), "language_code": "en"}  # admin of group A
BORIS = s.user(72, "Boris", "boris")  # admin of group B
CAROL = s.user(73, "Carol", "carol")  # a subscriber
APP = "workspace"
RULES = {
    "complaint": "name: complaint\nbody: [refund]\naction: escalate\n",
    "casino": "name: casino\nbody: [casino]\naction: delete\nreason: casino spam\n",
}


def sign(user: dict[str, Any], *, token: str = TOKEN, auth_date: int | None = None, start: str = "") -> str:
    """``initData`` as Telegram builds it for a Mini App opened by ``user``."""
    fields = {
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            {k: v for k, v in user.items() if k in ("id", "first_name", "username", "language_code")}
        ),
    }
    if start:
        fields["start_param"] = start
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def make_runner(db_url: str, telegram: FakeTelegram, *, web: bool = True) -> Runner:
    port = free_port()
    settings = load_settings(
        database={"url": db_url},
        http={"host": "127.0.0.1", "port": port},
        telegram={"token": TOKEN, "api_server": telegram.base_url},
        moderation={"language": "en"},
        web={"url": f"http://127.0.0.1:{port}/web", "telegram_app": APP} if web else {},
    )
    return Runner(settings, engine=Engine(None), limiter=NoLimit(), poll_timeout=1, remind_every=3600)


async def setup(db: Database, telegram: FakeTelegram) -> dict[str, int]:
    """Both groups with their rules and moderators' chats; their community ids by letter."""
    ids = {}
    async with db.transaction() as session:
        for letter, group, modchat in (("A", GROUP_A, MODCHAT_A), ("B", GROUP_B, MODCHAT_B)):
            c = await communities.ensure(
                session, "telegram", str(group), title=f"Shop {letter}", language="en"
            )
            await communities.update_fields(session, c.id, modchat_id=str(modchat))
            for name, source in RULES.items():
                await rules.put(session, c.id, name, source)
            ids[letter] = c.id
    rights = {"can_delete_messages": True, "can_restrict_members": True}
    telegram.set_member(GROUP_A, ANNA["id"], "administrator", **rights)
    telegram.set_member(GROUP_B, BORIS["id"], "administrator", **rights)
    for who, chat in ((ANNA, MODCHAT_A), (BORIS, MODCHAT_B)):
        telegram.set_member(chat, who["id"], "administrator", **rights)
    return ids


async def complain(
    db: Database, runner: Runner, telegram: FakeTelegram, group: int, text: str, *, message_id: int
) -> Escalation:
    """A subscriber complains in ``group``; returns the escalation once its card is out."""
    telegram.push_update(s.text_update(text, sender=CAROL, chat=s.group(group), message_id=message_id))

    async def opened() -> Escalation | None:
        async with db.transaction() as session:
            stmt = (
                select(Escalation)
                .join(Case, Case.id == Escalation.case_id)
                .where(Case.message_id == str(message_id), Escalation.card_message_id.is_not(None))
            )
            return (await session.scalars(stmt)).first()

    await wait_until(opened, what=f"the card of {text!r}")
    esc = await opened()
    assert esc is not None
    await wait_until(lambda: settled(db, runner), what="the service settled")
    return esc
