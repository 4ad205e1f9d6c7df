# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Ordinary sentences built on the frame words of the hostile toxic templates (ok class).

Twins (``_twins.py``) neutralise a toxic template's frame by filling it with harmless words, but a
frame that stays hostile whatever the filler ("Вот честно, …", "опять …", "как всегда …", "таких …
надо", "мне не нравится …", "кто это снимал") gets no twin, so the head learnt its frame words
themselves as toxic and scored ordinary comments that use them ("Опять дождь" 0.50, 0.30 with these
rows). These are plain, everyday sentences with those words, written for this project.
"""

from __future__ import annotations

import random

import _forum
from _common import distinct, fill

FRAME_OK = [
    "Вот честно, {it} {fact}.", "Вот честно, не знаю. Надо {act}.", "Опять {it} {fact}, ну что поделать.", "Опять дождь, опять пробки.",
    "Как всегда, {it} {fact}.", "Как всегда, всё в последний момент: надо {act}.", "{who} думает, что {it} {fact}.",
    "Он думает, что надо {act}.", "И надо ещё {act}, я забыл.", "Таких {it_pl} сейчас мало, берегите.", "Таких цен я давно не видел.",
    "У тебя {it} {fact}? У меня тоже.", "У тебя получилось {act}?", "Мне не нравится {it}, но жена довольна.", "Мне не нравится, что {it} {fact}.",
    "Что за {it}? Где взять?", "Что за модель, подскажите?", "Кто это снимал? Очень красиво.", "Кто это рисовал? Здорово.",
    "Было бы неплохо {act}.", "Было бы время — {act}.", "Его {it} {fact}, а мой нет.", "Его все уважают, он мастер.",
    "Одни плюсы: {it} {fact}.", "Там одни пенсионеры и дети, все вежливые.", "Это норма, {it} всегда {fact}.", "Свою машину я {act_past}.",
    "Чтоб не забыть: надо {act}.", "Читать было интересно, спасибо за пост.", "Пост отличный, {it} {fact}.", "Админ, закрепите пост, пожалуйста.",
    "Всё ясно, спасибо. Пойду {act}.", "Всё ясно, {it} {fact}.", "Проблемы были только с {it_ins}.", "А ты {act_past}?", "А ты как думаешь?",
    "Ноги устали, весь день ходили.", "Со мной то же самое было.", "Со временем {it} {fact}.", "Всегда так: {it} {fact}.",
    "Ну и хорошо, что {it} {fact}.", "За такое спасибо, очень помогло.", "Минус один вопрос: {it} {fact}.", "В треде уже ответили: надо {act}.",
]
SLOTS = {
    **_forum.PLAIN_SLOTS,
    "it_pl": ["мастеров", "соседей", "учителей", "врачей", "домов", "машин", "книг", "фильмов", "магазинов", "специалистов"],
    "it_ins": ["доставкой", "документами", "машиной", "ремонтом", "банком", "соседями", "погодой", "билетами", "интернетом"],
    "act_past": ["продал в прошлом году", "отдал брату", "починил сам", "поменял на новую", "поставил в гараж", "помыл вчера"],
}


def frame_ok(rng: random.Random, n: int) -> list[str]:
    """One frame sentence, sometimes followed by a plain-prose sentence."""

    def one() -> str:
        text = fill(rng.choice(FRAME_OK), rng, SLOTS)
        if rng.random() < 0.4:
            text = f"{text} {fill(rng.choice(_forum.PLAIN_SLOTS['plain_ok']), rng, SLOTS)}"
        return text.lower() if rng.random() < 0.3 else text

    return distinct(one, n)
