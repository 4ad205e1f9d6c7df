"""Logging set-up. Every configured secret is scrubbed from every record, whoever logs it."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable

from config import Settings

REDACTED = "***"


class RedactSecrets(logging.Filter):
    """Replaces secret values (tokens, webhook secrets) in messages and arguments."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self.scrub(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, ensure_ascii=False)


def secrets_of(settings: Settings) -> list[str]:
    values = [
        settings.telegram.token,
        settings.telegram.webhook_secret,
        settings.vk.group_token,
        settings.vk.user_token,
        settings.vk.secret,
    ]
    found = [v.get_secret_value() for v in values if v is not None]
    # the numeric bot id before the colon is public; the part after it is the secret
    found += [v.split(":", 1)[1] for v in found if ":" in v]
    return found


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactSecrets(secrets_of(settings)))
    handler.setFormatter(
        JsonFormatter()
        if settings.log.json_format
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log.level)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
