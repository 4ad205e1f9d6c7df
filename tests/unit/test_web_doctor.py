"""`dozor doctor`'s section on the web workspace says whether it is served and what is missing."""

from __future__ import annotations

from bot.web.doctor import diagnose
from config.settings import load_settings

TOKEN = "123456789:AAFakeTokenFakeTokenFakeTokenFakeTok"


def test_off_without_a_url_and_says_how_to_switch_it_on() -> None:
    report = diagnose(load_settings(telegram={"token": TOKEN}))
    assert report.problems == [] and not report.ok
    assert "off" in report.notes[0] and "DOZOR_WEB_URL" in report.notes[0]


def test_on_names_the_url_and_what_the_mini_app_needs() -> None:
    without_app = diagnose(load_settings(telegram={"token": TOKEN}, web={"url": "https://d.example.org/web"}))
    assert "https://d.example.org/web" in without_app.ok[0]
    assert any(
        "@BotFather /newapp" in n and "https://d.example.org/web/login" in n for n in without_app.notes
    )
    with_app = diagnose(
        load_settings(
            telegram={"token": TOKEN}, web={"url": "https://d.example.org/web", "telegram_app": "desk"}
        )
    )
    assert any("Mini App 'desk'" in line for line in with_app.ok) and with_app.problems == []


def test_a_mini_app_without_telegram_is_a_problem() -> None:
    report = diagnose(load_settings(web={"url": "https://d.example.org/web", "telegram_app": "desk"}))
    assert report.problems and "DOZOR_TELEGRAM_TOKEN" in report.problems[0]
