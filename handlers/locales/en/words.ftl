# Words the other messages are built from: counts, actions, decisions, statuses, scores.
# A count is a number; `[one]` and `*[other]` are English's plural forms.

n_minute = { $n } { $n ->
    [one] minute
   *[other] minutes
}
n_hour = { $n } { $n ->
    [one] hour
   *[other] hours
}
n_day = { $n } { $n ->
    [one] day
   *[other] days
}
n_message = { $n } { $n ->
    [one] message
   *[other] messages
}
n_member = { $n } { $n ->
    [one] member
   *[other] members
}
n_winner = { $n } { $n ->
    [one] winner
   *[other] winners
}
n_item = { $n } { $n ->
    [one] item
   *[other] items
}
n_complaint = { $n } { $n ->
    [one] complaint
   *[other] complaints
}
n_join = { $n } { $n ->
    [one] join
   *[other] joins
}

## What a case did (its action)
action_allow = allow
action_reply = reply
action_escalate = escalate
action_hold = hold
action_warn = warn
action_delete = delete
action_mute = mute
action_ban = ban
action_unban = unban
action_unmute = unmute
action_answer = answer

## Button labels of a card, and what a moderator decided
decision_delete = Delete
decision_ban = Ban
decision_mute = Mute
decision_approve = Approve
decision_spam = Mark spam
decision_warn = Warning
decision_unban = Unban
decision_unmute = Unmute

## Where a case stands
status_pending = pending
status_executed = executed
status_failed = failed
status_dry_run = dry run
status_appealed = appealed
status_upheld = upheld
status_overturned = overturned

## What the executor was doing when an action failed
outbox_delete = deleting the message
outbox_restrict = the mute
outbox_ban = the ban
outbox_unban = lifting the ban
outbox_unrestrict = lifting the mute
outbox_send = a message
outbox_edit = editing a message
outbox_document = a file

## The classifier's scores
score_spam = spam
score_toxicity = toxicity
score_negativity = negativity

## A trend against the period before
trend_new = new
