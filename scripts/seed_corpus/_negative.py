# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Negativity: civil dissatisfaction that deserves an answer (complaints), and its neutral twin."""

from __future__ import annotations

import random

from _common import decorate, generate, number

SLOTS = {
    "n": number(2, 30),
    "days_ru": ["две недели", "три недели", "месяц", "{n} дней", "неделю", "полтора месяца", "10 дней",
                "больше месяца", "пять дней", "уже долго"],
    "item_ru": ["заказ", "посылка", "товар", "доставка", "возврат", "мой заказ", "курьер", "сертификат",
                "подарок", "документы", "карта", "пропуск"],
    "product_ru": ["чайник", "телефон", "пылесос", "товар", "наушники", "куртка", "кофемашина", "фен",
                   "утюг", "зарядка", "ноутбук", "кроссовки", "игрушка", "шкаф", "матрас", "блендер"],
    "break_ru": ["сломался через {n} дней", "перестал включаться", "пришёл разбитым", "пришёл не того цвета",
                 "не работает из коробки", "оказался бракованным", "сломался после первого использования",
                 "пришёл без комплектующих", "протекает", "сильно греется", "пахнет химией", "порвался",
                 "не соответствует описанию", "пришёл б/у", "не заряжается"],
    "support_ru": ["поддержка", "служба поддержки", "оператор", "менеджер", "горячая линия", "чат поддержки",
                   "администрация", "магазин", "продавец", "курьерская служба", "банк", "провайдер",
                   "управляющая компания", "клиника", "сервисный центр"],
    "ignore_ru": ["не отвечает", "не отвечает уже {days_ru}", "молчит", "игнорирует мои сообщения",
                  "кормит обещаниями", "отвечает шаблонами", "бросает трубку", "переводит на других",
                  "ничего не делает", "обещает перезвонить и не перезванивает", "отписывается"],
    "staff_ru": ["продавец", "кассир", "курьер", "администратор", "менеджер", "охранник", "официант",
                 "оператор", "водитель", "врач", "мастер"],
    "rude_ru": ["нахамил", "грубо ответил", "разговаривал очень грубо", "был очень невежлив",
                "повысил голос", "отказался помочь", "проигнорировал", "вёл себя неуважительно",
                "даже не поздоровался", "накричал на ребёнка"],
    "feel_ru": ["Очень разочарован.", "Очень расстроена.", "Это неприемлемо.", "Я в шоке.", "Обидно.",
                "Больше к вам не приду.", "Крайне недоволен.", "Так нельзя работать.", "Верните деньги.",
                "Разберитесь, пожалуйста.", "Прошу принять меры.", "Жду ответа.", "Сколько можно?",
                "Это уже не первый раз.", "Просто ужасно.", "Печально.", "Очень неприятно.", ""],
    "money_ru": ["деньги", "{n}00 рублей", "оплату", "предоплату", "{n} тысяч", "деньги за заказ"],
    "service_ru": ["сервис", "обслуживание", "качество", "интернет", "приложение", "сайт", "доставка",
                   "связь", "отопление", "лифт", "уборка", "ремонт"],
    "bad_ru": ["ужасный", "отвратительный", "очень плохой", "хуже некуда", "разочаровывающий", "никакой",
               "кошмарный", "паршивый", "плохой"],
    # English
    "item_en": ["my order", "the package", "my refund", "the delivery", "my parcel", "the replacement"],
    "product_en": ["kettle", "phone", "vacuum", "headphones", "jacket", "laptop", "charger", "blender", "shoes"],
    "break_en": ["broke after {n} days", "arrived damaged", "stopped working", "doesn't turn on",
                 "is not as described", "arrived with missing parts", "is defective"],
    "support_en": ["support", "customer service", "the help desk", "the seller", "the shop", "your team"],
    "ignore_en": ["never answers", "ignores my emails", "keeps sending template replies",
                  "hasn't replied in {n} days", "keeps promising a call back", "closed my ticket without fixing it"],
    "feel_en": ["Very disappointed.", "This is unacceptable.", "Please sort this out.", "I want my money back.",
                "Not happy at all.", "Really frustrating.", "I expected better.", ""],
}

NEG_RU = [
    "{item_ru} не пришёл уже {days_ru}. {feel_ru}", "{item_ru} не пришла уже {days_ru}, {support_ru} {ignore_ru}.",
    "Где мой {item_ru}? Жду {days_ru}. {feel_ru}", "{support_ru} {ignore_ru}. {feel_ru}",
    "Пишу в {support_ru} уже {days_ru}, {ignore_ru}. {feel_ru}", "Купил {product_ru}, он {break_ru}. {feel_ru}",
    "{product_ru} {break_ru}, хочу вернуть. {feel_ru}", "Верните {money_ru}, {item_ru} так и не пришёл.",
    "Оформил возврат {days_ru} назад, {money_ru} до сих пор не вернули. {feel_ru}",
    "{staff_ru} {rude_ru}. {feel_ru}", "Вчера {staff_ru} {rude_ru}, это нормально вообще?",
    "{bad_ru} {service_ru}, {feel_ru}", "{service_ru} не работает уже {days_ru}. {feel_ru}",
    "Почему {support_ru} {ignore_ru}? {feel_ru}", "Списали {money_ru} дважды, а {support_ru} {ignore_ru}.",
    "Заказывала {product_ru}, пришёл другой товар. {feel_ru}", "Третий раз пишу, проблема не решена. {feel_ru}",
    "{service_ru} становится всё хуже. {feel_ru}", "Курьер не приехал, весь день прождала. {feel_ru}",
    "Отменили мой заказ без объяснений. {feel_ru}", "Обещали доставку {days_ru} назад. {feel_ru}",
    "Качество {product_ru} ужасное, {product_ru} {break_ru}. {feel_ru}",
    "Мне так и не перезвонили, хотя обещали. {feel_ru}", "Цены подняли, а {service_ru} хуже. {feel_ru}",
    "Неделю не могу дозвониться на {support_ru}. {feel_ru}", "Приложение постоянно вылетает, {feel_ru}",
    "После обновления {service_ru} не работает. {feel_ru}", "Заплатил {money_ru}, а услугу не оказали. {feel_ru}",
    "Хочу пожаловаться: {staff_ru} {rude_ru}.", "Недоволен работой {support_ru}: {ignore_ru}.",
    "Очередь {n} человек и одна касса работает. {feel_ru}", "Почему опять нет горячей воды? {feel_ru}",
]
NEG_EN = [
    "{item_en} hasn't arrived after {n} days. {feel_en}", "{support_en} {ignore_en}. {feel_en}",
    "My {product_en} {break_en}. {feel_en}", "I still haven't received {item_en}. {feel_en}",
    "The staff was rude to me at the store. {feel_en}", "I was charged twice and {support_en} {ignore_en}.",
    "Where is {item_en}? It's been {n} days. {feel_en}", "Terrible service, {feel_en}",
    "I requested a refund {n} days ago and nothing happened. {feel_en}", "The app keeps crashing. {feel_en}",
]
MORE_SLOTS = {
    "paid_ru": ["Оплатил подписку", "Оплатила заказ", "Перевёл предоплату", "Купил курс", "Продлил тариф", "Оплатил доставку",
                "Заплатил за ремонт", "Внёс депозит"],
    "broken_ru": ["а доступ так и не открыли", "а ничего не работает", "а заказ так и не собрали", "а чек не пришёл",
                  "а мастер так и не приехал", "а услугу не оказали", "а деньги зависли", "а статус не меняется неделю"],
    "again_ru": ["снова не грузится", "опять вылетает", "третий день не работает", "постоянно зависает",
                 "не открывается после обновления", "выдаёт ошибку при оплате", "не принимает карту", "тормозит ужасно"],
    "app_ru": ["Ваше приложение", "Сайт", "Личный кабинет", "Терминал", "Касса самообслуживания", "Бот", "Интернет", "Роутер от вас"],
    "tired_ru": ["уже надоело", "сколько можно", "это издевательство", "нет слов", "руки опускаются", "устала ждать",
                 "очень неудобно", "так невозможно пользоваться", ""],
    "house_ru": ["в подъезде опять не убрано", "лифт не работает третий день", "мусор не вывозят неделю",
                 "во дворе не чистят снег", "в квартире холодно, батареи еле тёплые", "опять отключили воду без предупреждения",
                 "в подвале течёт труба", "на площадке не горит свет"],
    "bad_event_ru": ["мне продали просроченный {food_ru}", "курьер опоздал на {n} часа", "на кассе обсчитали",
                     "потеряли мою посылку", "перепутали заказ", "сломали {product_ru} при доставке",
                     "привезли не тот размер", "в пиццерии забыли половину заказа", "мастер испортил {product_ru}",
                     "в банке списали комиссию без предупреждения", "такси так и не приехало", "рейс задержали на {n} часов"],
    "food_ru": ["творог", "йогурт", "хлеб", "сыр", "кефир", "торт", "салат", "мясо"],
    "outrage_ru": ["это безобразие", "и даже не извинились", "куда смотрит руководство?", "позор", "больше ни ногой",
                   "требую компенсацию", "очень обидно", "никто не отвечает", "жалобу уже написал", "деньги не вернули"],
    "bad_event_en": ["my package is lost", "the courier was three hours late", "they sold me expired milk",
                     "I was overcharged at the till", "the order was mixed up", "the taxi never came", "my flight was delayed"],
    "outrage_en": ["and nobody can tell me where it is", "and no one apologised", "this is a disgrace", "I want compensation",
                   "and support keeps ignoring me", "never again"],
    "times_ru": ["три раза", "уже пятый раз", "несколько раз", "каждый день", "дважды", "много раз"],
    "times_en": ["four times", "three times", "twice", "every day this week", "several times"],
    "chan_en": ["emailed you", "called your hotline", "messaged support", "filled in the form", "opened a ticket"],
    "issue_en": ["my broken washing machine", "the missing refund", "the wrong item", "my cancelled booking",
                 "the double charge", "my account being locked", "the late delivery"],
}
NEG_RU += [
    "{paid_ru}, {broken_ru}. {feel_ru}", "{paid_ru}, {broken_ru}", "{app_ru} {again_ru}, {tired_ru}",
    "Почему {house_ru}? {feel_ru}", "Соседи, {house_ru}, управляющая компания не отвечает", "{house_ru}, {tired_ru}",
    "Звонил {times_ru}, {support_ru} {ignore_ru}", "Пишу {times_ru}, а воз и ныне там. {feel_ru}",
    "Третью неделю жду {item_ru}, никто ничего не объясняет", "{app_ru} {again_ru}. {feel_ru}",
    "{bad_event_ru}, {outrage_ru}", "Вчера {bad_event_ru}. {outrage_ru}", "{bad_event_ru}. {feel_ru}",
    "Представляете, {bad_event_ru}, {outrage_ru}",
]
NEG_EN += [
    "I've {chan_en} {times_en} about {issue_en} and nobody replies", "Still waiting on {issue_en}. {feel_en}",
    "The courier was rude and threw the box at my door", "Your app keeps crashing when I pay. {feel_en}",
    "I paid for the subscription but still have no access. {feel_en}", "I've {chan_en} {times_en}, still no answer",
    "{bad_event_en} {outrage_en}", "{bad_event_en}. {feel_en}",
]
NEUTRAL_RU = [
    "Во сколько открывается магазин?", "Оплатил подписку, всё открылось, спасибо", "Когда будет новая коллекция?",
    "Подскажите, как продлить тариф?", "А приложение есть для айфона?", "Можно оплатить переводом?",
    "Уборку в подъезде сделали, спасибо", "Лифт починили, благодарим управляющую компанию",
    "Как отследить {item_ru}?", "Подскажите, сколько идёт {item_ru} до {n} числа?",
    "Спасибо, {item_ru} пришёл вовремя!", "{product_ru} отличный, всем советую", "{support_ru} быстро помогла, спасибо",
    "Можно ли оплатить картой при получении?", "Какие у вас часы работы?", "Есть ли доставка в область?",
    "Получил {product_ru}, всё работает, спасибо", "Хочу заказать {product_ru}, есть в наличии?",
    "А гарантия на {product_ru} какая?", "{staff_ru} был очень вежлив, приятно", "Отличный {service_ru}!",
    "Где можно забрать {item_ru}?", "Как оформить возврат, если не подошёл размер?",
    "Спасибо за быстрый ответ", "Всё получил, претензий нет", "Подскажите номер поддержки, пожалуйста",
    "Хороший магазин, закажу ещё", "Цены нормальные, качество тоже", "А когда будет новая партия?",
]
NEUTRAL_EN = [
    "I emailed you about my order and got a quick reply, thanks", "Is the app available on Android?",
    "Can I pay by bank transfer?", "What time do you open on Sunday?",
    "How can I track {item_en}?", "Thanks, {item_en} arrived on time!", "Great {product_en}, works perfectly",
    "{support_en} helped me quickly, thank you", "Do you ship abroad?", "What are your opening hours?",
    "Is the {product_en} in stock?", "How do I request a return if it doesn't fit?",
]


def negative_texts(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Generated civil complaints."""

    def style(text: str, r: random.Random) -> str:
        text = decorate(text, r, shouty=0.03, emoji=0.05)
        return text.lower() if r.random() < 0.3 else text

    slots = {**SLOTS, **MORE_SLOTS}
    return generate(NEG_RU, slots, rng, n_ru, style=style) + generate(NEG_EN, slots, rng, n_en, style=style)


def neutral_texts(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Generated customer questions and praise (not complaints)."""

    def style(text: str, r: random.Random) -> str:
        text = decorate(text, r, shouty=0.0, emoji=0.1)
        return text.lower() if r.random() < 0.3 else text

    return generate(NEUTRAL_RU, SLOTS, rng, n_ru, style=style) + generate(
        NEUTRAL_EN, SLOTS, rng, n_en, style=style
    )


HANDWRITTEN = [
    "Заказ не пришёл уже две недели, а поддержка молчит",
    "Support never answers, I've been waiting for a week",
    "Деньги списали, а заказ отменили. Когда вернут?",
    "Очень жаль, что так получилось, рассчитывали на вас",
    "Мне нагрубили на кассе, хотелось бы извинений",
    "Товар пришёл с браком, прошу заменить",
    "Уже третий раз переносят доставку",
    "Интернет пропадает каждый вечер, сколько можно",
    "I want a refund, the product is broken",
    "Your courier left the parcel in the rain",
]
