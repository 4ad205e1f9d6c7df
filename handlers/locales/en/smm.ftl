card_answered = 💬 Answered — { $by }, { $at }
card_admins = ⏫ Case #{ $case } has had no answer for { $waited }. Admins: { $admins }
answer_forbidden = Only the community's moderators may answer on its behalf.
answer_sent = Answer sent: { $name }.
answer_taken = Already answered by { $by }.
answers_empty = No saved answers. Add one: /answers add NAME -> text
answers_head = Saved answers ({ $count }); ⚡ marks a card button:
answer_saved = Answer '{ $name }' saved.
answer_removed = Answer '{ $name }' removed.
answer_missing = There is no answer '{ $name }'. See /answers
answer_quick_on = Answer '{ $name }' is now a card button.
answer_quick_off = Answer '{ $name }' is no longer a card button.
answer_bad_name = An answer's name is one word of up to 32 letters, digits, - or _.
queue_empty = The queue is empty: everything is answered. 🎉
queue_head = Waiting for an answer: { $items }; the oldest for { $oldest }.
queue_line = #{ $case } { $kind } · { $who } · waiting { $waited }
queue_kind_auto = ⚠️ flagged
queue_kind_report = 🚩 report
queue_kind_appeal = ⚖️ appeal
top_empty = Nobody wrote in the last { $days }.
top_head = Most active in the last { $days } (score = messages + { $weight } × active days):
top_line = { $place }. { $name } — { $score } ({ $messages }, { $days })
giveaway_nobody = Nobody meets the conditions: no draw was made.
giveaway_result =
    🎁 Giveaway #{ $id }: { $winners } among { $candidates } active in the last { $days }.
    { $names }
    Check it: seed { $seed }, list fingerprint { $fingerprint }; the list and the code: /giveaway proof { $id }
giveaway_missing = There is no such giveaway.
giveaway_proof = Giveaway #{ $id }: candidates, seed and the code to check it
report_title = Report for '{ $title }': { $since } to { $until }
report_now = now
report_before = before
report_messages = Messages
report_joined = Members joined
report_left = Members left
report_spam_caught = Spam caught
report_abuse_caught = Abuse caught
report_complaints = Complaints received
report_answered = Complaints answered
report_open = Still open
report_median = Median time to answer, min
report_actions = Actions
report_active = Most active
report_rules = Rules that fired
report_daily = Messages per day
digest_title = 📈 Digest of '{ $title }', last { $days ->
    [one] day
   *[other] { $days } days
} (trend against the period before)
digest_caption = Messages per day: blue now, grey the period before
digest_set = The digest will come to the moderators' chat: { $every }.
digest_off = The digest is off.
digest_status = Digest: { $every }. Change it: /digest weekly|daily|off
digest_weekly = weekly
digest_daily = daily
digest_none = off
digest_no_modchat = Link a moderators' chat first (/modchat): the digest goes there.
welcome_show =
    The welcome message:
    { $text }
welcome_none = No welcome message. Set one: /welcome Hi {"{{"}name{"}}"}!
welcome_saved = The welcome message is saved.
welcome_removed = The welcome message is removed.
joincheck_on = The join check is on: newcomers must press the button within { $minutes }.
joincheck_off = The join check is off.
join_check = { $name }, press the button within { $minutes } to be able to write here.
join_button = I am human ✅
join_not_yours = This button is for the newcomer being checked.
join_passed = Welcome! You can write now.
join_late = The check has run out.
raid_on = 🚨 Raid mode: { $joins } in { $window }. Every newcomer must pass the join check; it ends after { $quiet } without joins. /raid off ends it now.
raid_status_on = Raid mode is on until { $until }.
raid_status_off = Raid mode is off.
raid_on_hold = 🚨 Raid mode: { $joins } in { $window }. Newcomers' comments are hidden until a moderator decides; it ends after { $quiet } without joins. /raid off ends it now.
raid_status_on_hold = Raid mode is on until { $until }: newcomers' comments are hidden until a moderator decides.
welcome_unsupported = There is nowhere here to show a welcome: people join on the community's page, not in a chat. For private messages, set a greeting in the community's settings (Manage → Messages).
joincheck_unsupported = The join check is not possible here: a newcomer cannot be held until they press a button. During a wave of newcomers, /raid on hides their comments until a moderator decides.
