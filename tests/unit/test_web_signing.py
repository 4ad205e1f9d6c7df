"""Signatures the workspace relies on, checked without a server: Telegram's Mini App initData
(as core.telegram.org/bots/webapps documents it) and the subscriber's signed appeal links."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from bot.web.security import SignInRefused, verify_init_data
from handlers.links import Links, appeal_case
from tests.web.harness import ANNA, sign

TOKEN = "123456789:AAFakeTokenFakeTokenFakeTokenFakeTok"
NOW = 1_800_000_000


def _resigned_without(field: str) -> str:
    fields = dict(parse_qsl(sign(ANNA, auth_date=NOW)))
    fields.pop(field)
    return urlencode(fields)


def test_valid_init_data_names_the_user_and_the_chat_it_came_from() -> None:
    user = verify_init_data(sign(ANNA, auth_date=NOW, start="c7"), TOKEN, now=NOW + 5, max_age=3600)
    assert (user.id, user.name, user.language, user.start) == ("71", "Anna (@anna)", "en", "c7")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (
            sign(ANNA, auth_date=NOW, token="123456789:AAOtherOtherOtherOtherOtherOtherOth"),
            "another bot's token",
        ),
        (sign(ANNA, auth_date=NOW).replace("anna", "root"), "a field changed after signing"),
        (sign(ANNA, auth_date=NOW) + "&user=%7B%22id%22%3A1%7D", "a field given twice"),
        (sign(ANNA, auth_date=NOW - 3601), "older than allowed"),
        (sign(ANNA, auth_date=NOW + 3600), "from the future"),
        (_resigned_without("hash"), "no hash"),
        ("", "nothing"),
        ("hash=abc&auth_date=1", "no user"),
        ("%%%", "not a query string"),
    ],
)
def test_forged_or_stale_init_data_is_refused(raw: str, why: str) -> None:
    with pytest.raises(SignInRefused):
        verify_init_data(raw, TOKEN, now=NOW, max_age=3600)


def test_an_appeal_link_works_for_its_case_and_author_until_it_expires() -> None:
    links = Links(base_url="https://dozor.example.org/web", secret="k" * 32, appeal_days=14)
    url = links.appeal_page(42, "5550001", now=NOW)
    assert url is not None and url.startswith("https://dozor.example.org/web/appeal/42.")
    signed = url.rsplit("/", 1)[1]
    assert links.check_appeal(signed, "5550001", now=NOW + 13 * 86400) == 42
    assert links.check_appeal(signed, "5550001", now=NOW + 15 * 86400) is None  # expired
    assert links.check_appeal(signed, "5550002", now=NOW) is None  # another author
    assert links.check_appeal(signed.replace("42.", "43.", 1), "5550001", now=NOW) is None  # another case
    other_key = Links(base_url="https://dozor.example.org/web", secret="x" * 32)
    assert other_key.check_appeal(signed, "5550001", now=NOW) is None
    assert Links().appeal_page(42, "5550001") is None  # no web pages, no link


def test_deep_links_exist_only_where_the_platform_has_them() -> None:
    links = Links(private_chat={"telegram": "https://t.me/bot?start={payload}"})
    assert links.appeal_chat("telegram", 9) == "https://t.me/bot?start=appeal_9"
    assert links.appeal_chat("vk", 9) is None
    assert appeal_case("appeal_9") == 9 and appeal_case("appeal_x") is None and appeal_case("web") is None
