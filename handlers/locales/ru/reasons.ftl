# Почему принято решение — так, как это видят люди: коды причин движка (`moderation.verdict.Reason`)
# и сценариев. Оценки и пороги приходят готовыми ("0.97"); $action и $decision — названиями
# ("бан"); $duration — словами ("1 день").

reason_spam = спам { $score } ≥ { $threshold }
reason_spam_ban = спам { $score } ≥ { $threshold } от новичка со ссылками
reason_suspicious_newcomer = новичок публикует приглашение или короткую ссылку
reason_complaint_not_deleted = негатив { $score } ≥ { $threshold }: похоже на жалобу, не удалено
reason_toxicity = токсичность { $score } ≥ { $threshold }
reason_negativity = негатив { $score } ≥ { $threshold }, без оскорблений: нужен ответ человека
reason_complaint_not_deleted_grievance = негатив { $score } и претензия { $grievance }: похоже на жалобу, не удалено
reason_negativity_grievance = негатив { $score } и претензия { $grievance }, без оскорблений: нужен ответ человека
reason_warn_ladder = { $live ->
    [one] { $live } действующее предупреждение
    [few] { $live } действующих предупреждения
   *[many] { $live } действующих предупреждений
} ≥ { $step } → { $action }
reason_warn_ladder_timed = { $live ->
    [one] { $live } действующее предупреждение
    [few] { $live } действующих предупреждения
   *[many] { $live } действующих предупреждений
} ≥ { $step } → { $action } (срок: { $duration })
# правило со своей причиной (слова администратора) и без неё
reason_rule = { $reason }
reason_rule_plain = правило «{ $rule }»
reason_rule_matched = правило «{ $rule }»: «{ $matched }»
reason_rule_shadow = правило «{ $rule }» сделало бы: { $action }
reason_rule_shadow_matched = правило «{ $rule }» сделало бы: { $action }: «{ $matched }»
reason_error = проверку «{ $name }» не удалось выполнить
reason_autoreply = автоответ на «{ $trigger }»
reason_report = жалоба от { $by }
reason_report_note = жалоба от { $by }: { $note }
reason_escalation = решение по случаю #{ $case }: { $decision }
reason_answer = ответ на случай #{ $case }
reason_answer_saved = ответ на случай #{ $case } ({ $saved })
