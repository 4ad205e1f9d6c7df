"""One language per reply: a Russian community hears Dozor in Russian only.

A day in a Russian community with the shipped classifier — spam, an insult, a complaint, rule
hits with and without the admin's own reason, a shadow rule, decisions, an appeal, a report,
reminders, a digest and every reading command — and then every text Dozor sent (replies,
notices, cards, card edits, popups, file captions) is searched for English words.
"""

from __future__ import annotations

import pytest

from handlers.i18n import plural
from models import escalations, rules
from models.db import Database
from moderation.engine import Engine
from moderation.events import Author
from tests.english import english_words
from tests.workflow.world import ALICE, BORIS, CAROL, World

TITLE = "Клуб любителей чая"
NEWCOMER = Author(id="77", name="Новичок")
RULES = {
    "kazino": "name: kazino\nbody: [казино]\naction: delete\nreason: реклама казино\n",
    "gruby": "name: gruby\nbody: [дурак]\naction: warn\n",
    "proba": "name: proba\nmode: shadow\nbody: [ставки]\naction: delete\n",
}
NAMES = ("Alice", "Boris", "Carol", "Spammer", TITLE, *RULES)


@pytest.fixture
async def russian(sqlite_database: Database, shipped_scorer: object) -> World:
    w = World(sqlite_database, engine=Engine(shipped_scorer))  # type: ignore[arg-type]
    await w.setup(rule_names=(), language="ru", title=TITLE)
    community = await w.community()
    async with sqlite_database.transaction() as s:
        for name, source in RULES.items():
            await rules.put(s, community.id, name, source, mode="shadow" if "shadow" in source else "enforce")
    return w


async def test_a_russian_communitys_replies_cards_reasons_and_reports_are_russian(russian: World) -> None:
    w = russian
    await w.say(NEWCOMER, "Заработок от 5000 в день без вложений, пиши в лс t.me/joinchat/xyz")
    complaint = await w.say(CAROL, "Заказ не пришёл уже две недели, поддержка молчит. Верните деньги!")
    await w.say(CAROL, "Заходите в наше казино, бонус каждому")
    await w.say(CAROL, "ставки на спорт каждый вечер")
    await w.say(CAROL, "сам ты дурак")
    await w.say(BORIS, "ты т у п о й идиот")
    async with w.db.transaction() as s:
        [complaint_card] = await escalations.list_open(s, (await w.community()).id)
    await w.command(CAROL, "appeal")
    await w.command(ALICE, "report", reply_to=(complaint, CAROL, "Заказ не пришёл"))
    w.later(minutes=300)
    await w.dozor.remind_due()
    await w.flush()
    await w.press(BORIS, complaint_card.id, "approve")
    for name, args in [
        ("help", ""),
        ("status", ""),
        ("rules", ""),
        ("history", ""),
        ("stats", ""),
        ("queue", ""),
        ("top", ""),
        ("rule", "test Заходите в наше казино"),
        ("rule", "shadow kazino"),
        ("threshold", "spam 0.8"),
        ("warnings", ""),
        ("mod", "list"),
        ("answers", ""),
        ("autoreply", "list"),
        ("digest", "daily"),
        ("export", ""),
        ("nosuchcommand", ""),
    ]:
        await w.command(ALICE, name, args)

    said = [
        c.args.get("text") or c.args.get("caption") or ""
        for c in w.sim.calls
        if c.method in ("send_message", "edit_message", "answer_callback", "send_document")
    ]
    everything = "\n".join(said)
    for expected in (
        "ваше сообщение удалено: спам 1.00 ≥ 0.98 от новичка со ссылками",  # the engine's reason
        "ваше сообщение удалено: реклама казино",  # the admin's own words
        "правило «gruby»: «дурак»",  # a rule without a reason of its own
        "правило «proba» (в тени) убрало бы 1 сообщение",  # the shadow rule, judged
        "⚖️ передано модераторам (выполнено)",  # a card's action and status
        "✔️ Не спам — Boris",  # the card, decided
        "Статистика за 7 дней",
        f"📈 Сводка «{TITLE}»",
    ):
        assert expected in everything, expected
    version = w.dozor.ctx.engine.scorer.version  # a name, like the rules'
    english = {text: words for text in said if (words := english_words(text, (*NAMES, version)))}
    assert english == {}


@pytest.mark.parametrize(
    ("n", "form"), [(1, "1 сообщение"), (3, "3 сообщения"), (5, "5 сообщений"), (21, "21 сообщение")]
)
def test_russian_plurals_come_from_the_catalogue(n: int, form: str) -> None:
    assert plural("ru", n, "message") == form


def test_an_unknown_language_falls_back_to_russian() -> None:
    assert plural("de", 2, "day") == "2 дня"
