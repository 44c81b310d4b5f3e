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
