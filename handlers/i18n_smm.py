# ruff: noqa: E501  (a message catalogue: one message per line reads best)
"""Messages of the SMM manager's tools, in Russian and English (merged into ``handlers.i18n``).

Answers from the card, the queue, /top and /giveaway, the owner's report and digest, welcome,
join check and raid mode. Counts arrive already formatted by ``handlers.i18n.plural``.
"""

from __future__ import annotations

SMM: dict[str, tuple[str, str]] = {
    "card_answered": ("💬 Ответ — {by}, {at}", "💬 Answered — {by}, {at}"),
    "card_admins": ("⏫ Случай #{case} без ответа. Ждёт: {waited}. Администраторы: {admins}",
                    "⏫ Case #{case} has had no answer for {waited}. Admins: {admins}"),
    # answers from the card
    "answer_forbidden": ("Отвечать от имени сообщества могут только его модераторы.",
                         "Only the community's moderators may answer on its behalf."),
    "answer_sent": ("Ответ отправлен: {name}.", "Answer sent: {name}."),
    "answer_taken": ("Уже ответил(а) {by}.", "Already answered by {by}."),
    "answers_empty": ("Готовых ответов нет. Добавьте: /answers add ИМЯ -> текст",
                      "No saved answers. Add one: /answers add NAME -> text"),
    "answers_head": ("Готовые ответы ({count}); ⚡ — кнопка на карточке:",
                     "Saved answers ({count}); ⚡ marks a card button:"),
    "answer_saved": ("Ответ «{name}» сохранён.", "Answer '{name}' saved."),
    "answer_removed": ("Ответ «{name}» удалён.", "Answer '{name}' removed."),
    "answer_missing": ("Нет ответа «{name}». Список: /answers", "There is no answer '{name}'. See /answers"),
    "answer_quick_on": ("Ответ «{name}» теперь кнопка на карточках.", "Answer '{name}' is now a card button."),
    "answer_quick_off": ("Ответ «{name}» больше не кнопка.", "Answer '{name}' is no longer a card button."),
    "answer_bad_name": ("Имя ответа — одно слово до 32 символов: буквы, цифры, - и _.",
                        "An answer's name is one word of up to 32 letters, digits, - or _."),
    # the queue
    "queue_empty": ("Очередь пуста: на всё ответили. 🎉", "The queue is empty: everything is answered. 🎉"),
    "queue_head": ("Ждут ответа: {items}, самое старое — {oldest}.", "Waiting for an answer: {items}; the oldest for {oldest}."),
    "queue_line": ("#{case} {kind} · {who} · ожидание: {waited}", "#{case} {kind} · {who} · waiting {waited}"),
    "queue_kind_auto": ("⚠️ сигнал", "⚠️ flagged"),
    "queue_kind_report": ("🚩 жалоба", "🚩 report"),
    "queue_kind_appeal": ("⚖️ апелляция", "⚖️ appeal"),
    # the active members
    "top_empty": ("За {days} никто не писал.", "Nobody wrote in the last {days}."),
    "top_head": ("Самые активные за {days} (балл = сообщения + {weight} × дни активности):",
                 "Most active in the last {days} (score = messages + {weight} × active days):"),
    "top_line": ("{place}. {name} — {score} ({messages}, {days})", "{place}. {name} — {score} ({messages}, {days})"),
    "giveaway_nobody": ("Под условия не подошёл никто: розыгрыш не проведён.",
                        "Nobody meets the conditions: no draw was made."),
    "giveaway_result": (
        "🎁 Розыгрыш #{id} среди активных за {days}: {candidates}, {winners}.\n{names}\n"
        "Проверка: зерно {seed}, отпечаток списка {fingerprint}; список и код — /giveaway proof {id}",
        "🎁 Giveaway #{id}: {winners} among {candidates} active in the last {days}.\n{names}\n"
        "Check it: seed {seed}, list fingerprint {fingerprint}; the list and the code: /giveaway proof {id}",
    ),
    "giveaway_missing": ("Нет такого розыгрыша.", "There is no such giveaway."),
    "giveaway_proof": ("Розыгрыш #{id}: участники, зерно и код проверки", "Giveaway #{id}: candidates, seed and the code to check it"),
    # the owner's report and the digest
    "report_title": ("Отчёт «{title}»: {since} — {until}", "Report for '{title}': {since} to {until}"),
    "report_now": ("сейчас", "now"),
    "report_before": ("до того", "before"),
    "report_messages": ("Сообщений", "Messages"),
    "report_joined": ("Вступили", "Members joined"),
    "report_left": ("Вышли", "Members left"),
    "report_spam_caught": ("Спам убран", "Spam caught"),
    "report_abuse_caught": ("Оскорбления убраны", "Abuse caught"),
    "report_complaints": ("Обращений", "Complaints received"),
    "report_answered": ("С ответом", "Complaints answered"),
    "report_open": ("Ждут ответа", "Still open"),
    "report_median": ("Медиана до ответа, мин", "Median time to answer, min"),
    "report_actions": ("Действия", "Actions"),
    "report_active": ("Самые активные", "Most active"),
    "report_rules": ("Сработавшие правила", "Rules that fired"),
    "report_daily": ("Сообщений по дням", "Messages per day"),
    "digest_title": ("📈 Сводка «{title}» за {days} дн. (в скобках — к прошлому периоду)",
                     "📈 Digest of '{title}', last {days} days (trend against the period before)"),
    "digest_caption": ("Сообщений по дням: синие — сейчас, серые — прошлый период",
                       "Messages per day: blue now, grey the period before"),
    "digest_set": ("Сводка будет приходить в чат модераторов: {every}.",
                   "The digest will come to the moderators' chat: {every}."),
    "digest_off": ("Сводка выключена.", "The digest is off."),
    "digest_status": ("Сводка: {every}. Изменить: /digest weekly|daily|off",
                      "Digest: {every}. Change it: /digest weekly|daily|off"),
    "digest_weekly": ("еженедельно", "weekly"),
    "digest_daily": ("ежедневно", "daily"),
    "digest_none": ("выключена", "off"),
    "digest_no_modchat": ("Сначала привяжите чат модераторов (/modchat): сводка приходит туда.",
                          "Link a moderators' chat first (/modchat): the digest goes there."),
    # welcome, join check, raid mode
    "welcome_show": ("Приветствие:\n{text}", "The welcome message:\n{text}"),
    "welcome_none": ("Приветствия нет. Задайте: /welcome Привет, {{{{name}}}}!",
                     "No welcome message. Set one: /welcome Hi {{{{name}}}}!"),
    "welcome_saved": ("Приветствие сохранено.", "The welcome message is saved."),
    "welcome_removed": ("Приветствие убрано.", "The welcome message is removed."),
    "joincheck_on": ("Проверка новичков включена. Время на нажатие кнопки — {minutes}.",
                     "The join check is on: newcomers must press the button within {minutes}."),
    "joincheck_off": ("Проверка новичков выключена.", "The join check is off."),
    "join_check": ("{name}, чтобы писать в чате, нажмите кнопку. Время на это — {minutes}.",
                   "{name}, press the button within {minutes} to be able to write here."),
    "join_button": ("Я человек ✅", "I am human ✅"),
    "join_not_yours": ("Эта кнопка для новичка, которого проверяем.", "This button is for the newcomer being checked."),
    "join_passed": ("Добро пожаловать! Теперь можно писать.", "Welcome! You can write now."),
    "join_late": ("Время проверки вышло.", "The check has run out."),
    "raid_on": ("🚨 Режим рейда: {joins}, окно — {window}. Каждый новичок проходит проверку; "
                "режим выключится, когда без входов пройдёт {quiet}. /raid off — выключить сейчас.",
                "🚨 Raid mode: {joins} in {window}. Every newcomer must pass the join check; "
                "it ends after {quiet} without joins. /raid off ends it now."),
    "raid_on_hold": ("🚨 Режим рейда: {joins}, окно — {window}. Комментарии новичков скрываются до решения "
                     "модератора; режим выключится, когда без входов пройдёт {quiet}. /raid off — выключить сейчас.",
                     "🚨 Raid mode: {joins} in {window}. Newcomers' comments are hidden until a moderator "
                     "decides; it ends after {quiet} without joins. /raid off ends it now."),
    "raid_status_on": ("Режим рейда включён до {until}.", "Raid mode is on until {until}."),
    "raid_status_on_hold": ("Режим рейда включён до {until}: комментарии новичков скрываются до решения модератора.",
                            "Raid mode is on until {until}: newcomers' comments are hidden until a moderator decides."),
    "welcome_unsupported": ("Здесь приветствие негде показать: вступление происходит на странице сообщества, "
                            "а не в чате. Для личных сообщений задайте приветствие в настройках сообщества "
                            "(Управление → Сообщения).",
                            "There is nowhere here to show a welcome: people join on the community's page, not "
                            "in a chat. For private messages, set a greeting in the community's settings "
                            "(Manage → Messages)."),
    "joincheck_unsupported": ("Проверку новичков здесь не провести: новичка нельзя придержать до нажатия кнопки. "
                              "Во время наплыва /raid on скрывает комментарии новичков до решения модератора.",
                              "The join check is not possible here: a newcomer cannot be held until they press a "
                              "button. During a wave of newcomers, /raid on hides their comments until a "
                              "moderator decides."),
    "raid_status_off": ("Режим рейда выключен.", "Raid mode is off."),
}  # fmt: skip
