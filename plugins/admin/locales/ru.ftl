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

admin-duration-s = { $s } с
admin-duration-min-s = { $min } мин { $s } с
admin-duration-h-min = { $h } ч { $min } мин
admin-progress-title = Рассылка #{ $id } для { $segment }: { $status }
admin-status-sending = идёт отправка
admin-status-paused = на паузе
admin-status-cancelled = остановлена
admin-status-finished = завершена
admin-progress-counts = Отправлено { $sent } · Ошибок { $failed } · Осталось { $remaining } из { $total }
admin-progress-interrupted = Прервано перезапуском (повторно не отправляется): { $count }
admin-progress-rate = Скорость { NUMBER($rate, minimumFractionDigits: 1) }/с · Осталось около { $left }
admin-button-pause = ⏸ Пауза
admin-button-resume = ▶ Продолжить
admin-button-cancel = ✖ Остановить
admin-button-confirm = ✅ Подтвердить
admin-button-discard = Отменить
admin-report-done = Рассылка #{ $id } завершена.
admin-report-done-in = Рассылка #{ $id } завершена за { $took }.
admin-report-cancelled = Рассылка #{ $id } остановлена; не отправлено: { $remaining }.
admin-report-delivered = Доставлено: { $sent } из { $total }
admin-report-failed = Ошибок: { $failed } (пользователи, заблокировавшие бота, отмечены и дальше пропускаются)
admin-report-interrupted = Прервано перезапуском: { $count } (не более одного раза: сообщение могло дойти, а могло и нет)
admin-stats-users = Пользователи: { $total } (заблокированы { $banned }, недоступны { $unreachable })
admin-stats-active = Активны: { $today } сегодня, { $week } за 7 дней, { $month } за 30 дней
admin-stats-table = День        новые  были
admin-stats-chart = Новые и активные пользователи за 30 дней
admin-bad-segment = Неверный сегмент «{ $segment }»: используйте имя вроде all, active:7 или tier:gold.
admin-segment-all-value = У сегмента «all» не бывает значения.
admin-unknown-segment = Неизвестный сегмент «{ $segment }». Встроенные: all, active:<дней>; остальные дают включённые плагины (tier:<имя>, buyers, ...).
admin-segment-days = Сегменту «active» нужно число дней от 1 до { $maximum }, например active:7.
admin-broadcast-not-draft = Рассылка #{ $id } уже не черновик.
admin-broadcast-already-confirmed = Рассылка #{ $id } уже подтверждена.
admin-broadcast-not-running = Рассылка #{ $id } сейчас не идёт.
admin-broadcast-not-paused = Рассылка #{ $id } не на паузе.
admin-broadcast-ended = Рассылка #{ $id } уже закончилась.
admin-broadcast-already = Рассылка #{ $id } уже { $status }.
