"""Typed settings, one section per concern, each with its own environment prefix.

Every value can come from the environment or from a ``.env`` file in the working directory.
Tokens are ``SecretStr``: they print as ``**********`` and never reach logs.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from moderation.errors import ConfigError

_PLACEHOLDERS = re.compile(
    r"^(|changeme|change-me|change_me|placeholder|todo|xxx+|your[-_ ].*|<.*>|\.\.\.|token|secret)$",
    re.IGNORECASE,
)
_TELEGRAM_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


def _section(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore")


def _reject_placeholder(value: SecretStr | None, example: str) -> SecretStr | None:
    if value is not None and _PLACEHOLDERS.match(value.get_secret_value().strip()):
        raise ValueError(f"looks like a placeholder; set the real value, e.g. {example}")
    return value


class DatabaseSettings(BaseSettings):
    """DOZOR_DB_*: where the moderation history lives."""

    model_config = _section("DOZOR_DB_")

    url: str = Field(
        default="sqlite+aiosqlite:///./dozor.sqlite3",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://user:pw@host/db",
    )
    echo: bool = Field(default=False, description="Log every SQL statement (debugging only)")

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                "e.g. sqlite+aiosqlite:///./dozor.sqlite3"
            )
        return value


class HttpSettings(BaseSettings):
    """DOZOR_HTTP_*: the one HTTP server of the process (webhooks, /healthz, /metrics)."""

    model_config = _section("DOZOR_HTTP_")

    host: str = Field(default="0.0.0.0", description="Bind address of the webhook, health and metrics server")
    port: int = Field(
        default=8080, ge=1, le=65535, description="Port of the webhook, health and metrics server"
    )
    max_backlog: int = Field(
        default=5000,
        ge=10,
        description="Events waiting in the inbox above which webhooks answer 429 and polling pauses",
    )


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class TelegramSettings(BaseSettings):
    """DOZOR_TELEGRAM_*: the Telegram bot."""

    model_config = _section("DOZOR_TELEGRAM_")

    token: SecretStr | None = Field(default=None, description="Bot token from @BotFather")
    mode: TelegramMode = Field(default=TelegramMode.POLLING, description="polling or webhook")
    webhook_url: str | None = Field(default=None, description="Public HTTPS URL Telegram posts to")
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token"
    )
    api_server: str | None = Field(
        default=None, description="Custom Bot API server base URL (self-hosted Bot API, tests)"
    )

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        example = "123456789:AAExampleExampleExampleExampleExam"
        value = _reject_placeholder(value, example)
        if value is not None and not _TELEGRAM_TOKEN.match(value.get_secret_value().strip()):
            raise ValueError(f"is not a bot token; BotFather gives tokens like {example}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        value = _reject_placeholder(value, "a random string of 32 characters A-Z a-z 0-9 _ -")
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()):
            raise ValueError("must be 16-256 characters from A-Z a-z 0-9 _ - (Telegram's rule)")
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> TelegramSettings:
        if self.mode is TelegramMode.WEBHOOK:
            # Telegram's own servers post only to https; a self-hosted Bot API server may use http.
            schemes = ("https://",) if self.api_server is None else ("https://", "http://")
            if not (self.webhook_url or "").startswith(schemes):
                raise ValueError(
                    "DOZOR_TELEGRAM_MODE=webhook needs DOZOR_TELEGRAM_WEBHOOK_URL, a public https:// URL"
                )
            if self.webhook_secret is None:
                raise ValueError(
                    "DOZOR_TELEGRAM_MODE=webhook needs DOZOR_TELEGRAM_WEBHOOK_SECRET "
                    "(16-256 characters from A-Z a-z 0-9 _ -)"
                )
        return self


class VkMode(StrEnum):
    LONGPOLL = "longpoll"
    CALLBACK = "callback"


VK_API_VERSION = "5.199"  # the version every VK call, event and test payload is written against
_VK_TOKEN = re.compile(r"^[A-Za-z0-9._-]{40,400}$")


_VK_GROUP = re.compile(
    r"^(?:(?:https?://)?(?:m\.)?vk\.(?:com|ru)/)?(?:club|public|event|-)?(\d+)/?$", re.IGNORECASE
)


def parse_vk_group_id(value: str) -> int | None:
    """A VK community's number from what people copy: ``123``, ``-123``, ``club123``,
    ``public123``, ``event123`` or a ``vk.com/club123`` address. Empty means unset.

    Raises:
        ValueError: saying what to write instead (a short name such as ``vk.com/mygroup`` has no
            number in it; VK shows the number in the community's management pages).
    """
    text = value.strip()
    if not text:
        return None
    match = _VK_GROUP.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a community number; write the digits VK gives the community, e.g. 123456 "
            "(as in vk.com/club123456; for a short address such as vk.com/mygroup the number is in "
            "Manage → Settings → Address, or in the API usage page)"
        )
    return int(match[1])


def _vk_token(value: SecretStr | None) -> SecretStr | None:
    value = _reject_placeholder(value, "the token from the community's settings → API usage")
    if value is not None and not _VK_TOKEN.match(value.get_secret_value().strip()):
        raise ValueError(
            "is not a VK access token (40+ characters of A-Z a-z 0-9 . _ -, e.g. vk1.a.…); "
            "copy it whole, without quotes or spaces"
        )
    return value


def _vk_secret(value: SecretStr | None) -> SecretStr | None:
    value = _reject_placeholder(value, "a random string of 16-50 characters A-Z a-z 0-9")
    if value is not None and not re.fullmatch(r"[A-Za-z0-9]{1,50}", value.get_secret_value()):
        raise ValueError("must be 1-50 Latin letters and digits (VK's rule for the secret key)")
    return value


def _vk_callback_ready(
    mode: VkMode, confirmation_code: str | None, secret: SecretStr | None, names: tuple[str, str, str]
) -> None:
    """Callback mode needs the confirmation string and the secret (``names``: how the three
    settings are called where they were set)."""
    if mode is not VkMode.CALLBACK:
        return
    mode_name, code_name, secret_name = names
    if not confirmation_code or _PLACEHOLDERS.match(confirmation_code.strip()):
        raise ValueError(
            f"{mode_name}=callback needs {code_name}, the string shown on the community's Callback API page"
        )
    if secret is None:
        raise ValueError(
            f"{mode_name}=callback needs {secret_name}, the secret key set on the Callback API page "
            "(1-50 Latin letters and digits)"
        )


class VkCommunity(BaseModel):
    """One more VK community of the process (an item of ``DOZOR_VK_COMMUNITIES``), with its own
    tokens and way of receiving; the API address and the Callback path are the process's."""

    model_config = ConfigDict(extra="forbid")

    group_id: int = Field(ge=1, description="Community id (positive number)")
    group_token: SecretStr = Field(description="The community's access token")
    user_token: SecretStr | None = Field(default=None, description="A moderator's user token")
    mode: VkMode = Field(default=VkMode.LONGPOLL, description="longpoll or callback")
    confirmation_code: str | None = Field(default=None, description="Callback API confirmation string")
    secret: SecretStr | None = Field(default=None, description="Callback API secret key")

    _number = field_validator("group_id", mode="before")(
        classmethod(lambda cls, v: parse_vk_group_id(v) if isinstance(v, str) else v)
    )
    _tokens = field_validator("group_token", "user_token")(classmethod(lambda cls, v: _vk_token(v)))
    _secret = field_validator("secret")(classmethod(lambda cls, v: _vk_secret(v)))

    @model_validator(mode="after")
    def _callback_ready(self) -> VkCommunity:
        _vk_callback_ready(
            self.mode, self.confirmation_code, self.secret, ("mode", "confirmation_code", "secret")
        )
        return self


class VkSettings(BaseSettings):
    """DOZOR_VK_*: the VK communities. Unset (no group id, no token, no list) means no VK here.

    ``DOZOR_VK_GROUP_ID`` with ``DOZOR_VK_GROUP_TOKEN`` (and the other single-community variables)
    is one community; ``DOZOR_VK_COMMUNITIES`` (a JSON list of objects with ``group_id``,
    ``group_token`` and optionally ``user_token``, ``mode``, ``confirmation_code``, ``secret``)
    adds more. ``each()`` gives one ``VkSettings`` per community.
    """

    model_config = _section("DOZOR_VK_")

    group_id: int | None = Field(
        default=None, ge=1, description="Community id: 123456, club123456, public123456 or its vk.com address"
    )
    group_token: SecretStr | None = Field(
        default=None, description="Community access token (community settings → API usage → access tokens)"
    )
    user_token: SecretStr | None = Field(
        default=None,
        description="User token of a community moderator; VK needs it to delete comments and to ban",
    )
    mode: VkMode = Field(default=VkMode.LONGPOLL, description="longpoll or callback")
    callback_path: str = Field(
        default="/vk/callback", description="Local path the Callback API server is served on"
    )
    confirmation_code: str | None = Field(
        default=None, description="The string VK shows on the Callback API page, answered to 'confirmation'"
    )
    secret: SecretStr | None = Field(default=None, description="Callback API secret key (set the same in VK)")
    api_url: str = Field(default="https://api.vk.ru/method", description="VK API base URL")
    api_version: Literal["5.199"] = Field(
        default=VK_API_VERSION, description="VK API version; pinned, the adapter is written against it"
    )
    _entry: str = PrivateAttr(default="")  # set by ``each`` for the communities of the list
    communities: list[VkCommunity] = Field(
        default_factory=list,
        description="More communities, as a JSON list: "
        '[{"group_id": 2, "group_token": "vk1.a…", "user_token": "vk1.a…", "mode": "longpoll"}]',
    )

    @field_validator("group_id", mode="before")
    @classmethod
    def _group_number(cls, value: object) -> object:
        return parse_vk_group_id(value) if isinstance(value, str) else value

    @field_validator("group_token", "user_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        return _vk_token(value)

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        return _vk_secret(value)

    @field_validator("callback_path")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must be a path starting with /, e.g. /vk/callback")
        return value

    @field_validator("api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL, e.g. https://api.vk.ru/method")
        return value.rstrip("/")

    @property
    def configured(self) -> bool:
        """VK is served by this process: a community id with its token, or a list of them."""
        return (self.group_id is not None and self.group_token is not None) or bool(self.communities)

    def each(self) -> list[VkSettings]:
        """One ``VkSettings`` per community (the single-community variables first)."""
        found: list[VkSettings] = []
        if self.group_id is not None and self.group_token is not None:
            found.append(self.model_copy(update={"communities": []}))
        for index, community in enumerate(self.communities):
            one = self.model_copy(update={**dict(community), "communities": []})
            one._entry = f"DOZOR_VK_COMMUNITIES[{index}]"
            found.append(one)
        return found

    def var(self, name: str) -> str:
        """Where one of this community's settings was set, to name it in a message:
        ``DOZOR_VK_GROUP_TOKEN``, or ``DOZOR_VK_COMMUNITIES[1].group_token``."""
        return f"{self._entry}.{name}" if self._entry else f"DOZOR_VK_{name.upper()}"

    @model_validator(mode="after")
    def _complete(self) -> VkSettings:
        if (self.group_id is None) != (self.group_token is None):
            missing = "DOZOR_VK_GROUP_ID" if self.group_id is None else "DOZOR_VK_GROUP_TOKEN"
            raise ValueError(
                f"VK needs both DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN; set {missing} too "
                "(or unset both to run without VK)"
            )
        if self.group_id is not None:
            names = ("DOZOR_VK_MODE", "DOZOR_VK_CONFIRMATION_CODE", "DOZOR_VK_SECRET")
            _vk_callback_ready(self.mode, self.confirmation_code, self.secret, names)
        ids = [c.group_id for c in self.each()]
        if len(ids) != len(set(ids)):
            raise ValueError("a VK community is configured twice: each group id once, please")
        return self


class ModerationSettings(BaseSettings):
    """DOZOR_MODERATION_*: defaults for communities that have not set their own."""

    model_config = _section("DOZOR_MODERATION_")

    # None: the built-in policy's default (moderation/policy.py), the one place those numbers live
    spam_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Spam score at or above which a message is removed"
    )
    toxicity_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Toxicity score at or above which a message is removed"
    )
    negativity_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Negativity score at or above which a complaint goes to a person",
    )
    dry_run: bool = Field(default=False, description="Record decisions but take no platform action")
    language: str = Field(default="ru", pattern=r"^(ru|en)$", description="Default reply language: ru or en")
    model_dir: Path = Field(
        default=Path("./models-data"), description="Where trained model versions are written and read"
    )
    retrain_hours: int = Field(
        default=0,
        ge=0,
        description="Retrain the classifier with moderators' decisions every N hours (0 is off)",
    )
    escalation_reminder_minutes: int = Field(
        default=60, ge=1, description="Remind moderators of an escalation nobody took after this long"
    )
    escalation_admin_minutes: int = Field(
        default=240,
        ge=0,
        description="Tell the admins of an escalation nobody answered after this long (0 is off)",
    )
    notice_ttl_seconds: int = Field(
        default=60, ge=0, description="Delete the 'your message was removed' notice after this long"
    )
    retention_days: int = Field(
        default=0, ge=0, description="Purge message text of cases older than N days (0 keeps it)"
    )


class SecondOpinionSettings(BaseSettings):
    """DOZOR_SECOND_OPINION_*: an OpenAI-compatible chat-completions endpoint asked about the messages
    the classifier was unsure of (off unless the URL is set; see moderation/second_opinion.py)."""

    model_config = _section("DOZOR_SECOND_OPINION_")

    url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (llama.cpp, "
        "Ollama, vLLM) or a hosted one; unset: no second opinion",
    )
    model: str = Field(default="default", min_length=1, description="Model name sent with each question")
    api_key: SecretStr | None = Field(default=None, description="Bearer token, when the endpoint needs one")
    deadline_seconds: float = Field(
        default=5.0,
        gt=0.0,
        le=120.0,
        description="After this long without an answer the model's verdict stands",
    )
    budget_per_day: int = Field(default=300, ge=0, description="Questions each community may ask a day")
    band: float = Field(
        default=0.2,
        gt=0.0,
        le=1.0,
        description="A score this far below its threshold (or closer) is uncertain",
    )
    cache_size: int = Field(default=10_000, ge=0, description="Answers remembered by text")
    concurrency: int = Field(default=4, ge=1, le=64, description="Questions in flight at once")
    batch: int = Field(default=200, ge=1, description="New cases looked at per step")
    interval_seconds: float = Field(default=1.0, gt=0.0, description="Pause between looks at new cases")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, e.g. http://127.0.0.1:8080/v1")
        return value or None

    @field_validator("api_key")
    @classmethod
    def _key_shape(cls, value: SecretStr | None) -> SecretStr | None:
        return _reject_placeholder(value, "sk-... as the endpoint issued it")


class WebSettings(BaseSettings):
    """DOZOR_WEB_*: the moderators' web workspace and the public appeal page. Off without a URL."""

    model_config = _section("DOZOR_WEB_")

    url: str | None = Field(
        default=None,
        description="Public https URL of the workspace, e.g. https://dozor.example.org/web (unset: off)",
    )
    secret: SecretStr | None = Field(
        default=None,
        description="Key that signs appeal links (32+ characters); unset: a random key kept in the database",
    )
    telegram_app: str | None = Field(
        default=None,
        description="Short name of the Mini App registered with @BotFather /newapp (the button in Telegram)",
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="How long a sign-in lasts")
    link_minutes: int = Field(
        default=10, ge=1, le=60, description="How long a one-time sign-in link from /web works"
    )
    init_data_minutes: int = Field(
        default=60, ge=1, le=24 * 60, description="Oldest Telegram Mini App sign-in data accepted (auth_date)"
    )
    appeal_days: int = Field(default=14, ge=1, le=365, description="How long an appeal link works")

    @field_validator("url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        local = re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", value + "/")
        if not (value.startswith("https://") or local):
            raise ValueError(
                "must be a public https:// URL (sign-in cookies are Secure), e.g. https://dozor.example.org/web"
            )
        return value

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        value = _reject_placeholder(value, "a random string of 32+ characters")
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError(
                "must be at least 32 characters: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("telegram_app")
    @classmethod
    def _app_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_]{3,64}", value):
            raise ValueError("must be the Mini App's short name from @BotFather (3-64 of A-Z a-z 0-9 _)")
        return value

    @property
    def enabled(self) -> bool:
        """The workspace is served: its public URL is set."""
        return self.url is not None

    @property
    def path(self) -> str:
        """The URL's path, where the routes live ("" for the site's root)."""
        from urllib.parse import urlsplit

        assert self.url is not None
        return urlsplit(self.url).path.rstrip("/")


class LogSettings(BaseSettings):
    """DOZOR_LOG_*: logging."""

    model_config = _section("DOZOR_LOG_")

    level: str = Field(
        default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$", description="DEBUG, INFO, WARNING or ERROR"
    )
    json_format: bool = Field(default=False, alias="DOZOR_LOG_JSON", description="One JSON object per line")


SECTIONS: dict[str, type[BaseSettings]] = {
    "database": DatabaseSettings,
    "http": HttpSettings,
    "telegram": TelegramSettings,
    "vk": VkSettings,
    "moderation": ModerationSettings,
    "second_opinion": SecondOpinionSettings,
    "web": WebSettings,
    "log": LogSettings,
}


NO_PLATFORM = (
    "no platform is configured, so there is nothing to serve. Set either or both:\n"
    "  Telegram: DOZOR_TELEGRAM_TOKEN — the token @BotFather gave your bot "
    "(e.g. DOZOR_TELEGRAM_TOKEN=123456789:AAE... dozor run)\n"
    "  VK:       DOZOR_VK_GROUP_ID and DOZOR_VK_GROUP_TOKEN — the community's number and its access "
    "token (community → Manage → API usage); DOZOR_VK_MODE=callback also needs "
    "DOZOR_VK_CONFIRMATION_CODE and DOZOR_VK_SECRET\n"
    "  To try Dozor without any token: dozor shell"
)


class Settings:
    """All sections together. Build with ``load_settings()``."""

    def __init__(self, **sections: Any) -> None:
        self.database: DatabaseSettings = sections["database"]
        self.http: HttpSettings = sections["http"]
        self.telegram: TelegramSettings = sections["telegram"]
        self.vk: VkSettings = sections["vk"]
        self.moderation: ModerationSettings = sections["moderation"]
        self.second_opinion: SecondOpinionSettings = sections.get("second_opinion") or SecondOpinionSettings()
        self.web: WebSettings = sections["web"]
        self.log: LogSettings = sections["log"]

    @property
    def platforms(self) -> list[str]:
        """The platforms this process serves ("telegram", "vk"): the one answer `dozor run` and
        `dozor doctor` both go by."""
        chosen = [("telegram", self.telegram.token is not None), ("vk", self.vk.configured)]
        return [name for name, on in chosen if on]


def load_settings(**overrides: dict[str, Any]) -> Settings:
    """Read every section from the environment (and ``.env``).

    Args:
        overrides: per-section keyword values, e.g. ``database={"url": "sqlite+aiosqlite://"}``.

    Raises:
        ConfigError: naming each bad variable and what a valid value looks like.
    """
    built: dict[str, BaseSettings] = {}
    problems: list[str] = []
    for name, cls in SECTIONS.items():
        try:
            built[name] = cls(**overrides.get(name, {}))
        except ValidationError as exc:
            prefix = cls.model_config.get("env_prefix", "")
            for err in exc.errors():
                message = err["msg"].removeprefix("Value error, ")
                if not err["loc"]:  # a check across several variables names them itself
                    problems.append(message)
                    continue
                field = str(err["loc"][0])
                var = field if field.startswith(prefix) else f"{prefix}{field.upper()}"
                inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"][1:])
                problems.append(f"{var}{inner}: {message}")
    if problems:
        raise ConfigError("invalid settings:\n  " + "\n  ".join(problems))
    return Settings(**built)
