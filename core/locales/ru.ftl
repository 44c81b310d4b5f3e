start = Здравствуйте! Отправьте /help, чтобы узнать, что я умею.

command-start = Запустить бота
command-help = Что умеет этот бот
command-language = Выбрать язык

help-title = Команды:
help-line = /{ $command } - { $description }
command-label-cost = { $description } ({ $cost ->
    [one] { $cost } кредит
    [few] { $cost } кредита
   *[many] { $cost } кредитов
})
help-admin-title = Для администраторов:

error-unexpected = Извините, что-то пошло не так. Если это повторится, сообщите операторам этот код: { $reference }
error-admins-only = Эта команда только для администраторов бота.
error-too-fast = { $seconds ->
    [one] Слишком быстро. Попробуйте снова через { $seconds } секунду.
    [few] Слишком быстро. Попробуйте снова через { $seconds } секунды.
   *[many] Слишком быстро. Попробуйте снова через { $seconds } секунд.
}
error-unknown-command = Неизвестная команда /{ $command }. Отправьте /help, чтобы узнать, что я умею.
error-commands-only = Я понимаю только команды. Отправьте /help, чтобы их увидеть.
error-button-expired = Эта кнопка больше не действует.
error-alert-title = Ошибка { $reference }
error-alert-repeat = { $seconds ->
    [one] О такой же ошибке не будет сообщений ещё { $seconds } секунду.
    [few] О такой же ошибке не будет сообщений ещё { $seconds } секунды.
   *[many] О такой же ошибке не будет сообщений ещё { $seconds } секунд.
}

language-choose = Выберите язык:
language-current = Ваш язык: { $language }.
language-changed = Готово: теперь я буду говорить с вами на языке «{ $language }».
language-unknown = Я не говорю на «{ $code }». Доступны: { $available }.

setting-unknown = Настройки «{ $key }» нет. Изменяемые настройки: { $known }.
setting-none = нет
setting-invalid = Для «{ $key }» такое значение не подходит: { $reason }
setting-start-text-help = ответ на /start (пусто: переведённый текст)
setting-text-length = длина должна быть от 1 до 2000 символов

amount-not-number = «{ $value }» — не целое число.
amount-out-of-range = Число должно быть от { $minimum } до { $maximum }.
amount-field-not-number = { $field }: «{ $value }» — не целое число.
amount-field-out-of-range = { $field }: число должно быть от { $minimum } до { $maximum }.

page-of = страница { $page } из { $pages }
page-previous = ‹ Назад
page-next = Далее ›

conversation-cancelled = Остановлено; ничего не изменено.
conversation-nothing-to-cancel = Отменять нечего.
conversation-nothing-to-go-back-to = Нет предыдущего вопроса, к которому можно вернуться.
command-cancel = Прекратить текущее действие (вопрос бота)
command-back = Вернуться к предыдущему вопросу
