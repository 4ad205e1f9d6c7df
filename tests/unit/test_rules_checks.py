"""Every check, modifier and negation, evaluated against real events; and the regex time limit."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from moderation.events import Author, Content, Event, EventKind, MessageRef, Platform
from moderation.features import extract
from moderation.rules import Facts, evaluate, parse_rules
from moderation.verdict import Scores

NOW = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
MEMBER = Author("u1", "Вася", message_count=50, first_seen=NOW - timedelta(days=90))


def ctx(
    text: str = "",
    *,
    author: Author = MEMBER,
    content: Content | None = None,
    scores: Scores | None = None,
    kind: EventKind = EventKind.TELEGRAM_MESSAGE,
) -> Facts:
    event = Event(
        Platform.TELEGRAM, kind, "c", MessageRef("c", "1"), author, text, NOW, content=content or Content()
    )
    return Facts(event=event, features=extract(event), scores=scores or Scores(), now=NOW)


def hits(rule_body: str, context: Facts) -> list[str]:
    rules = parse_rules(f"- name: r\n  action: delete\n{rule_body}")
    return [h.detail for h in evaluate(rules, context).hits]


@pytest.mark.parametrize(
    ("check", "text", "fires"),
    [
        # includes-word (default for body) matches the normalised text
        ("body: [заработок]", "Легкий Зaр@б0тoк!", True),
        ("body: [заработок]", "подзаработок", False),
        ("body: [free money]", "FR33   m0ney here", True),
        ("body (includes-word): [казино]", "к а з и н о", True),
        ("body (includes): [работ]", "заработок", True),
        ("body (starts-with): [купи]", "Купите сейчас", True),
        ("body (starts-with): [купи]", "не купите", False),
        ("body (ends-with): [в лс]", "пишите в лс", True),
        ("body (full-exact): [привет]", "ПРИВЕТ", True),
        ("body (full-exact): [привет]", "привет всем", False),
        ("body (includes, case-sensitive): [FREE]", "get FREE stuff", True),
        ("body (includes, case-sensitive): [FREE]", "get free stuff", False),
        ("body (includes, case-sensitive): ['🔥']", "hot 🔥", True),
        ("body (regex): ['\\d{4,}\\s*руб']", "от 5000 руб в день", True),
        ("body (regex): ['^hello']", "HELLO there", True),
        ("body (regex, case-sensitive): ['^hello']", "HELLO there", False),
        ("body: [a, b, заработок]", "заработок", True),  # list values are ORed
        ("~body: [заработок]", "просто текст", True),
        ("~body: [заработок]", "заработок", False),
        ("domain: [bit.ly]", "see https://bit.ly/x", True),
        ("domain: [example.com]", "sub.example.com/x", True),
        ("domain: [example.com]", "notexample.com", False),
        ("domain (includes): [casino]", "best-casino.xyz", True),
        ("~domain: [example.org]", "look at evil.com", True),
        ("link (includes): [joinchat]", "t.me/joinchat/AAA", True),
        ("mention: ['@rich_boss']", "пиши @Rich_Boss", True),
        ("mention (starts-with): [rich]", "пиши @rich_boss", True),
    ],
)
def test_text_checks(check: str, text: str, fires: bool) -> None:
    assert bool(hits(f"  {check}\n", ctx(text))) is fires


def test_match_detail_explains_itself() -> None:
    assert hits("  body: [заработок]\n", ctx("Зaработок тут")) == ['matched "заработок" (includes-word)']
    assert hits("  links: '> 2'\n", ctx("a.com b.com c.com")) == ["links 3 > 2"]


NEWBIE = Author("n", message_count=1, first_seen=NOW - timedelta(hours=2), warnings=2)
ADMIN = Author("a", is_admin=True)
ANON = Author("x", is_anonymous_admin=True)


@pytest.mark.parametrize(
    ("check", "context", "fires"),
    [
        ("author.account_age: '< 1d'", ctx(author=NEWBIE), True),
        ("author.account_age: '< 1d'", ctx(), False),
        ("author.account_age: '< 1d'", ctx(author=Author("z")), False),  # unknown never fires
        ("~author.account_age: '< 1d'", ctx(author=Author("z")), False),
        ("author.time_in_community: '>= 30d'", ctx(), True),
        ("author.messages: '< 5'", ctx(author=NEWBIE), True),
        ("author.messages: ['< 5', '> 100']", ctx(), False),
        ("author.warnings: '>= 2'", ctx(author=NEWBIE), True),
        ("author.is_admin: true", ctx(author=ANON), True),
        ("author.is_trusted: true", ctx(author=Author("t", is_trusted=True)), True),
        ("author.newcomer: true", ctx(author=NEWBIE), True),
        ("links: '> 2'", ctx("a.com b.com c.com"), True),
        ("links: '> 2'", ctx("a.com b.com"), False),
        ("~links: '> 2'", ctx("a.com b.com"), True),
        ("mentions: '>= 2'", ctx("@aaa @bbb"), True),
        ("media: [photo, video]", ctx(content=Content(media=("video",))), True),
        ("media: [photo]", ctx(content=Content(media=("sticker",))), False),
        ("media: true", ctx(content=Content(media=("sticker",))), True),
        ("media: false", ctx(), True),
        ("forwarded: true", ctx(content=Content(forwarded=True)), True),
        ("forwarded: true", ctx(), False),
        ("length: '> 10'", ctx("x" * 11), True),
        ("caps_ratio: '> 0.7'", ctx("КУПИТЕ СЕЙЧАС ВСЁ"), True),
        ("emoji: '> 2'", ctx("🔥🔥🔥"), True),
        ("has_phone: true", ctx("звони 89001234567"), True),
        ("has_invite: true", ctx("t.me/+abc"), True),
        ("has_shortener: true", ctx("clck.ru/abc"), True),
        ("mixed_script: '>= 1'", ctx("Зapaбoтoк"), True),
        ("score.spam: '> 0.9'", ctx(scores=Scores(spam=0.95)), True),
        ("score.toxicity: '> 0.9'", ctx(scores=Scores(toxicity=0.5)), False),
        ("score.negativity: '>= 0.7'", ctx(scores=Scores(negativity=0.7)), True),
        ("repeated: '>= 1'", ctx("some text"), True),
    ],
)
def test_conditions(check: str, context: Facts, fires: bool) -> None:
    rule = f"  {check}\n  exempt_admins: false\n"
    assert bool(hits(rule, context)) is fires


@pytest.mark.parametrize(
    ("types", "kind", "fires"),
    [
        ("telegram", EventKind.TELEGRAM_COMMENT, True),
        ("telegram", EventKind.VK_WALL_COMMENT, False),
        ("vk_comment", EventKind.VK_PHOTO_COMMENT, True),
        ("vk_chat", EventKind.VK_CHAT_MESSAGE, True),
        ("[vk_chat, telegram_message]", EventKind.TELEGRAM_MESSAGE, True),
        ("vk_wall_comment", EventKind.VK_VIDEO_COMMENT, False),
    ],
)
def test_type(types: str, kind: EventKind, fires: bool) -> None:
    assert bool(hits(f"  type: {types}\n", ctx("x", kind=kind))) is fires


def test_checks_are_anded() -> None:
    rule = "  body: [казино]\n  links: '> 0'\n"
    assert hits(rule, ctx("казино a.com"))
    assert not hits(rule, ctx("казино"))


def test_admins_exempt_unless_rule_says_otherwise() -> None:
    rules = parse_rules(
        "- {name: all, action: delete, body: [x]}\n"
        "- {name: admins-too, action: warn, body: [x], exempt_admins: false}"
    )
    result = evaluate(rules, ctx("x", author=ADMIN), exempt=True)
    assert [h.rule.name for h in result.hits] == ["admins-too"]


def test_priority_order_shadow_and_allow() -> None:
    rules = parse_rules(
        """
- {name: low, action: ban, body: [x]}
- {name: allow, priority: 5, action: allow, body: [x]}
- {name: top, priority: 9, action: warn, body: [x]}
- {name: watch, mode: shadow, action: ban, body: [x]}
"""
    )
    result = evaluate(rules, ctx("x"))
    assert [h.rule.name for h in result.hits] == ["top", "allow"]
    assert result.allowed_by is not None and result.allowed_by.rule.name == "allow"
    assert [h.rule.name for h in result.shadow] == ["watch"]


def test_reply_template() -> None:
    rules = parse_rules(
        "- {name: r1, action: reply, body: [привет], reply: '{{author}}: {{match}} / {{rule}}'}"
    )
    assert evaluate(rules, ctx("Привет!")).hits[0].reply == "Вася: привет / r1"


def test_catastrophic_regex_times_out_with_an_error_reason() -> None:
    rules = parse_rules("- name: evil\n  body (regex): '(a+)+$'\n  action: ban\n")
    started = time.perf_counter()
    result = evaluate(rules, ctx("a" * 50_000 + "!"))
    assert time.perf_counter() - started < 5
    assert result.hits == ()
    assert [(e.kind, e.name, e.detail) for e in result.errors] == [("error", "evil", "pattern timed out")]
