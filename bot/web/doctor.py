"""`dozor doctor`'s section on the web workspace: on or off, and what the Mini App needs."""

from __future__ import annotations

from bot.doctor import Report
from config.settings import Settings


def diagnose(settings: Settings) -> Report:
    """What is set for the workspace and the appeal page (no network: the URL is the operator's)."""
    web = settings.web
    report = Report("Web workspace")
    if not web.enabled:
        report.notes.append(
            "off: the moderators' workspace and the appeal page are not served (their routes are "
            "absent); set DOZOR_WEB_URL to the public https address your reverse proxy forwards to "
            f"port {settings.http.port}, e.g. https://dozor.example.org/web"
        )
        return report
    report.ok.append(
        f"served at {web.url} by the same HTTP server as the webhooks (port {settings.http.port})"
    )
    if settings.telegram.token is None:
        if web.telegram_app:
            report.problems.append(
                "DOZOR_WEB_TELEGRAM_APP is set but Telegram is not: set DOZOR_TELEGRAM_TOKEN"
            )
    elif web.telegram_app:
        report.ok.append(
            f"Mini App {web.telegram_app!r}: /web in a Telegram moderators' chat shows its button "
            f"(its Web App URL at @BotFather must be {web.url}/login)"
        )
    else:
        report.notes.append(
            "no Telegram Mini App: /web still sends one-time links; for the button, create one with "
            f"@BotFather /newapp (Web App URL {web.url}/login) and set DOZOR_WEB_TELEGRAM_APP to its "
            "short name"
        )
    if web.secret is None:
        report.notes.append(
            "appeal links are signed with a key kept in the database (DOZOR_WEB_SECRET unset)"
        )
    return report
