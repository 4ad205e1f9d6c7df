"""The moderators' web workspace and the subscribers' appeal page, on Dozor's own HTTP server.

``mount`` adds the routes under the path of ``DOZOR_WEB_URL``; without that setting nothing is
added (the routes are absent). See ``bot.web.site`` for the checks every request passes.
"""

from __future__ import annotations

from aiohttp import web

from bot.web import appeal, config_pages, pages, signin
from bot.web.site import HERE, Site


def mount(app: web.Application, site: Site) -> None:
    """Add the workspace's routes and its static files to ``app`` (before it starts)."""
    for module in (signin, pages, config_pages, appeal):
        app.router.add_routes(module.routes(site))
    app.router.add_static(f"{site.base}/static", HERE / "static", append_version=False)


__all__ = ["Site", "mount"]
