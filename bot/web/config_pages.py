"""The workspace's rules and settings pages (``handlers.workspace_config`` does the work)."""

from __future__ import annotations

from aiohttp import web

from bot.web import security, texts
from bot.web.site import Refusal, Site, Visit, redirect
from handlers import bounds, workspace, workspace_config
from handlers.workspace import Place

MAX_BACKTEST_DAYS = 365


def routes(site: Site) -> list[web.RouteDef]:
    base = site.base

    async def rules_page(
        request: web.Request, visit: Visit, place: Place, text: str | None = None, **extra: object
    ) -> web.Response:
        if not await workspace.may(site.ctx, place, visit.person, "rules"):
            raise Refusal(403, "forbidden")
        stored = await workspace_config.stored_rules(site.ctx, place.community)
        if text is None:
            text = workspace_config.as_yaml(stored)
        parsed, problem = await workspace_config.check(text)
        values = site.page_values(
            visit,
            community=place.community,
            admin=place.admin,
            text=text,
            problem=problem,
            count=len(parsed.rules) if parsed is not None else None,
            shadow=await workspace_config.shadow_hits(site.ctx, place.community, stored),
            shadow_days=workspace_config.SHADOW_DAYS,
            sample="",
            verdict=None,
            report=None,
            days=30,
            saved=None,
        )
        values.update(extra)
        return site.render(request, visit.lang, "rules.html", **values)

    async def show(request: web.Request, visit: Visit) -> web.StreamResponse:
        return await rules_page(request, visit, site.place_of(request, visit))

    async def check(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "rules"):
            raise Refusal(403, "forbidden")
        text = str((await request.post()).get("rules", ""))
        parsed, problem = await workspace_config.check(text)
        if problem is not None:
            message = texts.get(visit.lang, "rules_error", line=problem.line or "—", message=problem.message)
            return security.as_json({"ok": False, "line": problem.line, "message": message})
        count = len(parsed.rules) if parsed is not None else 0
        return security.as_json(
            {"ok": True, "line": 0, "message": texts.get(visit.lang, "rules_ok", count=count)}
        )

    async def try_it(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        form = await request.post()
        text, sample = str(form.get("rules", "")), str(form.get("sample", ""))
        parsed, _ = await workspace_config.check(text)
        verdict = None
        if parsed is not None and sample.strip():
            verdict = await workspace_config.try_text(
                site.ctx, place.community, parsed, sample, site.ctx.now()
            )
        return await rules_page(request, visit, place, text, sample=sample, verdict=verdict)

    async def backtest(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        form = await request.post()
        text = str(form.get("rules", ""))
        raw = str(form.get("days", "30"))
        given = bounds.number(raw, 0, 10**9)
        days = min(max(30 if given is None else given, 1), MAX_BACKTEST_DAYS)
        parsed, _ = await workspace_config.check(text)
        report = await workspace_config.replay(site.ctx, place.community, text, days) if parsed else None
        return await rules_page(request, visit, place, text, report=report, days=days)

    async def save(request: web.Request, visit: Visit) -> web.StreamResponse:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "rule"):
            raise Refusal(403, "forbidden")
        text = str((await request.post()).get("rules", ""))
        saved, problem = await workspace_config.save(site.ctx, place.community, text, visit.person.user_id)
        if problem is not None:
            return await rules_page(request, visit, place, text)
        return await rules_page(request, visit, place, None, saved=saved)

    async def settings_page(request: web.Request, visit: Visit, problem: str = "") -> web.Response:
        place = site.place_of(request, visit)
        if not await workspace.may(site.ctx, place, visit.person, "status"):
            raise Refusal(403, "forbidden")
        community = await workspace.refresh(site.ctx, place.community.id) or place.community
        values = site.page_values(
            visit,
            community=community,
            admin=place.admin,
            s=workspace_config.settings_of(site.ctx, community),
            replies=await workspace_config.autoreply_list(site.ctx, community),
            problem=problem,
            message=texts.get(visit.lang, "saved") if request.query.get("saved") else "",
        )
        return site.render(request, visit.lang, "settings.html", **values)

    async def show_settings(request: web.Request, visit: Visit) -> web.StreamResponse:
        return await settings_page(request, visit)

    def admin_action(action: str):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request, visit: Visit) -> web.StreamResponse:
            place = site.place_of(request, visit)
            if not place.admin:
                raise Refusal(403, "forbidden")
            community = await workspace.refresh(site.ctx, place.community.id) or place.community
            form = {k: str(v) for k, v in (await request.post()).items()}
            problem: str | None = None
            if action == "thresholds":
                problem = await workspace_config.save_thresholds(site.ctx, community, form)
            elif action == "switches":
                problem = await workspace_config.save_switches(site.ctx, community, form)
            elif action == "autoreply_add":
                ok = await workspace_config.add_autoreply(
                    site.ctx, community, form.get("trigger", ""), form.get("answer", ""), visit.person.user_id
                )
                problem = None if ok else "write a trigger and an answer"
            elif action == "autoreply_remove":
                await workspace_config.remove_autoreply(site.ctx, community, form.get("trigger", ""))
            if problem:
                return await settings_page(request, visit, problem)
            return redirect(f"{base}/c/{community.id}/settings?saved=1")

        return handler

    return [
        web.get(f"{base}/c/{{cid}}/rules", site.page(show)),
        web.post(f"{base}/c/{{cid}}/rules", site.page(save)),
        web.post(f"{base}/c/{{cid}}/rules/check", site.page(check)),
        web.post(f"{base}/c/{{cid}}/rules/try", site.page(try_it)),
        web.post(f"{base}/c/{{cid}}/rules/backtest", site.page(backtest)),
        web.get(f"{base}/c/{{cid}}/settings", site.page(show_settings)),
        web.post(f"{base}/c/{{cid}}/settings/thresholds", site.page(admin_action("thresholds"))),
        web.post(f"{base}/c/{{cid}}/settings/switches", site.page(admin_action("switches"))),
        web.post(f"{base}/c/{{cid}}/settings/autoreply/add", site.page(admin_action("autoreply_add"))),
        web.post(f"{base}/c/{{cid}}/settings/autoreply/remove", site.page(admin_action("autoreply_remove"))),
    ]
