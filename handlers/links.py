"""Links Dozor hands out: the workspace's one-time sign-in links, the Telegram Mini App, and the
subscriber's appeal (a Telegram deep link, or a signed page of the workspace that expires).

Pure: the public base URL, the bot's username and the signing key come from the runner.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

APPEAL_START = "appeal_"  # /start appeal_<case id>: the deep link's payload


@dataclass(frozen=True, slots=True)
class Links:
    """What links can be made in this process.

    Attributes:
        base_url: the workspace's public URL (``DOZOR_WEB_URL``); None: no web pages.
        secret: the key appeal links are signed with.
        private_chat: per platform, a link that opens the private chat with Dozor with a start
            payload (``{payload}``) — a Telegram deep link; platforms without one are absent.
        mini_app: per platform, a link that opens the workspace inside the app from any chat
            (``{payload}``) — Telegram's direct-link Mini App, when one is registered.
        link_minutes: how long a one-time sign-in link works.
        appeal_days: how long an appeal link works.
    """

    base_url: str | None = None
    secret: str = ""
    private_chat: Mapping[str, str] = field(default_factory=dict)
    mini_app: Mapping[str, str] = field(default_factory=dict)
    link_minutes: int = 10
    appeal_days: int = 14

    @property
    def web(self) -> bool:
        return self.base_url is not None

    def sign_in(self, token: str) -> str:
        """The page a one-time link opens (it is spent only when the person presses Continue)."""
        assert self.base_url is not None
        return f"{self.base_url}/login/link/{quote(token)}"

    def app(self, platform: str, community_id: int) -> str | None:
        """The workspace opened inside the platform's app (from any chat, groups too), when the
        platform has such a link and the workspace is served."""
        template = self.mini_app.get(platform)
        return template.format(payload=f"c{community_id}") if template and self.web else None

    def chat(self, platform: str, payload: str) -> str | None:
        """A link to the private chat with Dozor that starts with ``payload``, where there is one."""
        template = self.private_chat.get(platform)
        return template.format(payload=payload) if template else None

    def appeal_chat(self, platform: str, case_id: int) -> str | None:
        """The private chat with Dozor, which takes the appeal on Start."""
        return self.chat(platform, f"{APPEAL_START}{case_id}")

    def appeal_page(self, case_id: int, author_id: str, *, now: float | None = None) -> str | None:
        """The public appeal page of a case, signed for its author, valid ``appeal_days``."""
        if not self.web:
            return None
        expires = int((now if now is not None else time.time()) + self.appeal_days * 86400)
        return f"{self.base_url}/appeal/{case_id}.{expires}.{self._signature(case_id, author_id, expires)}"

    def check_appeal(self, signed: str, author_of: str, *, now: float | None = None) -> int | None:
        """The case id of a valid, unexpired appeal token made for ``author_of``; None otherwise."""
        parts = signed.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return None
        case_id, expires = int(parts[0]), int(parts[1])
        if expires < (now if now is not None else time.time()):
            return None
        expected = self._signature(case_id, author_of, expires)
        return case_id if hmac.compare_digest(expected, parts[2]) else None

    def _signature(self, case_id: int, author_id: str, expires: int) -> str:
        message = f"appeal:{case_id}:{author_id}:{expires}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def appeal_case(start_args: str) -> int | None:
    """The case id of a ``/start appeal_<id>`` payload, or None."""
    arg = start_args.strip()
    if arg.startswith(APPEAL_START) and arg[len(APPEAL_START) :].isdigit():
        return int(arg[len(APPEAL_START) :])
    return None
