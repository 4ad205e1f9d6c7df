"""Signing in: from the Telegram Mini App (its ``initData``), or with a one-time link from ``/web``.

A one-time link opens a page with a "Continue" button; only pressing it spends the link, so a
link preview or a scanner that fetches the URL does not use it up.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web

from bot.web import security
from bot.web.site import Refusal, Site, Visit, redirect
from handlers import bounds
from models import web as web_store
from models.web import Person

log = logging.getLogger(__name__)


def routes(site: Site) -> list[web.RouteDef]:
    base = site.base

    async def login(request: web.Request, lang: str) -> web.StreamResponse:
        token = security.form_token(request)
        refused = request.query.get("refused") == "1"
        page = site.render(request, lang, "login.html", form_csrf=token, refused=refused)
        return security.keep_form_token(page, token, base)

    async def telegram(request: web.Request, lang: str) -> web.StreamResponse:
        form = await request.post()
        if not site.bot_token:
            raise Refusal(404, "not_found")
        try:
            user = security.verify_init_data(
                str(form.get("init_data", "")),
                site.bot_token,
                now=time.time(),
                max_age=site.settings.init_data_minutes * 60,
            )
        except security.SignInRefused as exc:
            log.info("workspace: a Mini App sign-in was refused: %s", exc)
            return redirect(f"{base}/login?refused=1")
        hint = bounds.row_id(user.start[1:]) if user.start.startswith("c") else None
        person = Person("telegram", user.id, user.name, (hint,) if hint else ())
        return await site.sign_in(person, user.language[:2])

    async def link_page(request: web.Request, lang: str) -> web.StreamResponse:
        token = request.match_info["token"]
        async with site.ctx.db.transaction() as session:
            who = await web_store.peek_link(session, token, site.ctx.now())
        form_csrf = security.form_token(request)
        page = site.render(request, lang, "link.html", who=who, token=token, form_csrf=form_csrf)
        return security.keep_form_token(page, form_csrf, base)

    async def link_spend(request: web.Request, lang: str) -> web.StreamResponse:
        form = await request.post()
        async with site.ctx.db.transaction() as session:
            person = await web_store.spend_link(session, str(form.get("token", "")), site.ctx.now())
        if person is None:
            return site.render(request, lang, "link.html", status=410, who=None, token="", form_csrf="")
        return await site.sign_in(person, lang)

    async def logout(request: web.Request, visit: Visit) -> web.StreamResponse:
        async with site.ctx.db.transaction() as session:
            await web_store.close_session(session, visit.session.id)
        response = redirect(f"{base}/login")
        response.del_cookie(security.SESSION_COOKIE, path=base or "/")
        return response

    return [
        web.get(f"{base}/login", site.public(login)),
        web.post(f"{base}/login/telegram", site.public(telegram)),
        web.get(f"{base}/login/link/{{token}}", site.public(link_page)),
        web.post(f"{base}/login/link", site.public(link_spend)),
        web.post(f"{base}/logout", site.page(logout)),
    ]
