# The admin plugin's texts.

admin-no-user = No user “{ $ref }”. Give a numeric id or @username of someone who has written to the bot.
admin-no-name = (no name)
admin-language-unknown = not given by Telegram
admin-user-title = User { $id }
admin-user-title-username = User { $id } (@{ $username })
admin-user-name = Name: { $name }
admin-user-language = Language: { $language }
admin-user-first-seen = First seen: { $when }
admin-user-last-seen = Last seen: { $when }
admin-user-banned = Banned: yes
admin-user-banned-because = Banned: yes ({ $reason })
admin-user-not-banned = Banned: no
admin-user-unreachable = Unreachable: blocked the bot or deleted the account
admin-user-admin = Admin: yes

command-broadcast = Send a message to every user or a segment: /broadcast [to=segment] text
command-broadcast_status = Show a broadcast's progress: /broadcast_status <id>
command-user = Look a user up: /user <id or @username>
command-ban = Ban a user: /ban <id or @username> [reason]
command-unban = Lift a ban: /unban <id or @username>
command-banned = List banned users
command-set = Change a runtime setting: /set <key> <value>
command-get = Show a runtime setting: /get <key>
command-settings = List the settings editable at run time
command-stats = Users, activity and the plugins' figures

admin-broadcast-usage = Usage: /broadcast [to=segment] text, or reply to a message with /broadcast [to=segment] to send a copy of it. Segments: all, active:<days>, and those of enabled plugins (tier:<name>, buyers).
admin-broadcast-too-long = That text is { $length } characters; one message holds { $limit }.
admin-broadcast-preview = Preview above. Broadcast #{ $id } to { $segment }: { $users ->
    [one] { $users } user
   *[other] { $users } users
} now. Send it?
admin-broadcast-sending = Sending to { $users ->
    [one] { $users } user
   *[other] { $users } users
}.
admin-broadcast-discarded-short = Discarded.
admin-broadcast-discarded = Broadcast #{ $id } discarded.
admin-broadcast-pausing = Pausing after the messages in flight.
admin-broadcast-resumed = Resumed.
admin-broadcast-cancelled = Cancelled.
admin-broadcast-status-usage = Usage: /broadcast_status <id>
admin-no-broadcast = No broadcast #{ $id }.
admin-user-usage = Usage: /user <id or @username>
admin-ban-usage = Usage: /ban <id or @username> [reason]
admin-unban-usage = Usage: /unban <id or @username>
admin-reason-too-long = Keep the reason under { $limit } characters.
admin-cannot-ban-admin = Admins cannot be banned. To ban this person, first take them off the bot's list of admins in the settings.
admin-already-banned = { $name } is already banned.
admin-not-banned = { $name } is not banned.
admin-banned-now = Banned { $name } ({ $id }). Their messages are ignored now.
admin-banned-because = Banned { $name } ({ $id }): { $reason }. Their messages are ignored now.
admin-unbanned = Unbanned { $name } ({ $id }).
admin-nobody-banned = Nobody is banned.
admin-no-more-banned = No more banned users.
admin-banned-title = Banned users (page { $page }):
admin-set-usage = Usage: /set <key> <value>. /settings lists the keys.
admin-get-usage = Usage: /get <key>. /settings lists the keys.
admin-no-settings = No settings are editable at run time.
admin-settings-title = Runtime settings (/set <key> <value>):

admin-duration-s = { $s } s
admin-duration-min-s = { $min } min { $s } s
admin-duration-h-min = { $h } h { $min } min
admin-progress-title = Broadcast #{ $id } to { $segment }: { $status }
admin-status-sending = sending
admin-status-paused = paused
admin-status-cancelled = cancelled
admin-status-finished = finished
admin-progress-counts = Sent { $sent } · Failed { $failed } · Remaining { $remaining } of { $total }
admin-progress-interrupted = Interrupted by a restart (not sent again): { $count }
admin-progress-rate = Rate { NUMBER($rate, minimumFractionDigits: 1) }/s · About { $left } left
admin-button-pause = ⏸ Pause
admin-button-resume = ▶ Resume
admin-button-cancel = ✖ Cancel
admin-button-confirm = ✅ Confirm
admin-button-discard = Discard
admin-report-done = Broadcast #{ $id } finished.
admin-report-done-in = Broadcast #{ $id } finished in { $took }.
admin-report-cancelled = Broadcast #{ $id } was cancelled; { $remaining } not sent.
admin-report-delivered = Delivered: { $sent } of { $total }
admin-report-failed = Failed: { $failed } (users who blocked the bot are marked and skipped from now on)
admin-report-interrupted = Interrupted by a restart: { $count } (at most once: may or may not have arrived)
admin-stats-users = Users: { $total } (banned { $banned }, unreachable { $unreachable })
admin-stats-active = Active: { $today } today, { $week } in 7 days, { $month } in 30 days
admin-stats-table = Day         new  last seen
admin-stats-chart = New and active users, 30 days
admin-bad-segment = Bad segment “{ $segment }”: use a name such as all, active:7 or tier:gold.
admin-segment-all-value = The segment “all” takes no value.
admin-unknown-segment = Unknown segment “{ $segment }”. Built in: all, active:<days>; others come from enabled plugins (tier:<name>, buyers, ...).
admin-segment-days = The segment “active” needs a number of days from 1 to { $maximum }, as in active:7.
admin-broadcast-not-draft = Broadcast #{ $id } is no longer a draft.
admin-broadcast-already-confirmed = Broadcast #{ $id } was already confirmed.
admin-broadcast-not-running = Broadcast #{ $id } is not running.
admin-broadcast-not-paused = Broadcast #{ $id } is not paused.
admin-broadcast-ended = Broadcast #{ $id } has already ended.
admin-broadcast-already = Broadcast #{ $id } is already { $status }.
