"""The owner's report as text: Markdown, HTML (with an inline SVG chart), JSON, and the chat digest."""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape

from handlers.charts import bar_png, bar_svg
from handlers.i18n import action_name, t
from handlers.owner_report import Report


def _rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(label, now, before, trend) per headline figure, in the report's language."""
    lang, cur, prev = report.language, report.current, report.previous

    def median(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}"

    rows = [
        (t(lang, f"report_{key}"), str(getattr(cur, key)), str(getattr(prev, key)), _trend(lang, report, key))
        for key in ("messages", "joined", "left", "spam_caught", "abuse_caught", "complaints", "answered")
    ]
    rows.append((t(lang, "report_open"), str(cur.open), str(prev.open), ""))
    rows.append(
        (t(lang, "report_median"), median(cur.median_answer_minutes), median(prev.median_answer_minutes), "")
    )
    return rows


def _trend(language: str, report: Report, key: str) -> str:
    trend = report.trend(key)
    return t(language, "trend_new") if trend == "new" else trend


def _actions(language: str, report: Report) -> list[tuple[str, int]]:
    return [(action_name(language, k), n) for k, n in sorted(report.current.actions.items())]


def _pairs(items: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {n}" for name, n in items) or "—"


def _title(report: Report) -> str:
    cur = report.current
    last = cur.until - timedelta(days=1)  # the period ends before ``until``: name its last day
    since, until = f"{cur.since:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    return t(report.language, "report_title", title=report.title, since=since, until=until)


def markdown(report: Report) -> str:
    lang, cur = report.language, report.current
    head = _title(report)
    lines = [
        f"# {head}",
        "",
        f"| | {t(lang, 'report_now')} | {t(lang, 'report_before')} | ± |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {label} | {now} | {before} | {trend} |" for label, now, before, trend in _rows(report)]
    lines += [
        "",
        f"- **{t(lang, 'report_actions')}:** {_pairs(_actions(lang, report))}",
        f"- **{t(lang, 'report_active')}:** {_pairs(cur.top_members)}",
        f"- **{t(lang, 'report_rules')}:** {_pairs(cur.rules)}",
        f"- **{t(lang, 'report_daily')}:** " + ", ".join(f"{d[5:]} {n}" for d, n in cur.daily),
    ]
    return "\n".join(lines) + "\n"


def html(report: Report) -> str:
    lang, cur = report.language, report.current
    head = _title(report)
    body = "".join(
        f"<tr><th>{escape(label)}</th><td>{now}</td><td>{before}</td><td>{trend}</td></tr>"
        for label, now, before, trend in _rows(report)
    )
    chart = bar_svg(
        [d[5:] for d, _ in cur.daily],
        [n for _, n in cur.daily],
        [n for _, n in report.previous.daily],
        title=t(lang, "report_daily"),
    )
    extras = "".join(
        f"<p><b>{escape(t(lang, key))}:</b> {escape(_pairs(items))}</p>"
        for key, items in (
            ("report_actions", _actions(lang, report)),
            ("report_active", cur.top_members),
            ("report_rules", cur.rules),
        )
    )
    return (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{escape(head)}</title>'
        "<style>body{font-family:sans-serif;max-width:720px;margin:2em auto}"
        "td,th{padding:2px 10px;text-align:right}th{text-align:left}</style>"
        f"<h1>{escape(head)}</h1><table><tr><th></th><th>{escape(t(lang, 'report_now'))}</th>"
        f"<th>{escape(t(lang, 'report_before'))}</th><th>±</th></tr>{body}</table>"
        f"<h2>{escape(t(lang, 'report_daily'))}</h2>{chart}{extras}</html>\n"
    )


def as_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def digest_text(report: Report) -> str:
    """The chat digest: the headline figures with their trend, one per line."""
    lang, cur = report.language, report.current
    lines = [t(lang, "digest_title", title=report.title, days=report.days)]
    lines += [
        f"• {label}: {now}" + (f" ({trend})" if trend else "") for label, now, _, trend in _rows(report)
    ]
    lines.append(f"{t(lang, 'report_active')}: {_pairs(cur.top_members)}")
    lines.append(f"{t(lang, 'report_rules')}: {_pairs(cur.rules)}")
    return "\n".join(lines)


def digest_chart(report: Report) -> bytes:
    """Messages per day: this period in blue over the previous one in grey."""
    return bar_png([n for _, n in report.current.daily], [n for _, n in report.previous.daily])
