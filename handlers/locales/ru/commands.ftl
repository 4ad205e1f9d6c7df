help =
    Команды Dozor (для админов, если не сказано иначе):
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
    Для всех: /report (ответом) · /appeal [номер случая]
unknown_command = Не знаю команду /{ $name }.
not_admin = Эта команда только для администраторов сообщества.
need_reply = Отправьте /{ $name } ответом на сообщение.
unknown_person = Я не знаю { $name } в этом сообществе. Отправьте /{ $command } ответом на их сообщение или с их числовым id, @username или именем, которое показывает /history.
several_people = Под «{ $name }» подходят несколько человек (id { $ids }). Отправьте /{ $command } с нужным id или ответом на их сообщение.
usage = Как использовать: { $usage }
no_community = Этот чат не привязан ни к одному сообществу. Привяжите его: /modchat в сообществе.
status =
    Модель: { $model }
    Правил: { $rules } (в тени: { $shadow })
    Режим: { $mode }
    Чат модераторов: { $modchat }
mode_dry = пробный (только запись)
mode_live = боевой
none = нет
lang_set = Теперь отвечаю по-русски.
dryrun_on = Пробный режим включён: решения записываются, но не выполняются.
dryrun_off = Пробный режим выключен: Dozor действует.
rules_empty = Правил пока нет. Добавьте: /rule add …
rules_head = Правила:
rule_added = Правило «{ $name }» сохранено (версия { $version }, { $mode }).
rule_removed = Правило «{ $name }» удалено.
rule_missing = Нет правила «{ $name }». Список: /rules
rule_invalid = Правило не принято: { $error }
rule_one = Добавляйте по одному правилу за раз (найдено { $count }).
rule_mode = Правило «{ $name }» теперь в режиме «{ $mode }».
rule_mode_shadow = в тени
rule_mode_enforce = действует
rule_test =
    Решение: { $verdict }
    Баллы: спам { $spam }, токсичность { $toxicity }, негатив { $negativity }
threshold_set = Порог «{ $label }»: { $value }.
warnings =
    Лестница предупреждений: { $ladder }
    Предупреждение живёт { $ttl }.
warnings_set = Лестница сохранена: { $ladder }; срок { $ttl }.
autoreply_added = Автоответ на «{ $trigger }» сохранён.
autoreply_removed = Автоответ на «{ $trigger }» удалён.
autoreply_missing = Нет автоответа на «{ $trigger }».
autoreply_empty = Автоответов нет.
modchat_code =
    Код привязки: { $code }
    Наберите в чате модераторов: /modchat { $code }
    Код действует { $minutes } мин.
modchat_linked = Этот чат теперь чат модераторов «{ $title }».
modchat_elsewhere = Чат модераторов на другой платформе привязывается личным кодом: напишите Dozor в личные сообщения /modchat { $id }
modchat_which = Какое сообщество? Напишите /modchat и его id, например /modchat -1001234567890.
modchat_bad_code = Код неверный или истёк. Получите новый: /modchat в сообществе.
manual_done = { $action }: { $name }. Случай #{ $case }.
manual_admin = Нельзя применить это к администратору.
bad_duration = Не понял срок «{ $value }»: пишите 30m, 1h, 7d.
warned = { $name }, вам предупреждение ({ $count }). Причина: { $reason }
history_empty = Случаев нет.
history_head = Последние случаи{ $who }:
export_caption = Случаи за { $days } дн.: { $count }
file_in_modchat = 📎 Файл отправлен в чат модераторов.
file_needs_modchat = /{ $command } присылает файл, а под постами VK файлы не публикуются: привяжите чат модераторов (/modchat) и наберите команду там.
right_delete = удалять сообщения
right_restrict = блокировать участников
bot_needs_rights = Чтобы модерировать этот чат, мне нужны права администратора: { $rights }. Выдайте их в настройках чата → Администраторы.
bot_ready = Dozor на посту: удаляю спам и оскорбления, жалобы передаю модераторам. /help — команды.
mod_added = { $name } теперь модератор: может удалять, мутить и банить.
mod_added_delete_only = { $name } теперь модератор: может только удалять и одобрять.
mod_removed = { $name } больше не модератор.
mod_missing = { $name } не был модератором.
mods_empty = Модераторов нет, кроме администраторов. Добавьте: /mod add ответом на сообщение.
mods_head = Модераторы (кроме администраторов):
removed_notice = { $name }, ваше сообщение удалено: { $reason }. Не согласны? /appeal { $case }
report_thanks = Спасибо, модераторы посмотрят.
report_none = Модераторы ещё не назначены; сообщение записано.
appeal_sent = Апелляция по случаю #{ $case } отправлена модераторам.
appeal_none = Не нашёл вашего случая для апелляции. Укажите номер: /appeal 12
appeal_open = Апелляция по случаю #{ $case } уже рассматривается.
appeal_overturned = { $name }, апелляция по случаю #{ $case } удовлетворена: решение отменено.
appeal_upheld = { $name }, апелляция по случаю #{ $case } отклонена: решение остаётся в силе.
card_auto = ⚠️ Случай #{ $case } · { $community }
card_report = 🚩 Жалоба от { $by } · случай #{ $case } · { $community }
card_appeal = ⚖️ Апелляция · случай #{ $case } · { $community }
card_decided = ✔️ { $decision } — { $by }, { $at }
card_reminder = ⏰ Случай #{ $case } без ответа. Ждёт: { $waited }.
esc_done = Готово: { $decision }.
esc_taken = Уже решено: { $decision } ({ $by }).
esc_forbidden = Вы не модератор этого сообщества.
esc_unknown = Эта карточка устарела.
action_failed = ❗ Не удалось выполнить { $kind } по случаю #{ $case }: { $error }
action_waiting_vk_user_token = ⏸ { $kind } по случаю #{ $case } ждёт: VK выполняет это только с токеном пользователя-модератора сообщества. Задайте DOZOR_VK_USER_TOKEN и перезапустите Dozor — действие будет выполнено. ({ $error })
card_author = 👤 { $name } (ID { $id })
card_history = 🗂 история:
history_by = (решение: { $name })
# теневые правила с оценкой (/stats, /history, dozor stats)
shadow_removed = правило «{ $rule }» (в тени) убрало бы { $hits ->
    [one] { $hits } сообщение
    [few] { $hits } сообщения
   *[many] { $hits } сообщений
}, из них { $overturned } потом одобрили модераторы
shadow_other = правило «{ $rule }» (в тени): «{ $action }» — { $hits ->
    [one] { $hits } раз
    [few] { $hits } раза
   *[many] { $hits } раз
}, из них { $overturned } потом одобрили модераторы
shadow_head = Теневые правила:
# /stats и dozor stats
stats_title = Статистика за { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}
stats_messages = Сообщений: { $count }
stats_actions = Действия: { $actions }
stats_rules = Правила: { $rules }
stats_overturned = Отменено: { $overturned }/{ $enforced } ({ $rate })
stats_median = Медиана до решения модератора: { $minutes } мин
stats_active = Активные: { $members }
stats_answers = Обращений с ответом: { $share }; медиана до первого ответа: { $minutes } мин
stats_responders = Отвечали: { $responders }
stats_responder = { $name } { $count } ({ $minutes } мин)
# карточка или оповещение, которым некуда идти без чата модераторов (не чаще раза в сутки)
no_modchat_card = ⚠️ Здесь есть сообщение для модератора, но у сообщества нет чата модераторов: карточки Dozor с кнопками и его оповещения никуда не уходят. Администратор может привязать чат: наберите здесь /modchat и следуйте подсказке. (Эта заметка исчезнет через { $minutes } мин.)
no_modchat_alert = ⚠️ Dozor не смог выполнить действие здесь, а сообщить некуда: у сообщества нет чата модераторов, оповещения и карточки никуда не уходят. Администратор может привязать чат: наберите здесь /modchat и следуйте подсказке. (Эта заметка исчезнет через { $minutes } мин.)
status_no_modchat = не привязан: карточки и оповещения никуда не уходят; привязать — /modchat
