"""End to end on the fake Bot API: the digest reaches the moderators' chat with its PNG chart."""

from __future__ import annotations

from models.db import Database
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.service import make_runner, settled, setup_community, wait_until

ADMIN = s.user(1, "Admin", "admin")
CAROL = s.user(3, "Carol", "carol")


async def test_the_digest_posts_a_chart(sqlite_database: Database, telegram: FakeTelegram) -> None:
    await setup_community(sqlite_database)
    telegram.set_member(s.GROUP, ADMIN["id"], "administrator")
    runner = make_runner(sqlite_database.url, telegram)
    await runner.start()
    try:
        for n in range(3):
            telegram.push_update(s.text_update(f"hello {n}", sender=CAROL))
        telegram.push_update(s.text_update("/digest weekly", chat=s.group(s.MODCHAT), sender=ADMIN))
        await wait_until(lambda: any("weekly" in m["text"] for m in telegram.calls("sendMessage")))
        await wait_until(lambda: settled(sqlite_database, runner))
        await wait_until(lambda: telegram.calls("sendDocument"), what="the first digest, at once")
        assert await runner.dozor.digest_due() == 0  # not again at the periodic job's turn
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    [doc] = telegram.calls("sendDocument")
    assert doc["chat_id"] == s.MODCHAT and doc["caption"].startswith("Messages per day")
    [png] = [v for v in doc.values() if isinstance(v, dict) and "content" in v]
    assert png["filename"].endswith(".png") and png["content"][:8] == b"\x89PNG\r\n\x1a\n"
    [text] = [m for m in telegram.calls("sendMessage") if m["text"].startswith("📈")]
    assert text["chat_id"] == s.MODCHAT and "• Messages: 3 (new)" in text["text"]
