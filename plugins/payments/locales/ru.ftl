command-buy = Купить кредиты
command-paysupport = Помощь с оплатой
command-terms = Условия продажи
command-privacy = Политика конфиденциальности
command-refund = Вернуть платёж в Stars: /refund <id платежа> [force]
command-payments = Последние платежи и итоги по дням и валютам
command-payments_csv = Все платежи в файле CSV

payments-support = Если нужна помощь с оплатой, напишите операторам этого бота и укажите дату и сумму платежа.
payments-terms = Кредиты — цифровой товар для использования в этом боте. Покупки окончательны, если не оформлен возврат.
payments-privacy = Мы храним ваш id в Telegram и ваши платежи, чтобы бот работал; больше ничем не делимся.

payments-package-title = { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
}
payments-topup-title = Пополнение: { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
}
payments-package-label = { $title }: { $price }
payments-invoice-description = { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
} на ваш баланс.
payments-topup-description = Баланс на исходе: нажмите, чтобы пополнить (автопополнение).
payments-nothing-on-sale = Сейчас ничего не продаётся.
payments-choose = Выберите пакет кредитов:
payments-not-offered = Такого пакета нет в продаже. Отправьте /buy, чтобы увидеть доступные.
payments-not-set-up = Оплата ещё не настроена. Попробуйте позже.
payments-late = Мы не успели проверить этот платёж. Деньги не списаны: попробуйте ещё раз чуть позже.
payments-broken = У нас что-то пошло не так. Деньги не списаны: попробуйте позже.
payments-not-available = Для этого аккаунта оплата недоступна.
payments-invalid-invoice = Этот счёт недействителен. Отправьте /buy, чтобы получить новый.
payments-package-gone = Этот пакет больше не продаётся. Отправьте /buy, чтобы увидеть актуальные.
payments-price-changed = Цена изменилась: теперь { $price }. Отправьте /buy, чтобы получить новый счёт.
payments-thanks = Спасибо! { $credits ->
    [one] Начислен { $credits } кредит
    [few] Начислено { $credits } кредита
   *[many] Начислено { $credits } кредитов
} за { $price }. Ваш баланс: { $balance }.

payments-refund-usage = Как пользоваться: /refund <id платежа> [force]
payments-not-charge-id = Это не id платежа.
payments-refund-already = Возврат { $charge } уже в очереди; его состояние видно в /payments.
payments-refund-queued = Возврат { $charge } в очереди; списано { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
}.
payments-refund-queued-unrecovered = Возврат { $charge } в очереди; списано { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
} ({ $unrecovered } уже потрачено и остаётся у пользователя).
payments-no-payment = Платежа с id { $charge } нет.
payments-stars-only = Из бота можно вернуть только платежи в Stars; платежи картой возвращайте через платёжного провайдера.
payments-under-review = Этот платёж не начислил кредитов (он на проверке).
payments-refund-force = { $problem } Отправьте /refund { $charge } force, чтобы всё равно вернуть Stars и списать только то, что осталось.
payments-none = Платежей пока нет.
payments-last = Последние платежи:
payments-line = { $when } пользователь { $user }: { $price }, { $credits ->
    [one] { $credits } кредит
    [few] { $credits } кредита
   *[many] { $credits } кредитов
}, { $status } [{ $charge }]
payments-by-day = По дням (14 дней, без возвратов):
payments-day-line = { $day } { $currency }: { $count ->
    [one] { $count } платёж
    [few] { $count } платежа
   *[many] { $count } платежей
}, { $price }
payments-all-time = За всё время: { $totals }
payments-all-time-none = За всё время: пока ничего не получено (без учёта возвратов).
payments-total = { $price } в { $count ->
    [one] { $count } платеже
   *[other] { $count } платежах
}
payments-status-paid = оплачен
payments-status-review = на проверке
payments-status-refunding = возврат в очереди
payments-status-refunded = возвращён
payments-csv-caption = Платежи (CSV)
payments-user-line = Платежи: { $count } ({ $price })
payments-user-refunded = Возвращённые платежи: { $count }
payments-bad-payload = Платёж { $charge } от пользователя { $user } ({ $price }) пришёл со счётом, который не проходит проверку: записан на проверку, кредиты не начислены.
payments-refund-failed = Возврат Stars по { $charge } не удался после { $attempts } попыток ({ $error }). Кредиты остаются списанными; верните платёж вручную или начислите кредиты обратно через /grant.
payments-refunded-to-user = Ваш платёж возвращён: Stars уже возвращаются к вам.
