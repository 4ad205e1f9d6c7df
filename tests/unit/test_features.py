"""Feature extraction and the repetition window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.events import Author, Content, Event, EventKind, Link, MessageRef, Platform
from moderation.features import RecentTexts, extract, find_links

NOW = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


def event(text: str, *, author: Author | None = None, content: Content | None = None) -> Event:
    return Event(
        platform=Platform.TELEGRAM,
        kind=EventKind.TELEGRAM_MESSAGE,
        community_id="c1",
        message=MessageRef("c1", "1"),
        author=author or Author("u1", message_count=50, first_seen=NOW - timedelta(days=90)),
        text=text,
        date=NOW,
        content=content or Content(),
    )


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("join https://t.me/+AbCdEf now", ("t.me",)),
        ("пиши t.me/rich_boss", ("t.me",)),
        ("vk.me/club1 и wa.me/79001234567", ("vk.me", "wa.me")),
        ("see bit.ly/x, clck.ru/abc and goo.su/q.", ("bit.ly", "clck.ru", "goo.su")),
        ("www.Example.COM/path?x=1", ("example.com",)),
        ("тинькофф.рф", ("тинькофф.рф",)),
        ("т.е. и e.g. не ссылки", ()),
        ("почта user@mail.ru", ()),
        ("tinyurl.com/abc", ("tinyurl.com",)),
    ],
)
def test_domains(text: str, domains: tuple[str, ...]) -> None:
    assert extract(event(text)).domains == domains


@pytest.mark.parametrize(
    ("text", "invite", "shortener"),
    [
        ("t.me/joinchat/abc", True, False),
        ("https://chat.whatsapp.com/xyz", True, False),
        ("discord.gg/abc", True, False),
        ("bit.ly/abc", False, True),
        ("vk.cc/abc", False, True),
        ("https://example.org", False, False),
    ],
)
def test_invites_and_shorteners(text: str, invite: bool, shortener: bool) -> None:
    f = extract(event(text))
    assert (f.has_invite, f.has_shortener) == (invite, shortener)


def test_platform_links_merge_with_text_links() -> None:
    content = Content(links=(Link("https://bit.ly/x", "bit.ly"), Link("https://ok.ru/", "ok.ru")))
    f = extract(event("see https://bit.ly/x", content=content))
    assert f.domains == ("bit.ly", "ok.ru")
    assert len(f.links) == 2


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("звони +7 (900) 123-45-67", 1),
        ("89001234567", 1),
        ("8 900 123 45 67 или +44 20 7946 0958", 2),
        ("в 2024 году 100 человек", 0),
    ],
)
def test_phones(text: str, phones: int) -> None:
    assert len(extract(event(text)).phones) == phones


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("пиши @rich_boss и @other", "mentions", ("rich_boss", "other")),
        ("[id123|Вася], привет", "mentions", ("id123",)),
        ("почта a@mail.ru", "mentions", ()),
        ("🔥🔥🔥 круто 😀", "emoji", 4),
        ("no emoji here", "emoji", 0),
        ("ЗАРАБОТОК БЕЗ ВЛОЖЕНИЙ", "caps_ratio", 1.0),
        ("OK", "caps_ratio", 0.0),
        ("Обычный текст", "caps_ratio", pytest.approx(1 / 12)),
        ("Зapaбoтoк и честный труд", "mixed_script_words", 1),
        ("plain English only", "mixed_script_words", 0),
        ("12345", "length", 5),
    ],
)
def test_text_features(text: str, field: str, value: object) -> None:
    assert getattr(extract(event(text)), field) == value


@pytest.mark.parametrize(
    ("author", "newcomer"),
    [
        (Author("u", message_count=0), True),
        (Author("u", message_count=4), True),
        (Author("u", message_count=5, first_seen=NOW - timedelta(hours=2)), True),
        (Author("u", message_count=5, first_seen=NOW - timedelta(days=2)), False),
        (Author("u", message_count=100), False),
    ],
)
def test_newcomer(author: Author, newcomer: bool) -> None:
    assert extract(event("hi", author=author)).newcomer is newcomer


def test_media_and_forwarded() -> None:
    f = extract(event("", content=Content(media=("photo",), forwarded=True)))
    assert f.media == ("photo",) and f.forwarded


def test_recent_texts_counts_by_author_and_across_authors() -> None:
    recent = RecentTexts(window=timedelta(minutes=10))
    assert recent.observe("a", "купите курс сейчас", NOW) == (1, 1)
    assert recent.observe("a", "купите курс сейчас", NOW + timedelta(seconds=5)) == (2, 2)
    assert recent.observe("b", "купите курс сейчас", NOW + timedelta(seconds=6)) == (1, 3)
    assert recent.observe("a", "другой текст тут", NOW + timedelta(seconds=7)) == (1, 1)


def test_recent_texts_forgets_after_window_and_is_bounded() -> None:
    recent = RecentTexts(window=timedelta(minutes=1), max_entries=3)
    recent.observe("a", "same text", NOW)
    assert recent.observe("a", "same text", NOW + timedelta(minutes=2)) == (1, 1)
    for i in range(10):
        recent.observe("a", f"text number {i}", NOW + timedelta(minutes=2))
    assert len(recent) == 3


def test_recent_texts_ignores_short_texts() -> None:
    recent = RecentTexts()
    recent.observe("a", "+", NOW)
    assert recent.observe("a", "+", NOW) == (1, 1)


def test_extract_records_repetition() -> None:
    recent = RecentTexts()
    for _ in range(2):
        extract(event("Купите курс!"), recent=recent)
    assert extract(event("купите  КУРС!"), recent=recent).repeated == 3


def test_find_links_strips_trailing_punctuation() -> None:
    assert [link.url for link in find_links("(see https://a.com/x).")] == ["https://a.com/x"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_is_total(text: str) -> None:
    extract(event(text), recent=RecentTexts())
