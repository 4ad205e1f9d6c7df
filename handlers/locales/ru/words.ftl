# Слова, из которых собраны остальные сообщения: числа, действия, решения, статусы, оценки.
# Число — это число; формы по правилам русского языка: [one] 1, 21; [few] 2–4, 22–24; [many] 0, 5–20.

n_minute = { $n } { $n ->
    [one] минута
    [few] минуты
   *[many] минут
}
n_hour = { $n } { $n ->
    [one] час
    [few] часа
   *[many] часов
}
n_day = { $n } { $n ->
    [one] день
    [few] дня
   *[many] дней
}
n_message = { $n } { $n ->
    [one] сообщение
    [few] сообщения
   *[many] сообщений
}
n_member = { $n } { $n ->
    [one] участник
    [few] участника
   *[many] участников
}
n_winner = { $n } { $n ->
    [one] победитель
    [few] победителя
   *[many] победителей
}
n_item = { $n } { $n ->
    [one] обращение
    [few] обращения
   *[many] обращений
}
n_complaint = { $n } { $n ->
    [one] жалоба
    [few] жалобы
   *[many] жалоб
}
n_join = { $n } { $n ->
    [one] вход
    [few] входа
   *[many] входов
}

## Что сделано по случаю (его действие)
action_allow = пропущено
action_reply = ответ
action_escalate = передано модераторам
action_hold = скрыто до решения
action_warn = предупреждение
action_delete = удаление
action_mute = мьют
action_ban = бан
action_unban = разбан
action_unmute = снятие мьюта
action_answer = ответ модератора

## Кнопки карточки и решения модераторов
decision_delete = Удалить
decision_ban = Забанить
decision_mute = Заглушить
decision_approve = Не спам
decision_spam = Спам
decision_warn = Предупреждение
decision_unban = Разбан
decision_unmute = Снять мьют

## Состояние случая
status_pending = ожидает
status_executed = выполнено
status_failed = не удалось
status_dry_run = пробный режим
status_appealed = обжалуется
status_upheld = оставлено в силе
status_overturned = отменено

## Что исполнитель делал, когда действие не удалось
outbox_delete = удаление сообщения
outbox_restrict = мьют
outbox_ban = бан
outbox_unban = снятие бана
outbox_unrestrict = снятие мьюта
outbox_send = сообщение
outbox_edit = правка сообщения
outbox_document = файл

## Оценки классификатора
score_spam = спам
score_toxicity = токсичность
score_negativity = негатив

## Изменение к прошлому периоду
trend_new = впервые
