"""Complaints stay complaints: escalated to a person even with a link, a mention, a hashtag or a
brand's name, never deleted as spam for carrying them; spam that baits with grievances is not
protected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moderation import complaints
from moderation.classifier import load_default
from moderation.engine import Engine
from moderation.events import Author, Event, EventKind, MessageRef, Platform
from moderation.policy import Policy
from moderation.verdict import Action, Scores

NOW = datetime(2026, 12, 1, tzinfo=UTC)
MEMBER = Author("u1", "Вася", message_count=50, first_seen=NOW - timedelta(days=90))
NEWCOMER = Author("n1", "Новичок", message_count=0, first_seen=NOW - timedelta(minutes=5))


def event(text: str, author: Author = MEMBER) -> Event:
    return Event(Platform.TELEGRAM, EventKind.TELEGRAM_MESSAGE, "c", MessageRef("c", "1"), author, text, NOW)


class AddressedScorer:
    """A classifier that reads an addressed message as an ad: links and mentions raise spam and
    hide the complaint, the way the issue measured it (negativity 0.27, spam 0.75-0.93)."""

    def score(self, normalized: str) -> Scores:
        addressed = any(mark in normalized for mark in ("@", "http", "#", ".ru"))
        return Scores(spam=0.85, negativity=0.27) if addressed else Scores(spam=0.05, negativity=0.92)


COMPLAINTS = [
    "@sberbank верните деньги, списали дважды за одну покупку https://sberbank.ru/ticket/123",
    "Тинькофф опять заблокировал карту без объяснений #тинькофф, поддержка молчит",
    "@mts_support уже третий день нет интернета, сколько можно? https://mts.ru",
    "@beeline_ru списали 500 рублей за подписку, которую я не подключал",
    "МТС, верните деньги за неработающую связь! #мтс #связь",
    "Заказ 12345 так и не пришёл, деньги списали, ozon.ru/my/orders — где мой заказ? @ozon_ru",
    "[club1|Ростелеком] второй месяц не может починить интернет, никакого ответа",
    "@amazon I was charged twice for order 113-55 and I am still waiting for a refund amazon.com/orders",
]


@pytest.mark.parametrize("text", COMPLAINTS)
@pytest.mark.parametrize("author", [MEMBER, NEWCOMER], ids=["member", "newcomer"])
def test_an_addressed_complaint_is_escalated_not_deleted(text: str, author: Author) -> None:
    v = Engine(AddressedScorer()).decide(event(text, author), rules=None, policy=Policy(), now=NOW)
    assert v.action is Action.ESCALATE and v.alert_moderators
    assert not v.delete_message
    assert any(r.name in ("negativity", "complaint-not-deleted") for r in v.reasons)


@pytest.mark.parametrize("text", COMPLAINTS)
def test_the_shipped_model_escalates_addressed_complaints(text: str) -> None:
    v = Engine(load_default()).decide(event(text, NEWCOMER), rules=None, policy=Policy(), now=NOW)
    assert v.action is Action.ESCALATE and not v.delete_message


def test_the_safeguard_reads_the_complaint_without_its_address() -> None:
    text = "@ozon_ru заказ так и не пришёл https://ozon.ru/my/orders/123"
    assert complaints.addressless(text) == "заказ так и не пришёл"
    v = Engine(AddressedScorer()).decide(event(text), rules=None, policy=Policy(), now=NOW)
    assert v.action is Action.ESCALATE
    assert "0.92" in " ".join(r.detail for r in v.reasons)  # the addressless negativity


def test_a_grievance_marker_counts_with_moderate_negativity() -> None:
    class Moderate:
        def score(self, normalized: str) -> Scores:
            return Scores(spam=0.80, negativity=0.40)

    v = Engine(Moderate()).decide(event("Банк навязал страховку, прошу разобраться"), rules=None,
                                  policy=Policy(), now=NOW)  # fmt: skip
    assert v.action is Action.ESCALATE and not v.delete_message
    assert "grievance" in " ".join(r.detail for r in v.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Вас обманул банк? Вернём деньги за 3 дня! Пишите @lawyer_help",
        "Списали долги? Поможем вернуть, консультация бесплатно t.me/dolgi_help",
    ],
)
def test_spam_that_baits_with_grievances_is_not_protected(text: str) -> None:
    class Bait:
        def score(self, normalized: str) -> Scores:
            return Scores(spam=0.90, negativity=0.45)

    v = Engine(Bait()).decide(event(text), rules=None, policy=Policy(), now=NOW)
    assert v.delete_message and v.action is Action.WARN


def test_near_certain_spam_is_deleted_even_when_it_sounds_unhappy() -> None:
    class Certain:
        def score(self, normalized: str) -> Scores:
            return Scores(spam=0.99, negativity=0.95)

    v = Engine(Certain()).decide(
        event("верните деньги t.me/x", NEWCOMER), rules=None, policy=Policy(), now=NOW
    )
    assert v.delete_message


@pytest.mark.parametrize(
    "text",
    ["Сбербанк снизил ставки по вкладам с 1 декабря https://sberbank.ru/news",
     "@ozon_ru подскажите, а доставка в Казань сколько идёт?",
     "МТС открыл новый салон на Тверской, приходите"],
)  # fmt: skip
def test_neutral_brand_news_is_neither_escalated_nor_deleted(text: str) -> None:
    v = Engine(load_default()).decide(event(text), rules=None, policy=Policy(), now=NOW)
    assert v.action is Action.ALLOW


def test_no_complaint_signal_when_negativity_is_switched_off() -> None:
    v = Engine(AddressedScorer()).decide(
        event(COMPLAINTS[0]), rules=None, policy=Policy(negativity=None), now=NOW
    )
    assert v.action is Action.WARN and v.delete_message
