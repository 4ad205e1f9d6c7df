# ruff: noqa: E501  (a message catalogue: one message per line reads best)
"""Messages of the web workspace and of the subscriber's appeal links, in Russian and English
(merged into ``handlers.i18n``)."""

from __future__ import annotations

WEB: dict[str, tuple[str, str]] = {
    # /web in the moderators' chat
    "web_off": (
        "Рабочее место в браузере не настроено: оператор задаёт DOZOR_WEB_URL.",
        "The web workspace is not set up: the operator sets DOZOR_WEB_URL.",
    ),
    "web_sent": (
        "{name}, ссылка для входа отправлена вам в личные сообщения (одноразовая, действует {minutes} мин).",
        "{name}, a sign-in link is in your private messages (one use, works for {minutes} min).",
    ),
    "web_link": (
        "Рабочее место Dozor: {url}\nСсылка одноразовая и действует {minutes} мин. Никому её не пересылайте.",
        "Dozor's workspace: {url}\nThe link works once, for {minutes} min. Do not forward it.",
    ),
    "web_undelivered_telegram": (
        "{name}, не могу написать вам в личные сообщения: откройте чат с ботом @{bot}, нажмите «Старт» и наберите /web здесь ещё раз.",
        "{name}, I cannot write to you privately: open the chat with @{bot}, press Start, then type /web here again.",
    ),
    "web_undelivered_vk": (
        "{name}, не могу написать вам в личные сообщения: разрешите сообщения от сообщества (страница сообщества → «Написать сообщение» или «Разрешить сообщения») и наберите /web здесь ещё раз.",
        "{name}, I cannot write to you privately: allow messages from the community (the community's page → Message / Allow messages), then type /web here again.",
    ),
    "web_undelivered": (
        "{name}, не могу написать вам в личные сообщения ({error}). Напишите мне лично и наберите /web там.",
        "{name}, I cannot write to you privately ({error}). Write to me privately and type /web there.",
    ),
    "web_button": ("Открыть рабочее место", "Open the workspace"),
    # the subscriber's appeal
    "appeal_button": ("Обжаловать", "Appeal"),
    "appeal_page_line": ("Обжаловать: {url}", "Appeal: {url}"),
    "ban_comment": ("Решение можно обжаловать: {url}", "You can appeal this decision: {url}"),
}
