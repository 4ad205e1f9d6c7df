"""The workspace's defences: Telegram Mini App sign-in data, cookies, CSRF tokens, headers.

* ``initData`` is checked exactly as Telegram documents it (core.telegram.org/bots/webapps,
  "Validating data received via the Mini App"): every field but ``hash``, sorted by key, as
  ``key=value`` lines is the data-check-string; the key is HMAC-SHA256 of the bot token keyed
  with "WebAppData"; ``hash`` must be the hex HMAC-SHA256 of the data-check-string under that
  key. A field given twice, a missing hash or user, or an ``auth_date`` older than allowed (or in
  the future) is refused.
* Cookies are HttpOnly, Secure, SameSite=Lax and expire; every form carries the session's CSRF
  token (a sign-in form: a token bound to a short-lived cookie, "double submit"), and every POST
  must come from the workspace's own origin.
* Every page is sent with a Content-Security-Policy that allows only the workspace's own scripts,
  styles and images: no inline script, no inline style.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiohttp import web

SESSION_COOKIE = "dozor_session"
FORM_COOKIE = "dozor_form"  # the sign-in forms' CSRF token before there is a session
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors https://web.telegram.org "
    "https://*.telegram.org 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make the Origin of our own forms "null"
    "Cache-Control": "no-store",
}


class SignInRefused(Exception):
    """Sign-in data that does not prove who is signing in; the message says why (for the log)."""


@dataclass(frozen=True, slots=True)
class TelegramUser:
    id: str
    name: str
    language: str
    start: str  # the Mini App link's ``startapp`` value ("" when none)


def verify_init_data(raw: str, bot_token: str, *, now: float, max_age: float) -> TelegramUser:
    """The Telegram user a Mini App's ``initData`` proves, or ``SignInRefused``."""
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise SignInRefused("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise SignInRefused("a field of initData is repeated")
    received = fields.pop("hash", "")
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, check_string.encode(), hashlib.sha256).hexdigest()
    if not received or not hmac.compare_digest(expected, received):
        raise SignInRefused("initData is not signed with this bot's token")
    try:
        auth_date = int(fields.get("auth_date", ""))
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise SignInRefused("initData has no valid auth_date or user") from None
    if not now - max_age <= auth_date <= now + 60:
        raise SignInRefused(f"initData is {int(now - auth_date)} s old; open the workspace again")
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    if user.get("username"):
        name = f"{name} (@{user['username']})" if name else f"@{user['username']}"
    return TelegramUser(
        id=str(user_id),
        name=name or str(user_id),
        language=str(user.get("language_code") or ""),
        start=fields.get("start_param", ""),
    )


def set_cookie(response: web.StreamResponse, name: str, value: str, *, path: str, max_age: int) -> None:
    response.set_cookie(
        name, value, path=path or "/", max_age=max_age, httponly=True, secure=True, samesite="Lax"
    )


def form_token(request: web.Request) -> str:
    """The CSRF token of a sign-in or appeal form: the one its cookie holds, or a new one (the
    page sets it with ``keep_form_token``)."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)


def keep_form_token(response: web.StreamResponse, token: str, path: str) -> web.StreamResponse:
    set_cookie(response, FORM_COOKIE, token, path=path, max_age=3600)
    return response


def same_token(expected: str, given: str | None) -> bool:
    return bool(expected) and given is not None and hmac.compare_digest(expected, given)


def same_origin(request: web.Request, base_url: str) -> bool:
    """A POST from the workspace's own pages: its Origin (or, without one, Referer) is ours."""
    ours = urlsplit(base_url)
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return False
    theirs = urlsplit(origin)
    return (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


def add_headers(response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


def as_json(data: Any) -> web.Response:
    return web.json_response(data, dumps=lambda d: json.dumps(d, ensure_ascii=False))
