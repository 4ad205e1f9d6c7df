# ruff: noqa: E501  (a message catalogue: one message per line reads best)
"""The message catalogue: everything Dozor says in chats, in Russian and English.

``t(lang, key, **values)`` formats one message; unknown languages fall back to Russian, the
project's default. Keys are grouped by the use case that says them.
"""

from __future__ import annotations

from handlers.i18n_smm import SMM
from handlers.i18n_web import WEB

LANGUAGES = ("ru", "en")

HELP_EN = """Dozor commands (admins unless noted):
/status — model, rules, mode, moderators' chat
/rules — list rules; /rules NAME — show one
/rule add <YAML> — add or replace a rule (or reply to a message with YAML)
/rule remove NAME · /rule shadow NAME · /rule enforce NAME
/rule test <text> — what Dozor would decide, acting on nothing
/threshold spam|toxicity|negativity <0..1>
/warnings — the ladder; /warnings set 1=warn 2=mute:1h 3=ban [ttl=30d]
/autoreply add <trigger> -> <answer> · /autoreply list · /autoreply remove <trigger>
/modchat — link a moderators' chat (a one-time code; type /modchat CODE there)
/mod add [delete-only] · /mod remove · /mod list — moderators (as a reply, or a user id)
/dryrun on|off · /lang ru|en
/ban, /mute [30m|1h|1d], /warn, /unban, /unmute — as a reply
/history [user] · /stats [days] · /export [days]
/answers · /answers add NAME -> text · /answers del NAME · /answers quick NAME [off]
/queue — what still waits for an answer (reply to a card to answer in the community)
/top [days] · /giveaway [winners=1] [days=7] [min=1] [post=ID] [joined_before=DATE] · /giveaway proof N
/digest weekly|daily|off — a digest with a chart in the moderators' chat
/welcome TEXT|off · /joincheck MINUTES|off · /raid on|off
Everyone: /report (as a reply) · /appeal [case id]"""

HELP_RU = """Команды Dozor (для админов, если не сказано иначе):
/status — модель, правила, режим, чат модераторов
/rules — список правил; /rules ИМЯ — показать одно
/rule add <YAML> — добавить или заменить правило (или ответом на сообщение с YAML)
/rule remove ИМЯ · /rule shadow ИМЯ · /rule enforce ИМЯ
/rule test <текст> — что решил бы Dozor, ничего не делая
/threshold spam|toxicity|negativity <0..1>
/warnings — лестница; /warnings set 1=warn 2=mute:1h 3=ban [ttl=30d]
/autoreply add <триггер> -> <ответ> · /autoreply list · /autoreply remove <триггер>
/modchat — привязать чат модераторов (одноразовый код; там наберите /modchat КОД)
/mod add [delete-only] · /mod remove · /mod list — модераторы (ответом или id пользователя)
/dryrun on|off · /lang ru|en
/ban, /mute [30m|1h|1d], /warn, /unban, /unmute — ответом на сообщение
/history [пользователь] · /stats [дни] · /export [дни]
/answers · /answers add ИМЯ -> текст · /answers del ИМЯ · /answers quick ИМЯ [off]
/queue — что ещё ждёт ответа (ответьте на карточку, чтобы ответить в сообществе)
/top [дни] · /giveaway [winners=1] [days=7] [min=1] [post=ID] [joined_before=ДАТА] · /giveaway proof N
/digest weekly|daily|off — сводка с графиком в чат модераторов
/welcome ТЕКСТ|off · /joincheck МИНУТЫ|off · /raid on|off
Для всех: /report (ответом) · /appeal [номер случая]"""

_CATALOGUE: dict[str, tuple[str, str]] = {
    # general
    "help": (HELP_RU, HELP_EN),
    "unknown_command": ("Не знаю команду /{name}.\n\n" + HELP_RU, "I don't know /{name}.\n\n" + HELP_EN),
    "not_admin": (
        "Эта команда только для администраторов сообщества.",
        "Sorry, only the community's admins can use this command.",
    ),
    "need_reply": ("Отправьте /{name} ответом на сообщение.", "Send /{name} as a reply to a message."),
    "usage": ("Как использовать: {usage}", "Usage: {usage}"),
    "no_community": (
        "Этот чат не привязан ни к одному сообществу. Привяжите его: /modchat в сообществе.",
        "This chat is not linked to a community. Link it: type /modchat in the community.",
    ),
    "status": (
        "Модель: {model}\nПравил: {rules} (в тени: {shadow})\nРежим: {mode}\nЧат модераторов: {modchat}",
        "Model: {model}\nRules: {rules} (shadow: {shadow})\nMode: {mode}\nModerators' chat: {modchat}",
    ),
    "mode_dry": ("пробный (только запись)", "dry run (record only)"),
    "mode_live": ("боевой", "live"),
    "none": ("нет", "none"),
    "lang_set": ("Теперь отвечаю по-русски.", "I will answer in English now."),
    "dryrun_on": ("Пробный режим включён: решения записываются, но не выполняются.",
                  "Dry run is on: decisions are recorded, nothing is done on the platform."),
    "dryrun_off": ("Пробный режим выключен: Dozor действует.", "Dry run is off: Dozor acts."),
    # rules
    "rules_empty": ("Правил пока нет. Добавьте: /rule add …", "No rules yet. Add one: /rule add …"),
    "rules_head": ("Правила:", "Rules:"),
    "rule_added": ("Правило «{name}» сохранено (версия {version}, {mode}).",
                   "Rule '{name}' saved (version {version}, {mode})."),
    "rule_removed": ("Правило «{name}» удалено.", "Rule '{name}' removed."),
    "rule_missing": ("Нет правила «{name}». Список: /rules", "There is no rule '{name}'. See /rules"),
    "rule_invalid": ("Правило не принято: {error}", "The rule was not accepted: {error}"),
    "rule_one": ("Добавляйте по одному правилу за раз (найдено {count}).",
                 "Add one rule at a time ({count} found)."),
    "rule_mode": ("Правило «{name}» теперь в режиме {mode}.", "Rule '{name}' is now in {mode} mode."),
    "rule_test": ("Решение: {verdict}\nБаллы: спам {spam:.2f}, токсичность {toxicity:.2f}, негатив {negativity:.2f}",
                  "Verdict: {verdict}\nScores: spam {spam:.2f}, toxicity {toxicity:.2f}, negativity {negativity:.2f}"),
    "threshold_set": ("Порог {label}: {value:.2f}.", "The {label} threshold is {value:.2f}."),
    "warnings": ("Лестница предупреждений: {ladder}\nПредупреждение живёт {ttl}.",
                 "Warning ladder: {ladder}\nA warning lasts {ttl}."),
    "warnings_set": ("Лестница сохранена: {ladder}; срок {ttl}.", "Ladder saved: {ladder}; warnings last {ttl}."),
    # auto-replies
    "autoreply_added": ("Автоответ на «{trigger}» сохранён.", "Auto-reply to '{trigger}' saved."),
    "autoreply_removed": ("Автоответ на «{trigger}» удалён.", "Auto-reply to '{trigger}' removed."),
    "autoreply_missing": ("Нет автоответа на «{trigger}».", "There is no auto-reply to '{trigger}'."),
    "autoreply_empty": ("Автоответов нет.", "No auto-replies."),
    # moderators' chat
    "modchat_code": (
        "Код привязки: {code}\nНаберите в чате модераторов: /modchat {code}\nКод действует {minutes} мин.",
        "Link code: {code}\nType in the moderators' chat: /modchat {code}\nThe code works for {minutes} min.",
    ),
    "modchat_linked": ("Этот чат теперь чат модераторов «{title}».", "This chat now moderates '{title}'."),
    "modchat_bad_code": ("Код неверный или истёк. Получите новый: /modchat в сообществе.",
                         "The code is wrong or expired. Get a new one: /modchat in the community."),
    # manual actions
    "manual_done": ("{action}: {name}. Случай #{case}.", "{action}: {name}. Case #{case}."),
    "manual_admin": ("Нельзя применить это к администратору.", "That cannot be done to an admin."),
    "bad_duration": ("Не понял срок «{value}»: пишите 30m, 1h, 7d.", "Bad duration '{value}': write 30m, 1h, 7d."),
    "warned": ("{name}, вам предупреждение ({count}). Причина: {reason}",
               "{name}, this is a warning ({count}). Reason: {reason}"),
    # history, stats, export
    "history_empty": ("Случаев нет.", "No cases."),
    "history_head": ("Последние случаи{who}:", "Latest cases{who}:"),
    "export_caption": ("Случаи за {days} дн.: {count}", "Cases of the last {days} days: {count}"),
    "file_in_modchat": ("📎 Файл отправлен в чат модераторов.", "📎 The file is in the moderators' chat."),
    "file_needs_modchat": (
        "/{command} присылает файл, а под постами VK файлы не публикуются: привяжите чат модераторов "
        "(/modchat) и наберите команду там.",
        "/{command} sends a file, and VK takes no files under posts: link a moderators' chat "
        "(/modchat) and type the command there.",
    ),
    # subscribers
    # Dozor's own standing in a chat
    "right_delete": ("удалять сообщения", "delete messages"),
    "right_restrict": ("блокировать участников", "ban users"),
    "bot_needs_rights": ("Чтобы модерировать этот чат, мне нужны права администратора: {rights}. "
                         "Выдайте их в настройках чата → Администраторы.",
                         "To moderate this chat I need admin rights to: {rights}. "
                         "Grant them in the chat settings → Administrators."),
    "bot_ready": ("Dozor на посту: удаляю спам и оскорбления, жалобы передаю модераторам. /help — команды.",
                  "Dozor is on watch: spam and abuse are removed, complaints go to the moderators. /help lists the commands."),
    # the moderator list
    "mod_added": ("{name} теперь модератор: может удалять, мутить и банить.",
                  "{name} is now a moderator: may delete, mute and ban."),
    "mod_added_delete_only": ("{name} теперь модератор: может только удалять и одобрять.",
                              "{name} is now a moderator: may only delete and approve."),
    "mod_removed": ("{name} больше не модератор.", "{name} is no longer a moderator."),
    "mod_missing": ("{name} не был модератором.", "{name} was not a moderator."),
    "mods_empty": ("Модераторов нет, кроме администраторов. Добавьте: /mod add ответом на сообщение.",
                   "No moderators besides the admins. Add one: /mod add as a reply."),
    "mods_head": ("Модераторы (кроме администраторов):", "Moderators (besides the admins):"),
    "removed_notice": ("{name}, ваше сообщение удалено: {reason}. Не согласны? /appeal {case}",
                       "{name}, your message was removed: {reason}. Disagree? /appeal {case}"),
    "report_thanks": ("Спасибо, модераторы посмотрят.", "Thank you, the moderators will take a look."),
    "report_none": ("Модераторы ещё не назначены; сообщение записано.",
                    "No moderators' chat is linked yet; the report is recorded."),
    "appeal_sent": ("Апелляция по случаю #{case} отправлена модераторам.",
                    "Your appeal of case #{case} went to the moderators."),
    "appeal_none": ("Не нашёл вашего случая для апелляции. Укажите номер: /appeal 12",
                    "I found no case of yours to appeal. Give its number: /appeal 12"),
    "appeal_open": ("Апелляция по случаю #{case} уже рассматривается.", "Case #{case} is already under appeal."),
    "appeal_overturned": ("{name}, апелляция по случаю #{case} удовлетворена: решение отменено.",
                          "{name}, your appeal of case #{case} succeeded: the decision is reversed."),
    "appeal_upheld": ("{name}, апелляция по случаю #{case} отклонена: решение остаётся в силе.",
                      "{name}, your appeal of case #{case} was declined: the decision stands."),
    # escalations
    "card_auto": ("⚠️ Случай #{case} · {community}", "⚠️ Case #{case} · {community}"),
    "card_report": ("🚩 Жалоба от {by} · случай #{case} · {community}", "🚩 Report by {by} · case #{case} · {community}"),
    "card_appeal": ("⚖️ Апелляция · случай #{case} · {community}", "⚖️ Appeal · case #{case} · {community}"),
    "card_decided": ("✔️ {decision} — {by}, {at}", "✔️ {decision} — {by}, {at}"),
    "card_reminder": ("⏰ Случай #{case} без ответа. Ждёт: {waited}.",
                      "⏰ Case #{case} has waited for an answer for {waited}."),
    "esc_done": ("Готово: {decision}.", "Done: {decision}."),
    "esc_taken": ("Уже решено: {decision} ({by}).", "Already decided: {decision} (by {by})."),
    "esc_forbidden": ("Вы не модератор этого сообщества.", "You are not a moderator of this community."),
    "esc_unknown": ("Эта карточка устарела.", "This card is out of date."),
    "action_failed": ("❗ Не удалось выполнить {kind} по случаю #{case}: {error}",
                      "❗ Could not carry out {kind} for case #{case}: {error}"),
    "action_waiting_vk_user_token": (
        "⏸ {kind} по случаю #{case} ждёт: VK выполняет это только с токеном пользователя-модератора "
        "сообщества. Задайте DOZOR_VK_USER_TOKEN и перезапустите Dozor — действие будет выполнено. ({error})",
        "⏸ {kind} for case #{case} is waiting: VK does this only with a user token of a community "
        "moderator. Set DOZOR_VK_USER_TOKEN and restart Dozor; the action then runs. ({error})"),
}  # fmt: skip
_CATALOGUE.update(SMM)
_CATALOGUE.update(WEB)

DECISIONS: dict[str, tuple[str, str]] = {
    "delete": ("Удалить", "Delete"),
    "ban": ("Забанить", "Ban"),
    "mute": ("Заглушить", "Mute"),
    "approve": ("Не спам", "Approve"),
    "spam": ("Спам", "Mark spam"),
    "warn": ("Предупреждение", "Warning"),
    "unban": ("Разбан", "Unban"),
    "unmute": ("Снять мьют", "Unmute"),
}


# Plural forms: Russian has three (1 минута, 2 минуты, 5 минут), English two. The forms are
# nominative: Russian messages put counts where the nominative is right ("Ждёт: 1 минута",
# "за 7 дней" — masculine and neuter accusatives equal the nominative), never after "среди" or
# "в течение".
_PLURALS: dict[str, tuple[tuple[str, str, str], tuple[str, str]]] = {
    "minute": (("минута", "минуты", "минут"), ("minute", "minutes")),
    "hour": (("час", "часа", "часов"), ("hour", "hours")),
    "day": (("день", "дня", "дней"), ("day", "days")),
    "message": (("сообщение", "сообщения", "сообщений"), ("message", "messages")),
    "member": (("участник", "участника", "участников"), ("member", "members")),
    "winner": (("победитель", "победителя", "победителей"), ("winner", "winners")),
    "item": (("обращение", "обращения", "обращений"), ("item", "items")),
    "complaint": (("жалоба", "жалобы", "жалоб"), ("complaint", "complaints")),
    "join": (("вход", "входа", "входов"), ("join", "joins")),
}


def ru_form(n: int) -> int:
    """Index of the Russian plural form of ``n``: 0 for 1/21/101, 1 for 2-4/22-24, else 2."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(language: str | None, n: int, word: str) -> str:
    """``n`` with the right form of ``word`` (a key of the plural table): "5 минут", "1 minute"."""
    ru, en = _PLURALS[word]
    form = en[0 if n == 1 else 1] if language == "en" else ru[ru_form(n)]
    return f"{n} {form}"


def span(language: str | None, minutes: float) -> str:
    """A waiting time in words: "2 hours 5 minutes", "1 день 3 часа", "0 minutes"."""
    total = max(0, int(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [plural(language, n, w) for n, w in parts if n]
    return " ".join(words) or plural(language, 0, "minute")


def lang_of(language: str | None) -> int:
    return 1 if language == "en" else 0


def t(language: str | None, key: str, **values: object) -> str:
    """One message of the catalogue in ``language`` ("ru" or "en"), formatted with ``values``."""
    return _CATALOGUE[key][lang_of(language)].format(**values)


def decision(language: str | None, name: str) -> str:
    """The button label / display name of a moderator decision."""
    pair = DECISIONS.get(name)
    return pair[lang_of(language)] if pair else name
