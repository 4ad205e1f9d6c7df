"""The workspace's reading and acting pages: the queue, a case, the history, the owner's report."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup
from multidict import MultiDictProxy

from bot.web import texts
from bot.web.site import Refusal, Site, Visit, redirect
from handlers import bounds, owner_report, workspace
from handlers.charts import bar_svg
from handlers.history import to_csv
from models import answers as saved_answers
from models.cases import STATUSES
from models.search import Filters, search
from moderation.verdict import Action

PAGE = 50
CSV_LIMIT = 50_000
REPORT_KEYS = ("messages", "joined", "left", "spam_caught", "abuse_caught", "complaints", "answered")
ACTIONS = sorted({a.value for a in Action} | {"answer", "unban", "unmute", "manual"})


def routes(site: Site) -> list[web.RouteDef]:
    base = site.base

    async def queue(request: web.Request, visit: Visit) -> web.StreamResponse:
        values = await _queue_values(site, visit)
        message = (
            texts.get(visit.lang, request.query["msg"]) if request.query.get("msg") in texts.TEXTS else ""
        )
        return site.render(
            request, visit.lang, "queue.html", **site.page_values(visit, message=message, **values)
        )

    async def items(request: web.Request, visit: Visit) -> web.StreamResponse:
        values = await _queue_values(site, visit)
        return site.render(request, visit.lang, "_items.html", **site.page_values(visit, **values))

    async def case(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        view = await workspace.case_view(site.ctx, place.community, _int(request.match_info["case"]))
        if view is None:
            raise Refusal(404, "not_found")
        message = (
            texts.get(visit.lang, request.query["msg"]) if request.query.get("msg") in texts.TEXTS else ""
        )
        values = site.page_values(
            visit, community=place.community, view=view, choices=workspace.CHOICES, message=message
        )
        return site.render(request, visit.lang, "case.html", **values)

    async def decide(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        form = await request.post()
        outcome, esc = await workspace.decide(
            site.ctx,
            place.community,
            visit.person,
            _int(request.match_info["eid"]),
            str(form.get("choice", "")),
        )
        key = f"result_{outcome}"
        if outcome == "taken" and esc is not None:
            # who came first is a name, not a text key: say it on the page itself
            text = texts.get(
                visit.lang,
                "result_taken",
                by=esc.decided_by_name or "?",
                decision=texts.get(visit.lang, f"decision_{esc.resolution}") if esc.resolution else "?",
            )
            return site.render(
                request, visit.lang, "error.html", status=409, **site.page_values(visit, text=text)
            )
        return _back(site, form, place.community.id, esc.case_id if esc else 0, key)

    async def answer(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        form = await request.post()
        saved = str(form.get("saved", "")).strip()
        outcome = await workspace.answer(
            site.ctx,
            place.community,
            visit.person,
            _int(request.match_info["eid"]),
            text=str(form.get("text", "")),
            saved_id=bounds.row_id(saved),
        )
        key = {"taken": "result_answer_taken"}.get(outcome, f"result_{outcome}")
        if outcome == "taken":
            esc = await workspace.escalation(site.ctx, place.community, _int(request.match_info["eid"]))
            by = (esc.answered_by_name or esc.answered_by or "?") if esc else "?"
            text = texts.get(visit.lang, key, by=by)
            return site.render(
                request, visit.lang, "error.html", status=409, **site.page_values(visit, text=text)
            )
        esc_case = _int(str(form.get("case", "0")))
        return _back(site, form, place.community.id, esc_case, key)

    async def history(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "history"):
            raise Refusal(403, "forbidden")
        filters = _filters(request)
        async with site.ctx.db.transaction() as session:
            rows = await search(session, place.community.id, filters, limit=PAGE)
        query = urlencode({k: v for k, v in request.query.items() if k not in ("before", "lang") and v})
        values = site.page_values(
            visit,
            community=place.community,
            f=filters,
            rows=rows,
            actions=ACTIONS,
            statuses=sorted(STATUSES),
            since=request.query.get("since", ""),
            until=request.query.get("until", ""),
            query=query,
            older=rows[-1].id if len(rows) == PAGE else None,
            can_export=await workspace.may(site.ctx, place, visit.person, "export"),
        )
        return site.render(request, visit.lang, "history.html", **values)

    async def export(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "export"):
            raise Refusal(403, "forbidden")
        async with site.ctx.db.transaction() as session:
            rows = await search(session, place.community.id, _filters(request), limit=CSV_LIMIT)
        name = f"dozor-cases-{place.community.platform_id}-{site.ctx.now():%Y%m%d}.csv"
        return web.Response(
            body=to_csv(rows),
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def report(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "stats"):
            raise Refusal(403, "forbidden")
        days = min(max(_int(request.query.get("days", "7")) or 7, 1), 365)
        until = _date(request.query.get("until", "")) or site.ctx.now().date()
        end = datetime.combine(until, time(12), tzinfo=UTC)
        bot_id = site.ctx.bot_id(place.community.platform)
        built = await owner_report.build(site.ctx.db, place.community.id, days, end, bot_user_id=bot_id)
        labels = [d[5:] for d, _ in built.current.daily]
        chart = bar_svg(
            labels,
            [n for _, n in built.current.daily],
            [n for _, n in built.previous.daily],
            title=texts.get(visit.lang, "r_chart"),
        )
        values = site.page_values(
            visit,
            community=place.community,
            report=built,
            days=days,
            until=until.isoformat(),
            keys=(*REPORT_KEYS, "open", "median"),
            trend_keys=REPORT_KEYS,
            figure=_figure,
            chart=Markup(chart),  # built by handlers.charts, which escapes every label it writes
        )
        return site.render(request, visit.lang, "report.html", **values)

    return [
        web.get(f"{base}/", site.page(queue)),
        web.get(f"{base}/queue/items", site.page(items)),
        web.get(f"{base}/c/{{cid}}/case/{{case}}", site.page(case)),
        web.post(f"{base}/c/{{cid}}/e/{{eid}}/decide", site.page(decide)),
        web.post(f"{base}/c/{{cid}}/e/{{eid}}/answer", site.page(answer)),
        web.get(f"{base}/c/{{cid}}/history", site.page(history)),
        web.get(f"{base}/c/{{cid}}/history.csv", site.page(export)),
        web.get(f"{base}/c/{{cid}}/report", site.page(report)),
    ]


async def _queue_values(site: Site, visit: Visit) -> dict[str, object]:
    found = await workspace.queue(site.ctx, visit.places)
    saved: dict[int, list[object]] = {}
    async with site.ctx.db.transaction() as session:
        for place in visit.places:
            saved[place.community.id] = list(await saved_answers.list_for(session, place.community.id))
    return {"items": found, "saved_by": saved, "choices": workspace.CHOICES}


def _back(site: Site, form: MultiDictProxy[Any], community_id: int, case_id: int, key: str) -> web.Response:
    """Back where the form was: the case page, or the queue; ``key`` names the result's text."""
    if form.get("back") == "case" and case_id:
        return redirect(f"{site.base}/c/{community_id}/case/{case_id}?msg={key}")
    return redirect(f"{site.base}/?msg={key}")


def _filters(request: web.Request) -> Filters:
    q = request.query
    since, until = _date(q.get("since", "")), _date(q.get("until", ""))
    return Filters(
        author=q.get("author", "")[:255],
        rule=q.get("rule", "")[:128],
        action=q.get("action", "")[:16],
        status=q.get("status", "")[:16],
        text=q.get("q", "")[:200],
        since=datetime.combine(since, time(), tzinfo=UTC) if since else None,
        until=datetime.combine(until, time(), tzinfo=UTC) + timedelta(days=1) if until else None,
        before_id=bounds.row_id(q.get("before", "")),
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int:
    """A row id from an address or a form; 0 (found nowhere) for anything else (``bounds``)."""
    return bounds.row_id(value) or 0


def _figure(figures: object, key: str) -> object:
    if key == "median":
        value = figures.median_answer_minutes  # type: ignore[attr-defined]
        return "—" if value is None else value
    return getattr(figures, key)
