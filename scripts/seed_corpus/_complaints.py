# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Complaints as customers write them in comments, and neutral messages dressed the same way.

A complaint here is assembled from parts — what went wrong (order, delivery, money, refund,
waiting, support, price, quality, a broken promise), for how long, what it cost, what the writer
wants — and then dressed: a brand's name, an @mention, a #hashtag, a link to the order or the
shop, sarcasm, caps, no punctuation, one line or a paragraph. The neutral side (questions,
praise, news, plans) gets exactly the same dressing, so that links, brands and hashtags carry no
weight of their own: only what is said does.
"""

from __future__ import annotations

import random

BRANDS_RU = [
    "Озон",
    "Вайлдберриз",
    "Сбер",
    "Тинькофф",
    "МТС",
    "Билайн",
    "Мегафон",
    "Ростелеком",
    "СДЭК",
    "Почта России",
    "Яндекс Маркет",
    "Лента",
    "Пятёрочка",
    "ВкусВилл",
    "Самокат",
    "Додо",
    "М.Видео",
    "ДНС",
    "Леруа",
    "Аэрофлот",
    "РЖД",
    "Госуслуги",
    "ВТБ",
    "Альфа",
    "Теле2",
    "Дом.ру",
]
BRANDS_EN = ["Amazon", "FedEx", "UPS", "Comcast", "Verizon", "Uber", "PayPal", "eBay", "Ryanair", "Vodafone"]
HANDLES = [
    "ozon_ru",
    "wildberries",
    "sberbank",
    "tinkoff",
    "mts_russia",
    "beeline",
    "megafon",
    "rt_ru",
    "cdek_official",
    "pochtarossii",
    "yamarket",
    "dodo",
    "mvideo",
    "dns_shop",
    "rzd",
    "vtb",
    "alfabank",
]
DOMAINS = [
    "ozon.ru/order/{order}",
    "wildberries.ru/lk/myorders",
    "cdek.ru/track?order={order}",
    "pochta.ru/tracking#{order}",
    "market.yandex.ru/my/order/{order}",
    "dns-shop.ru/order/{order}",
    "mvideo.ru/my/orders",
    "mts.ru/personal",
    "youtu.be/{order}",
    "imgur.com/a/{order}",
    "disk.yandex.ru/i/{order}",
    "vk.com/wall-{order}_{order}",
    "t.me/c/{order}/{order}",
]

WHAT_RU = [
    "заказ {order} так и не доставили",
    "посылка застряла на сортировке {days}",
    "курьер не пришёл, хотя я ждал весь день",
    "деньги списали дважды",
    "возврат оформили {days} назад, деньги так и не пришли",
    "обещали перезвонить и тишина",
    "в поддержке отвечает бот и по кругу кидает одни и те же ответы",
    "интернет отваливается каждый вечер",
    "тариф подняли без предупреждения",
    "цены подняли в два раза, а качество упало",
    "привезли не тот товар",
    "товар пришёл бракованный, коробка мятая",
    "заказ отменили сами и деньги держат {days}",
    "в приложении висит статус «в пути» {days}",
    "на горячей линии {n} минут ждал ответа и сбросили",
    "списали абонентку за услугу, которую я не подключал",
    "кэшбэк так и не начислили",
    "обещали скидку, а на кассе пробили полную цену",
    "карту заблокировали без объяснения причин",
    "перевод завис и никто не может сказать где деньги",
    "доставку переносили уже {n} раза",
    "продали просроченное",
    "мастер не пришёл в назначенное время",
    "после ремонта стало только хуже",
    "на сайте одна цена, в корзине другая",
    "промокод не сработал, поддержка разводит руками",
    "поезд задержали на {n} часа и никто ничего не объяснил",
    "рейс отменили, а деньги вернуть отказываются",
    "в пункте выдачи нахамили",
    "посылку вскрыли, половины нет",
    "связь пропадает прямо в центре города",
    "заявку закрыли, ничего не сделав",
    "ответили шаблоном и закрыли обращение",
    "неделю не могу войти в личный кабинет",
]
WAIT_RU = [
    "уже {days}",
    "{days}",
    "третий раз за месяц",
    "с прошлой пятницы",
    "с начала месяца",
    "который день",
    "",
]
DAYS_RU = [
    "две недели",
    "месяц",
    "{n} дней",
    "неделю",
    "третью неделю",
    "полтора месяца",
    "{n} часов",
    "с понедельника",
]
WANT_RU = [
    "Верните деньги.",
    "Разберитесь уже.",
    "Жду ответа по существу.",
    "Когда это закончится?",
    "Требую компенсацию.",
    "Кто за это ответит?",
    "Прошу связаться со мной.",
    "Больше у вас не закажу.",
    "Буду писать в Роспотребнадзор.",
    "Верните мои деньги наконец",
    "Ответьте хоть кто-нибудь",
    "Сколько можно ждать?",
    "Это вообще нормально?",
    "Очень разочарована.",
    "Отвратительный сервис.",
    "Позорище.",
    "Ну и кто так работает?",
    "",
]
SARCASM_RU = [
    "Спасибо, {brand}, отличный сервис, ничего не скажешь.",
    "Браво, {brand}, вы превзошли себя.",
    "Ну спасибо, {brand}, удружили.",
    "Обожаю {brand}, каждый раз новое приключение.",
    "{brand} как всегда на высоте 👏",
    "Лучший сервис года, конечно.",
    "Класс, просто класс.",
]
OPEN_RU = [
    "",
    "",
    "",
    "Здравствуйте. ",
    "Добрый день! ",
    "{brand}, ",
    "Уважаемый {brand}, ",
    "Люди, ",
    "Вопрос к {brand}: ",
    "Хочу пожаловаться. ",
    "Это уже не смешно. ",
    "Опять двадцать пять. ",
    "Ну что такое опять. ",
]

WHAT_EN = [
    "my order {order} never arrived",
    "I was charged twice",
    "the refund still hasn't come after {days}",
    "support keeps sending the same copy-paste answer",
    "the courier marked it delivered but nothing came",
    "you raised the price and the service got worse",
    "the item arrived broken",
    "the internet drops every evening",
    "I waited {n} minutes on the hotline and got cut off",
    "my card was blocked for no reason",
    "my flight was cancelled and you refuse to refund",
    "the promo code didn't work and nobody helps",
    "the app shows 'in transit' for {days}",
    "you promised a call back {days} ago",
]
DAYS_EN = ["two weeks", "a month", "{n} days", "a week", "three weeks", "{n} hours"]
WANT_EN = [
    "Refund me.",
    "Sort it out.",
    "Is anyone there?",
    "Unacceptable.",
    "Never again.",
    "I want my money back",
    "Please fix this",
    "Thanks for nothing.",
    "Disappointed.",
    "",
]
SARCASM_EN = [
    "Great job, {brand}.",
    "Thanks a lot, {brand}, really.",
    "Love how {brand} never answers.",
    "Amazing service as always 🙄",
]

NEUTRAL_RU = [
    "заказ {order} пришёл вовремя, спасибо",
    "подскажите, как отследить посылку",
    "доставка приехала раньше срока",
    "поддержка быстро помогла, всё решили",
    "где ближайший пункт выдачи?",
    "какой тариф посоветуете для дачи?",
    "сегодня скидки на технику, кто-нибудь уже смотрел?",
    "оформила возврат, деньги пришли за день",
    "курьер вежливый, всё аккуратно",
    "а доставка в область есть?",
    "во сколько открывается отделение?",
    "обновили приложение, стало удобнее",
    "кэшбэк начислили, приятно",
    "перевод дошёл мгновенно",
    "мастер пришёл вовремя, всё сделал",
    "заказала на распродаже, жду",
    "цены нормальные, качество хорошее",
    "можно ли оплатить при получении?",
    "поменяли тариф, интернет стал быстрее",
    "посылка в пути, жду к пятнице",
    "подскажите номер горячей линии",
    "вот ссылка на акцию, вдруг кому надо",
    "купил по промокоду, всё сработало",
    "поезд пришёл минута в минуту",
    "рейс перенесли, но предупредили заранее и всё вернули",
]
NEUTRAL_EN = [
    "my order {order} arrived on time, thanks",
    "how do I track a parcel?",
    "support sorted it out quickly",
    "is there delivery to my area?",
    "the refund came in a day, thanks",
    "the new app update is nice",
    "here is the link to the sale in case anyone needs it",
    "what time do you open on Sunday?",
]
PRAISE_RU = ["Спасибо, {brand}!", "{brand}, вы молодцы.", "Рекомендую {brand}.", "Всё отлично.", ""]
PRAISE_EN = ["Thanks, {brand}!", "Good job, {brand}.", ""]


def _n(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(2, 9), rng.randint(10, 40)]))


def _order(rng: random.Random) -> str:
    return str(rng.randint(1000, 99999999))


def _fill(text: str, rng: random.Random, brand: str) -> str:
    while "{" in text:
        text = (text.replace("{days}", rng.choice(DAYS_RU if not text.isascii() else DAYS_EN), 1)
                .replace("{brand}", brand, 1).replace("{n}", _n(rng), 1).replace("{order}", _order(rng), 1))  # fmt: skip
    return text


def _dress(text: str, rng: random.Random, brand: str, ru: bool) -> str:
    """Brand, mention, hashtag, link, caps, punctuation: the same for complaints and neutral text."""
    r = rng.random()
    if r < 0.15:
        text = f"{text} @{rng.choice(HANDLES)}"
    elif r < 0.3:
        text = f"{text} #{brand.replace(' ', '').replace('.', '').lower()}"
    elif r < 0.45:
        text = f"{text} {rng.choice(['https://', 'http://', 'www.', ''])}{_fill(rng.choice(DOMAINS), rng, brand)}"
    elif r < 0.55:
        text = f"@{rng.choice(HANDLES)} {text}"
    s = rng.random()
    if s < 0.25:  # no punctuation, all lower case
        text = "".join(ch for ch in text if ch not in ".,!?«»:;").lower()
    elif s < 0.33:
        text = text.upper()
    elif s < 0.4:
        text = text + rng.choice(["!!!", "!!", "?!", " 😡", " 🤬", " 🙄", "...", " ((("])
    return " ".join(text.split())


def complaints(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Civil complaints in the forms customers use (no insults: those are toxicity)."""
    out = []
    for i in range(n_ru + n_en):
        ru = i < n_ru
        brand = rng.choice(BRANDS_RU if ru else BRANDS_EN)
        if ru:
            opener = rng.choice(OPEN_RU)
            what = rng.choice(WHAT_RU)
            parts = [opener + (what.capitalize() if not opener or opener.endswith((". ", "! ")) else what)]
            wait = rng.choice(WAIT_RU)
            if wait and rng.random() < 0.4:
                parts[0] += f" {wait}"
            if rng.random() < 0.35:  # a paragraph: a second grievance
                parts.append(rng.choice(["И ещё ", "Плюс ", "А ещё ", "Вдобавок ", ""]) + rng.choice(WHAT_RU))
            if rng.random() < 0.3:
                parts.insert(0 if rng.random() < 0.5 else len(parts), rng.choice(SARCASM_RU))
            parts.append(rng.choice(WANT_RU))
        else:
            parts = [rng.choice(["", "Hey {brand}, ", "{brand}: "]) + rng.choice(WHAT_EN).capitalize()]
            if rng.random() < 0.25:
                parts.insert(0, rng.choice(SARCASM_EN))
            parts.append(rng.choice(WANT_EN))
        text = _fill(". ".join(p.rstrip(".") for p in parts if p).replace("?.", "?"), rng, brand)
        out.append(_dress(text, rng, brand, ru))
    return out


def neutral(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Questions, praise and chatter about the same brands, dressed the same way."""
    out = []
    for i in range(n_ru + n_en):
        ru = i < n_ru
        brand = rng.choice(BRANDS_RU if ru else BRANDS_EN)
        body = rng.choice(NEUTRAL_RU if ru else NEUTRAL_EN).capitalize()
        if rng.random() < 0.3:
            body = rng.choice(["{brand}, ", "Вопрос к {brand}: " if ru else "{brand}: "]) + body
        if rng.random() < 0.3:
            body += ". " + rng.choice(PRAISE_RU if ru else PRAISE_EN)
        out.append(_dress(_fill(body.replace("?.", "?"), rng, brand), rng, brand, ru))
    return out
