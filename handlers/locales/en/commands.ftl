help =
    Dozor commands (admins unless noted):
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
    Everyone: /report (as a reply) · /appeal [case id]
unknown_command = I don't know /{ $name }.
not_admin = Sorry, only the community's admins can use this command.
need_reply = Send /{ $name } as a reply to a message.
unknown_person = I do not know { $name } in this community. Send /{ $command } as a reply to one of their messages, or with their numeric id, @username or the name /history shows for them.
several_people = { $name } fits several people here (ids { $ids }). Send /{ $command } with the id, or as a reply to their message.
usage = Usage: { $usage }
no_community = This chat is not linked to a community. Link it: type /modchat in the community.
status =
    Model: { $model }
    Rules: { $rules } (shadow: { $shadow })
    Mode: { $mode }
    Moderators' chat: { $modchat }
mode_dry = dry run (record only)
mode_live = live
none = none
lang_set = I will answer in English now.
dryrun_on = Dry run is on: decisions are recorded, nothing is done on the platform.
dryrun_off = Dry run is off: Dozor acts.
rules_empty = No rules yet. Add one: /rule add …
rules_head = Rules:
rule_added = Rule '{ $name }' saved (version { $version }, { $mode }).
rule_removed = Rule '{ $name }' removed.
rule_missing = There is no rule '{ $name }'. See /rules
rule_invalid = The rule was not accepted: { $error }
rule_one = Add one rule at a time ({ $count } found).
rule_mode = Rule '{ $name }' is now in { $mode } mode.
rule_mode_shadow = shadow
rule_mode_enforce = enforce
rule_test =
    Verdict: { $verdict }
    Scores: spam { $spam }, toxicity { $toxicity }, negativity { $negativity }
threshold_set = The { $label } threshold is { $value }.
warnings =
    Warning ladder: { $ladder }
    A warning lasts { $ttl }.
warnings_set = Ladder saved: { $ladder }; warnings last { $ttl }.
autoreply_added = Auto-reply to '{ $trigger }' saved.
autoreply_removed = Auto-reply to '{ $trigger }' removed.
autoreply_missing = There is no auto-reply to '{ $trigger }'.
autoreply_empty = No auto-replies.
modchat_code =
    Link code: { $code }
    Type in the moderators' chat: /modchat { $code }
    The code works for { $minutes } min.
modchat_linked = This chat now moderates '{ $title }'.
modchat_elsewhere = A moderators' chat on another platform is linked with a private code: write to Dozor privately /modchat { $id }
modchat_which = Which community? Write /modchat and its id, e.g. /modchat -1001234567890.
modchat_bad_code = The code is wrong or expired. Get a new one: /modchat in the community.
manual_done = { $action }: { $name }. Case #{ $case }.
manual_admin = That cannot be done to an admin.
bad_duration = Bad duration '{ $value }': write 30m, 1h, 7d.
warned = { $name }, this is a warning ({ $count }). Reason: { $reason }
history_empty = No cases.
history_head = Latest cases{ $who }:
export_caption = Cases of the last { $days } days: { $count }
file_in_modchat = 📎 The file is in the moderators' chat.
file_needs_modchat = /{ $command } sends a file, and VK takes no files under posts: link a moderators' chat (/modchat) and type the command there.
right_delete = delete messages
right_restrict = ban users
bot_needs_rights = To moderate this chat I need admin rights to: { $rights }. Grant them in the chat settings → Administrators.
bot_ready = Dozor is on watch: spam and abuse are removed, complaints go to the moderators. /help lists the commands.
mod_added = { $name } is now a moderator: may delete, mute and ban.
mod_added_delete_only = { $name } is now a moderator: may only delete and approve.
mod_removed = { $name } is no longer a moderator.
mod_missing = { $name } was not a moderator.
mods_empty = No moderators besides the admins. Add one: /mod add as a reply.
mods_head = Moderators (besides the admins):
removed_notice = { $name }, your message was removed: { $reason }. Disagree? /appeal { $case }
report_thanks = Thank you, the moderators will take a look.
report_none = No moderators' chat is linked yet; the report is recorded.
appeal_sent = Your appeal of case #{ $case } went to the moderators.
appeal_none = I found no case of yours to appeal. Give its number: /appeal 12
appeal_open = Case #{ $case } is already under appeal.
appeal_overturned = { $name }, your appeal of case #{ $case } succeeded: the decision is reversed.
appeal_upheld = { $name }, your appeal of case #{ $case } was declined: the decision stands.
card_auto = ⚠️ Case #{ $case } · { $community }
card_report = 🚩 Report by { $by } · case #{ $case } · { $community }
card_appeal = ⚖️ Appeal · case #{ $case } · { $community }
card_decided = ✔️ { $decision } — { $by }, { $at }
card_reminder = ⏰ Case #{ $case } has waited for an answer for { $waited }.
esc_done = Done: { $decision }.
esc_taken = Already decided: { $decision } (by { $by }).
esc_forbidden = You are not a moderator of this community.
esc_unknown = This card is out of date.
action_failed = ❗ Could not carry out { $kind } for case #{ $case }: { $error }
action_waiting_vk_user_token = ⏸ { $kind } for case #{ $case } is waiting: VK does this only with a user token of a community moderator. Set DOZOR_VK_USER_TOKEN and restart Dozor; the action then runs. ({ $error })
card_author = 👤 { $name } (id { $id })
card_history = 🗂 history:
history_by = by { $name }
# shadow rules, judged (/stats, /history, dozor stats)
shadow_removed = rule '{ $rule }' (shadow) would have removed { $hits ->
    [one] { $hits } message
   *[other] { $hits } messages
}, { $overturned } of them later overturned by moderators
shadow_other = rule '{ $rule }' (shadow) would have done “{ $action }” { $hits ->
    [one] once
   *[other] { $hits } times
}, { $overturned } of them later overturned by moderators
shadow_head = Shadow rules:
# /stats and dozor stats
stats_title = Statistics for { $days ->
    [one] { $days } day
   *[other] { $days } days
}
stats_messages = Messages seen: { $count }
stats_actions = Actions: { $actions }
stats_rules = Top rules: { $rules }
stats_overturned = Overturned: { $overturned }/{ $enforced } ({ $rate })
stats_median = Median time to a decision: { $minutes } min
stats_active = Most active: { $members }
stats_answers = Complaints answered: { $share }; median time to first answer: { $minutes } min
stats_responders = Answered by: { $responders }
stats_responder = { $name } { $count } ({ $minutes } min)
# a card or an alert with no moderators' chat to go to (at most once a day)
no_modchat_card = ⚠️ A message here needs a moderator, but this community has no moderators' chat: Dozor's cards with buttons and its alerts go nowhere. An admin links one: type /modchat here and follow the steps. (This note disappears in { $minutes } minutes.)
no_modchat_alert = ⚠️ Dozor could not carry out an action here, and this community has no moderators' chat to tell: alerts and cards go nowhere. An admin links one: type /modchat here and follow the steps. (This note disappears in { $minutes } minutes.)
status_no_modchat = not linked: cards and alerts go nowhere; /modchat links one
