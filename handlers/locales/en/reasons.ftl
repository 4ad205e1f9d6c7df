# Why a case was decided, as people see it: the engine's reason codes (`moderation.verdict.Reason`)
# and the use cases' own. Scores and thresholds arrive formatted ("0.97"); $action and $decision
# arrive as names ("ban"); $duration as words ("1 day").

reason_spam = spam { $score } ≥ { $threshold }
reason_spam_ban = spam { $score } ≥ { $threshold } from a newcomer with links
reason_suspicious_newcomer = newcomer posting an invite or short link
reason_complaint_not_deleted = negativity { $score } ≥ { $threshold }: reads as a complaint, not deleted
reason_toxicity = toxicity { $score } ≥ { $threshold }
reason_negativity = negativity { $score } ≥ { $threshold }, not abusive: needs a human answer
reason_complaint_not_deleted_grievance = negativity { $score } with grievance { $grievance }: reads as a complaint, not deleted
reason_negativity_grievance = negativity { $score } with grievance { $grievance }, not abusive: needs a human answer
reason_warn_ladder = { $live } live warnings ≥ { $step } → { $action }
reason_warn_ladder_timed = { $live } live warnings ≥ { $step } → { $action } for { $duration }
# a rule with a reason of its own (the admin's words), and without one
reason_rule = { $reason }
reason_rule_plain = rule '{ $rule }'
reason_rule_matched = rule '{ $rule }': “{ $matched }”
reason_rule_shadow = rule '{ $rule }' would { $action }
reason_rule_shadow_matched = rule '{ $rule }' would { $action }: “{ $matched }”
reason_error = check '{ $name }' could not be decided
reason_autoreply = automatic answer to '{ $trigger }'
reason_report = reported by { $by }
reason_report_note = reported by { $by }: { $note }
reason_escalation = decision on case #{ $case }: { $decision }
reason_answer = answer to case #{ $case }
reason_answer_saved = answer to case #{ $case } ({ $saved })
