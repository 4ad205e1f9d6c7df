"""The subscriber's public appeal page: a signed, expiring link from the removal notice or a VK
ban's comment opens it; its form opens the appeal as ``/appeal`` does (the same records and
card), and the page shows the moderators' answer and the outcome when they come."""

from __future__ import annotations

from aiohttp import web

from bot.web import security, texts
from bot.web.site import Site, redirect
from handlers import bounds, reports, workspace
from models import cases, communities

MAX_WHY = 1000


def routes(site: Site) -> list[web.RouteDef]:
    base = site.base

    async def appeal(request: web.Request, lang: str) -> web.StreamResponse:
        signed = request.match_info["signed"]
        head = signed.split(".", 1)[0]
        case_id = bounds.row_id(head) or 0
        async with site.ctx.db.transaction() as session:
            case = await cases.get(session, case_id) if case_id else None
            community = await communities.get(session, case.community_id) if case else None
        if case is None or community is None or site.links.check_appeal(signed, case.author_id) != case.id:
            text = texts.get(lang, "appeal_bad", hint=case_id or "")
            return site.render(request, lang, "appeal.html", status=404, case=None, text=text)
        lang = request.query.get("lang") or community.language
        if request.method == "POST":
            why = str((await request.post()).get("why", ""))[:MAX_WHY]
            where = {"chat_id": case.author_id, "message_id": None, "thread_id": None, "kind": "", "why": why}
            await reports.open_appeal(site.ctx, case, case.author_id, where)
            return redirect(str(request.rel_url))
        view = await workspace.case_view(site.ctx, community, case.id)
        assert view is not None
        appeals = [e for e in view.escalations if e.kind == "appeal"]
        last = appeals[-1] if appeals else None
        state = None
        if last is not None:
            state = (
                "open"
                if last.status != "resolved"
                else "overturned"
                if last.resolution == "approve"
                else "upheld"
            )
        ids = {str(e.id) for e in appeals}
        answered = [
            f.reason
            for f in view.follow_ups
            if f.action == "answer"
            and any(r.get("name") in ids for r in f.reasons if r.get("kind") == "answer")
        ]
        can = last is None and case.action in reports.ENFORCED and case.status in reports.STANDING
        form_csrf = security.form_token(request)
        reason = next((r.get("detail", "") for r in case.reasons if isinstance(r, dict)), case.reason)
        page = site.render(
            request,
            lang,
            "appeal.html",
            case=case,
            community=community,
            reason=reason,
            state=state if last is not None else ("" if can else "none"),
            answers=answered,
            can_appeal=can,
            form_csrf=form_csrf,
        )
        return security.keep_form_token(page, form_csrf, base)

    return [
        web.get(f"{base}/appeal/{{signed}}", site.public(appeal)),
        web.post(f"{base}/appeal/{{signed}}", site.public(appeal)),
    ]
