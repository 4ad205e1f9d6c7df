"""Settings: defaults that need no setup, clear errors, secrets that never print."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets, secrets_of
from config import load_settings
from moderation.errors import ConfigError

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    import os

    for key in list(os.environ):
        if key.startswith("DOZOR_"):
            monkeypatch.delenv(key)


def test_defaults_need_no_setup() -> None:
    s = load_settings()
    assert s.database.url == "sqlite+aiosqlite:///./dozor.sqlite3"
    assert s.telegram.token is None and s.moderation.spam_threshold is None  # the built-in policy decides


def test_dotenv_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("DOZOR_MODERATION_LANGUAGE=en\nDOZOR_LOG_LEVEL=DEBUG\n")
    s = load_settings()
    assert s.moderation.language == "en" and s.log.level == "DEBUG"


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("DOZOR_TELEGRAM_TOKEN", "your-token-here", "DOZOR_TELEGRAM_TOKEN: looks like a placeholder"),
        ("DOZOR_TELEGRAM_TOKEN", "<token>", "DOZOR_TELEGRAM_TOKEN: looks like a placeholder"),
        ("DOZOR_TELEGRAM_TOKEN", "12345", "DOZOR_TELEGRAM_TOKEN: is not a bot token; BotFather gives"),
        ("DOZOR_TELEGRAM_WEBHOOK_SECRET", "short", "DOZOR_TELEGRAM_WEBHOOK_SECRET: must be 16-256"),
        ("DOZOR_DB_URL", "mysql://localhost/x", "DOZOR_DB_URL: must start with sqlite+aiosqlite://"),
        ("DOZOR_MODERATION_SPAM_THRESHOLD", "1.5", "DOZOR_MODERATION_SPAM_THRESHOLD"),
        ("DOZOR_MODERATION_LANGUAGE", "de", "DOZOR_MODERATION_LANGUAGE"),
        ("DOZOR_VK_GROUP_TOKEN", "changeme", "DOZOR_VK_GROUP_TOKEN: looks like a placeholder"),
        ("DOZOR_HTTP_PORT", "99999", "DOZOR_HTTP_PORT"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "needs DOZOR_TELEGRAM_WEBHOOK_URL, a public https:// URL"),
        ({"DOZOR_TELEGRAM_WEBHOOK_URL": "http://x.org/hook"}, "needs DOZOR_TELEGRAM_WEBHOOK_URL"),
        ({"DOZOR_TELEGRAM_WEBHOOK_URL": "https://x.org/hook"}, "needs DOZOR_TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_webhook_mode_needs_url_and_secret(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setenv("DOZOR_TELEGRAM_MODE", "webhook")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=expected):
        load_settings()


def test_a_self_hosted_bot_api_may_post_over_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_TELEGRAM_MODE", "webhook")
    monkeypatch.setenv("DOZOR_TELEGRAM_API_SERVER", "http://127.0.0.1:8081")
    monkeypatch.setenv("DOZOR_TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:8080/hook")
    monkeypatch.setenv("DOZOR_TELEGRAM_WEBHOOK_SECRET", "s" * 32)
    assert load_settings().telegram.webhook_url == "http://127.0.0.1:8080/hook"


def test_webhook_mode_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_TELEGRAM_MODE", "webhook")
    monkeypatch.setenv("DOZOR_TELEGRAM_WEBHOOK_URL", "https://dozor.example.org/telegram/webhook")
    monkeypatch.setenv("DOZOR_TELEGRAM_WEBHOOK_SECRET", "s" * 32)
    assert load_settings().telegram.webhook_url == "https://dozor.example.org/telegram/webhook"


def test_token_never_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_TELEGRAM_TOKEN", TOKEN)
    s = load_settings()
    assert s.telegram.token is not None and s.telegram.token.get_secret_value() == TOKEN
    assert TOKEN not in repr(s.telegram) and TOKEN not in str(s.telegram.model_dump())


def test_log_records_are_scrubbed_of_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOZOR_TELEGRAM_TOKEN", TOKEN)
    scrubber = RedactSecrets(secrets_of(load_settings()))
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "POST /bot%s/getMe failed", (TOKEN,), None)
    scrubber.filter(record)
    assert TOKEN not in record.getMessage() and TOKEN.split(":")[1] not in record.getMessage()
    assert "***" in record.getMessage()
