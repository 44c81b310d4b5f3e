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

admin-broadcast-usage = Как пользоваться: /broadcast [to=сегмент] текст или ответьте на сообщение командой /broadcast [to=сегмент], чтобы разослать его копию. Сегменты: all, active:<дней> и сегменты включённых плагинов (tier:<имя>, buyers).
admin-broadcast-too-long = В тексте { $length } символов; в одно сообщение помещается { $limit }.
admin-broadcast-preview = Предпросмотр выше. Рассылка #{ $id } для { $segment }: { $users ->
    [one] { $users } пользователь
    [few] { $users } пользователя
   *[many] { $users } пользователей
} сейчас. Отправить?
admin-broadcast-sending = Отправляю: { $users ->
    [one] { $users } пользователь
    [few] { $users } пользователя
   *[many] { $users } пользователей
}.
admin-broadcast-discarded-short = Отменено.
admin-broadcast-discarded = Рассылка #{ $id } отменена.
admin-broadcast-pausing = Пауза после сообщений, которые уже в пути.
admin-broadcast-resumed = Продолжено.
admin-broadcast-cancelled = Остановлено.
admin-broadcast-status-usage = Как пользоваться: /broadcast_status <id>
admin-no-broadcast = Рассылки #{ $id } нет.
admin-user-usage = Как пользоваться: /user <id или @имя>
admin-ban-usage = Как пользоваться: /ban <id или @имя> [причина]
admin-unban-usage = Как пользоваться: /unban <id или @имя>
admin-reason-too-long = Причина должна быть короче { $limit } символов.
admin-cannot-ban-admin = Администратора нельзя заблокировать. Чтобы заблокировать этого человека, сначала уберите его из списка администраторов бота в настройках.
admin-already-banned = { $name } уже заблокирован.
admin-not-banned = { $name } не заблокирован.
admin-banned-now = { $name } ({ $id }) заблокирован. Его сообщения теперь игнорируются.
admin-banned-because = { $name } ({ $id }) заблокирован: { $reason }. Его сообщения теперь игнорируются.
admin-unbanned = { $name } ({ $id }) разблокирован.
admin-nobody-banned = Заблокированных нет.
admin-no-more-banned = Больше заблокированных нет.
admin-banned-title = Заблокированные пользователи (страница { $page }):
admin-set-usage = Как пользоваться: /set <ключ> <значение>. /settings покажет ключи.
admin-get-usage = Как пользоваться: /get <ключ>. /settings покажет ключи.
admin-no-settings = Нет настроек, которые можно менять на ходу.
admin-settings-title = Настройки на ходу (/set <ключ> <значение>):
