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
