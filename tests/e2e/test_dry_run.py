"""``DOZOR_MODERATION_DRY_RUN=true``: the whole service decides and records, and acts on nothing.

The real runner with the real default classifier, on each platform against its fake server: a
spam offer that would be removed and its author banned, a complaint that would reach the
moderators and an admin's command that would be answered all leave the platform untouched — the
fake records no call that changes anything — while every decision is stored as a dry run.
"""

from __future__ import annotations

from pathlib import Path

from bot.runner import Runner
from bot.telegram.ratelimit import NoLimit
from bot.vk.adapter import VkAdapter
from config.settings import load_settings
from models.db import Database
from tests.e2e import tg_samples as tg
from tests.e2e import vk_samples as vks
from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.fake_vk import FakeVk
from tests.e2e.fake_vk_methods import CHAT_PEER
from tests.e2e.service import all_cases, free_port, settled, setup_community, wait_until
from tests.e2e.vk_service import setup_vk_community, vk_section

SPAM = "Заработок от 5000 в день без вложений, пиши в лс t.me/joinchat/xyz"
COMPLAINT = "Заказ не пришёл уже две недели, поддержка молчит. Верните деньги!"
# What Dozor may still ask a platform in a dry run: who it is, what arrives, who is who.
TELEGRAM_READS = {"getme", "getupdates", "getchatmember", "getchat", "deletewebhook", "getwebhookinfo"}
VK_READS = {
    "groups.getById",
    "groups.getLongPollServer",
    "groups.getMembers",
    "users.get",
    "messages.getConversationMembers",
    "a_check",
}


def _settings(db_url: str, tmp_path: Path, **platform: dict) -> object:
    return load_settings(
        database={"url": db_url},
        http={"host": "127.0.0.1", "port": free_port()},
        moderation={"language": "en", "dry_run": True, "model_dir": str(tmp_path / "models")},
        **platform,
    )


async def _recorded_as_dry_run(db: Database, runner: Runner, expected: int) -> list:
    async def decided() -> bool:
        return len(await all_cases(db)) >= expected

    await wait_until(decided, within=60, what=f"{expected} cases decided (the model loads first)")
    await wait_until(lambda: settled(db, runner), what="the inbox drained")
    cases = await all_cases(db)
    assert all(c.dry_run and c.status == "dry_run" for c in cases)
    return cases


async def test_a_telegram_dry_run_decides_everything_and_calls_nothing_that_acts(
    sqlite_database: Database, telegram: FakeTelegram, tmp_path: Path
) -> None:
    await setup_community(sqlite_database)
    settings = _settings(
        sqlite_database.url, tmp_path, telegram={"token": TOKEN, "api_server": telegram.base_url}
    )
    runner = Runner(settings, limiter=NoLimit(), poll_timeout=1)  # the real default classifier
    telegram.set_member(tg.GROUP, 7, "administrator", can_delete_messages=True, can_restrict_members=True)
    await runner.start()
    try:
        telegram.push_update(tg.text_update(SPAM, sender=tg.user(501, "Spammer", None)))
        telegram.push_update(tg.text_update(COMPLAINT, sender=tg.user(502, "Carol", None)))
        telegram.push_update(tg.text_update("/status", sender=tg.user(7, "Alice", None)))
        cases = await _recorded_as_dry_run(sqlite_database, runner, 2)
    finally:
        await runner.stop()
    by_text = {c.text: c for c in cases}
    assert by_text[SPAM].action == "ban" and by_text[COMPLAINT].action == "escalate"
    acting = {c.method for c in telegram.call_log() if c.method.lower() not in TELEGRAM_READS}
    assert not acting, f"a dry run called {sorted(acting)}"


async def test_a_vk_dry_run_decides_everything_and_calls_nothing_that_acts(
    sqlite_database: Database, vk: FakeVk, tmp_path: Path
) -> None:
    await setup_vk_community(sqlite_database)
    vk.managers = {vks.MODERATOR: "administrator"}
    vk.add_chat(CHAT_PEER, {vks.MODERATOR: True})
    section = vk_section(vk)
    settings = _settings(sqlite_database.url, tmp_path, vk=section)
    runner = Runner(settings, adapters=[VkAdapter(settings.vk, wait=1)], poll_timeout=1)
    await runner.start()
    try:
        await wait_until(lambda: vk.a_checks, what="the first a_check")
        vk.push_event(vks.wall_reply_new(SPAM, from_id=5_550_101, comment_id=7001))
        vk.push_event(vks.wall_reply_new(COMPLAINT, from_id=5_550_102, comment_id=7002))
        vk.push_event(vks.message_new("/status", from_id=vks.MODERATOR))
        cases = await _recorded_as_dry_run(sqlite_database, runner, 2)
    finally:
        await runner.stop()
    by_comment = {c.message_id: c for c in cases}
    assert by_comment["7001"].action in {"ban", "warn", "delete"} and by_comment["7002"].action == "escalate"
    acting = {c.method for c in vk.call_log()} - VK_READS
    assert not acting, f"a dry run called {sorted(acting)}"
