"""A running service switches to a newly trained model version without a restart."""

from __future__ import annotations

from pathlib import Path

from bot.runner import Runner
from config import load_settings
from models import communities
from models.db import Database
from moderation.classifier import save, train
from tests.e2e import tg_samples as s
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.service import NoLimit, all_cases, free_port, settled, wait_until

SPAMMER = s.user(66, "Spammer", None)
NEW_GENRE = "zqxj vouchers for everyone, zqxj"


async def _cases_count(db: Database, n: int) -> bool:
    return len(await all_cases(db)) == n


def tiny_model(tmp_path: Path) -> str:
    """A model that knows one made-up spam genre the shipped model has never seen."""
    spam = [(f"zqxj vouchers {i}, zqxj deal number {i}", "spam") for i in range(40)]
    ham = [(f"hello friends, meeting number {i} is on friday", "ham") for i in range(40)]
    model, _ = train(spam + ham, include_seed=False, holdout=0, heads=("spam",), example_weight=1.0)
    save(model, tmp_path / "models")
    return model.version


async def test_new_model_version_is_used_without_restart(
    sqlite_database: Database, telegram: FakeTelegram, tmp_path: Path
) -> None:
    async with sqlite_database.transaction() as session:
        await communities.ensure(session, "telegram", str(s.GROUP), title="Test group", language="en")
    settings = load_settings(
        database={"url": sqlite_database.url},
        telegram={
            "token": telegram.token,
            "api_server": telegram.base_url,
        },
        http={"host": "127.0.0.1", "port": free_port()},
        moderation={"language": "en", "model_dir": str(tmp_path / "models")},
    )
    runner = Runner(settings, limiter=NoLimit(), poll_timeout=1, reload_every=0.1)
    await runner.start()
    try:
        assert runner.scorer is not None
        shipped = runner.scorer.version
        telegram.push_update(s.text_update(NEW_GENRE, sender=SPAMMER, message_id=1001))
        await wait_until(lambda: _cases_count(sqlite_database, 1))
        await wait_until(lambda: settled(sqlite_database, runner))
        assert telegram.calls("deleteMessage") == []

        version = tiny_model(tmp_path)
        await wait_until(lambda: runner.scorer.version == version)
        assert version != shipped
        telegram.push_update(s.text_update(NEW_GENRE, sender=SPAMMER, message_id=1002))
        await wait_until(lambda: telegram.calls("deleteMessage"))
        await wait_until(lambda: settled(sqlite_database, runner))
    finally:
        await runner.stop()
    assert [c["message_id"] for c in telegram.calls("deleteMessage")] == [1002]
    cases = await all_cases(sqlite_database)
    assert [(c.message_id, c.action) for c in cases] == [("1001", "allow"), ("1002", "warn")]
