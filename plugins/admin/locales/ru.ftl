admin-no-user = Пользователя «{ $ref }» нет. Укажите числовой id или @имя того, кто писал боту.
admin-no-name = (без имени)
admin-language-unknown = Telegram не сообщил
admin-user-title = Пользователь { $id }
admin-user-title-username = Пользователь { $id } (@{ $username })
admin-user-name = Имя: { $name }
admin-user-language = Язык: { $language }
admin-user-first-seen = Впервые: { $when }
admin-user-last-seen = Последний раз: { $when }
admin-user-banned = Заблокирован: да
admin-user-banned-because = Заблокирован: да ({ $reason })
admin-user-not-banned = Заблокирован: нет
admin-user-unreachable = Недоступен: заблокировал бота или удалил аккаунт
admin-user-admin = Администратор: да

command-broadcast = Разослать сообщение всем или сегменту: /broadcast [to=сегмент] текст
command-broadcast_status = Ход рассылки: /broadcast_status <id>
command-user = Найти пользователя: /user <id или @имя>
command-ban = Заблокировать пользователя: /ban <id или @имя> [причина]
command-unban = Снять блокировку: /unban <id или @имя>
command-banned = Заблокированные пользователи
command-set = Изменить настройку на ходу: /set <ключ> <значение>
command-get = Показать настройку: /get <ключ>
command-settings = Настройки, которые можно менять на ходу
command-stats = Пользователи, активность и показатели плагинов
