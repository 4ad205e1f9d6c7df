"""The workspace's frame: sessions, who sees what, rendering, and the checks every request passes.

Each page handler is wrapped by ``Site.page`` (a signed-in person; a POST must come from our
origin and carry the session's CSRF token) or ``Site.public`` (sign-in and appeal pages). The
communities a person sees are computed by ``handlers.workspace.places_for`` and kept for
``PLACES_TTL`` per session; every action checks the person's right again, live.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.web import security, texts
from config.settings import WebSettings
from handlers import workspace
from handlers.context import Context
from handlers.links import Links
from handlers.workspace import Place
from models import web as web_store
from models.web import Person, SessionRecord
from moderation.errors import DozorError

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PLACES_TTL = 30.0  # seconds a person's list of communities is reused before it is checked again
MAX_CACHED = 1000
LANG_COOKIE = "dozor_lang"


@dataclass
class Visit:
    """One request of a signed-in person."""

    session: SessionRecord
    places: list[Place]
    lang: str

    @property
    def person(self) -> Person:
        return self.session.person

    def place(self, community_id: int) -> Place | None:
        return next((p for p in self.places if p.community.id == community_id), None)


Handler = Callable[[web.Request, Visit], Awaitable[web.StreamResponse]]
PublicHandler = Callable[[web.Request, str], Awaitable[web.StreamResponse]]


def redirect(url: str) -> web.Response:
    """303 See Other: after a form, the browser GETs ``url`` (a reload does not post again)."""
    return web.Response(status=303, headers={"Location": url})


class Refusal(Exception):
    """A request refused with an HTTP status and a page text key."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


@dataclass
class Site:
    """What every page needs: the use cases' context, the settings, links and templates."""

    ctx: Context
    settings: WebSettings
    links: Links
    bot_token: str | None = None  # Telegram's, to check Mini App sign-ins
    default_language: str = "ru"
    _places: dict[int, tuple[float, list[Place]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base = self.settings.path
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,  # every text is hostile: comments, names, rule text
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # ------------------------------------------------------------------ language and rendering
    def language(self, request: web.Request) -> str:
        chosen = request.query.get("lang") or request.cookies.get(LANG_COOKIE)
        if chosen in ("ru", "en"):
            return chosen
        accept = request.headers.get("Accept-Language", "").lower()
        for part in accept.split(","):
            code = part.strip()[:2]
            if code in ("ru", "en"):
                return code
        return self.default_language

    def render(
        self, request: web.Request, lang: str, template: str, *, status: int = 200, **values: Any
    ) -> web.Response:
        def t(key: str, **fmt: object) -> str:
            return texts.get(lang, key, **fmt)

        values.setdefault("person", None)
        values.setdefault("places", [])
        values.setdefault("community", None)
        values.setdefault("csrf", "")
        values.setdefault("message", "")
        html = self.env.get_template(template).render(t=t, lang=lang, base=self.base, **values)
        response = web.Response(text=html, content_type="text/html", status=status)
        if request.query.get("lang") in ("ru", "en"):
            security.set_cookie(
                response, LANG_COOKIE, request.query["lang"], path=self.base, max_age=365 * 86400
            )
        return response

    def page_values(self, visit: Visit, **values: Any) -> dict[str, Any]:
        return {"person": visit.person, "places": visit.places, "csrf": visit.session.csrf, **values}

    # ------------------------------------------------------------------ sessions
    async def visit(self, request: web.Request) -> Visit | None:
        token = request.cookies.get(security.SESSION_COOKIE)
        if not token:
            return None
        async with self.ctx.db.transaction() as session:
            found = await web_store.find_session(session, token, self.ctx.now())
        if found is None:
            return None
        return Visit(found, await self.places(found), self.language(request))

    async def places(self, found: SessionRecord) -> list[Place]:
        cached = self._places.get(found.id)
        if cached is not None and time.monotonic() - cached[0] < PLACES_TTL:
            return cached[1]
        places = await workspace.places_for(self.ctx, found.person)
        now = time.monotonic()
        if len(self._places) > MAX_CACHED:  # sessions end without telling us: forget the stale
            self._places = {k: v for k, v in self._places.items() if now - v[0] < PLACES_TTL}
        self._places[found.id] = (now, places)
        return places

    async def sign_in(self, person: Person, lang: str) -> web.Response:
        """Open a session for ``person`` and send them to the queue."""
        now = self.ctx.now()
        async with self.ctx.db.transaction() as session:
            await web_store.purge(session, now)
            token, _ = await web_store.open_session(
                session, person, now=now, expires_at=now + timedelta(hours=self.settings.session_hours)
            )
        response = redirect(f"{self.base}/")
        security.set_cookie(
            response,
            security.SESSION_COOKIE,
            token,
            path=self.base,
            max_age=self.settings.session_hours * 3600,
        )
        if lang in ("ru", "en"):
            security.set_cookie(response, LANG_COOKIE, lang, path=self.base, max_age=365 * 86400)
        security.add_headers(response)
        return response

    # ------------------------------------------------------------------ wrappers
    def page(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A page for a signed-in person; POSTs must carry the session's CSRF token."""

        async def checked(request: web.Request, lang: str) -> web.StreamResponse:
            if request.method == "POST" and not security.same_origin(request, self.settings.url or ""):
                raise Refusal(403, "bad_request")
            visit = await self.visit(request)
            if visit is None:
                if request.method == "GET" and not request.path.endswith(("/items", ".csv")):
                    raise web.HTTPSeeOther(f"{self.base}/login")
                raise Refusal(401, "bad_request")
            if request.method == "POST":
                given = request.headers.get(security.CSRF_HEADER)
                if given is None:
                    given = str((await request.post()).get(security.CSRF_FIELD, ""))
                if not security.same_token(visit.session.csrf, given):
                    raise Refusal(403, "bad_request")
            return await handler(request, visit)

        return self._guarded(checked)

    def public(self, handler: PublicHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A page anyone may open (sign-in, appeal); its POSTs carry a double-submit token."""

        async def checked(request: web.Request, lang: str) -> web.StreamResponse:
            if request.method == "POST":
                if not security.same_origin(request, self.settings.url or ""):
                    raise Refusal(403, "bad_request")
                form = await request.post()
                cookie = request.cookies.get(security.FORM_COOKIE, "")
                if not security.same_token(cookie, str(form.get(security.CSRF_FIELD, ""))):
                    raise Refusal(403, "bad_request")
            return await handler(request, lang)

        return self._guarded(checked)

    def _guarded(self, handler: PublicHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Every answer of the workspace, an error's too, with its security headers (CSP): a
        refusal is its error page, a storage or platform error a 503, a bug a 500."""

        async def wrapped(request: web.Request) -> web.StreamResponse:
            lang = self.language(request)
            try:
                response = await handler(request, lang)
            except Refusal as refusal:
                response = self.render(
                    request, lang, "error.html", status=refusal.status, text=texts.get(lang, refusal.key)
                )
            except web.HTTPException as exc:
                security.add_headers(exc)
                raise
            except DozorError as exc:
                log.warning("workspace: %s", exc)
                response = self.render(request, lang, "error.html", status=503, text=str(exc))
            except Exception:  # a bug must not take the page's headers (CSP) with it
                log.exception("workspace: %s %s failed", request.method, request.path)
                response = self.render(request, lang, "error.html", status=500, text="500")
            security.add_headers(response)
            return response

        return wrapped

    def place_of(self, request: web.Request, visit: Visit) -> Place:
        """The community of the URL, when the person sees it; else 403 (no peeking by URL)."""
        try:
            community_id = int(request.match_info["cid"])
        except (KeyError, ValueError):
            raise Refusal(404, "not_found") from None
        place = visit.place(community_id)
        if place is None:
            raise Refusal(403, "forbidden")
        return place
