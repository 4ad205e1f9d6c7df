card_answered = 💬 Ответ — { $by }, { $at }
card_admins = ⏫ Случай #{ $case } без ответа. Ждёт: { $waited }. Администраторы: { $admins }
answer_forbidden = Отвечать от имени сообщества могут только его модераторы.
answer_sent = Ответ отправлен: { $name }.
answer_taken = Уже ответил(а) { $by }.
answers_empty = Готовых ответов нет. Добавьте: /answers add ИМЯ -> текст
answers_head = Готовые ответы ({ $count }); ⚡ — кнопка на карточке:
answer_saved = Ответ «{ $name }» сохранён.
answer_removed = Ответ «{ $name }» удалён.
answer_missing = Нет ответа «{ $name }». Список: /answers
answer_quick_on = Ответ «{ $name }» теперь кнопка на карточках.
answer_quick_off = Ответ «{ $name }» больше не кнопка.
answer_bad_name = Имя ответа — одно слово до 32 символов: буквы, цифры, - и _.
queue_empty = Очередь пуста: на всё ответили. 🎉
queue_head = Ждут ответа: { $items }, самое старое — { $oldest }.
queue_line = #{ $case } { $kind } · { $who } · ожидание: { $waited }
queue_kind_auto = ⚠️ сигнал
queue_kind_report = 🚩 жалоба
queue_kind_appeal = ⚖️ апелляция
top_empty = За { $days } никто не писал.
top_head = Самые активные за { $days } (балл = сообщения + { $weight } × дни активности):
top_line = { $place }. { $name } — { $score } ({ $messages }, { $days })
giveaway_nobody = Под условия не подошёл никто: розыгрыш не проведён.
giveaway_result =
    🎁 Розыгрыш #{ $id } среди активных за { $days }: { $candidates }, { $winners }.
    { $names }
    Проверка: зерно { $seed }, отпечаток списка { $fingerprint }; список и код — /giveaway proof { $id }
giveaway_missing = Нет такого розыгрыша.
giveaway_proof = Розыгрыш #{ $id }: участники, зерно и код проверки
report_title = Отчёт «{ $title }»: { $since } — { $until }
report_now = сейчас
report_before = до того
report_messages = Сообщений
report_joined = Вступили
report_left = Вышли
report_spam_caught = Спам убран
report_abuse_caught = Оскорбления убраны
report_complaints = Обращений
report_answered = С ответом
report_open = Ждут ответа
report_median = Медиана до ответа, мин
report_actions = Действия
report_active = Самые активные
report_rules = Сработавшие правила
report_daily = Сообщений по дням
digest_title = 📈 Сводка «{ $title }» за { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
} (в скобках — к прошлому периоду)
digest_caption = Сообщений по дням: синие — сейчас, серые — прошлый период
digest_set = Сводка будет приходить в чат модераторов: { $every }.
digest_off = Сводка выключена.
digest_status = Сводка: { $every }. Изменить: /digest weekly|daily|off
digest_weekly = еженедельно
digest_daily = ежедневно
digest_none = выключена
digest_no_modchat = Сначала привяжите чат модераторов (/modchat): сводка приходит туда.
welcome_show =
    Приветствие:
    { $text }
welcome_none = Приветствия нет. Задайте: /welcome Привет, {"{{"}name{"}}"}!
welcome_saved = Приветствие сохранено.
welcome_removed = Приветствие убрано.
joincheck_on = Проверка новичков включена. Время на нажатие кнопки — { $minutes }.
joincheck_off = Проверка новичков выключена.
join_check = { $name }, чтобы писать в чате, нажмите кнопку. Время на это — { $minutes }.
join_button = Я человек ✅
join_not_yours = Эта кнопка для новичка, которого проверяем.
join_passed = Добро пожаловать! Теперь можно писать.
join_late = Время проверки вышло.
raid_on = 🚨 Режим рейда: { $joins }, окно — { $window }. Каждый новичок проходит проверку; режим выключится, когда без входов пройдёт { $quiet }. /raid off — выключить сейчас.
raid_status_on = Режим рейда включён до { $until }.
raid_status_off = Режим рейда выключен.
raid_on_hold = 🚨 Режим рейда: { $joins }, окно — { $window }. Комментарии новичков скрываются до решения модератора; режим выключится, когда без входов пройдёт { $quiet }. /raid off — выключить сейчас.
raid_status_on_hold = Режим рейда включён до { $until }: комментарии новичков скрываются до решения модератора.
welcome_unsupported = Здесь приветствие негде показать: вступление происходит на странице сообщества, а не в чате. Для личных сообщений задайте приветствие в настройках сообщества (Управление → Сообщения).
joincheck_unsupported = Проверку новичков здесь не провести: новичка нельзя придержать до нажатия кнопки. Во время наплыва /raid on скрывает комментарии новичков до решения модератора.
