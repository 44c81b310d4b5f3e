command-balance = Ваши кредиты, уровень и последние операции
command-history = История кредитов по страницам
command-autorecharge = Предлагать пополнение, когда баланс на исходе
command-grant = Начислить кредиты: /grant <пользователь> <сумма> [причина]
command-revoke = Списать кредиты: /revoke <пользователь> <сумма> [причина]
command-credits = Кредиты пользователя (/credits <пользователь>) или итоги (/credits)

credits-balance = Баланс: { $balance ->
    [one] { $balance } кредит
    [few] { $balance } кредита
   *[many] { $balance } кредитов
}
credits-user-balance = { $name } (id { $id }): { $balance ->
    [one] { $balance } кредит
    [few] { $balance } кредита
   *[many] { $balance } кредитов
}
credits-tier-none = Уровень: пока нет
credits-tier = Уровень: { $tier }
credits-tier-discount = Уровень: { $tier } (скидка { $discount } %)
credits-autorecharge-line = Автопополнение: { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
}, когда баланс ниже { $threshold }
credits-last-entries = { $total ->
    [one] Единственная операция:
   *[other] Последние { $shown } из { $total }:
}
credits-history-line = { $when }  { $amount }{ $reason } = { $balance }
credits-bought-total = Куплено всего: { $total ->
    [one] { $total } кредит
    [few] { $total } кредита
   *[many] { $total } кредитов
}

credits-history-empty = Операций с кредитами пока нет.
credits-page-gone = Этой страницы больше нет. Отправьте /history ещё раз.
credits-history-title = История, страница { $page } из { $pages }:

credits-autorecharge-usage = Как пользоваться: /autorecharge <порог> <сумма>, например /autorecharge 20 100: когда баланс опустится ниже 20, я предложу пополнить его на 100 кредитов одним нажатием. /autorecharge off отключает это.
credits-autorecharge-off-state = Автопополнение: выключено.
credits-autorecharge-stopped = Автопополнение выключено.
credits-autorecharge-started = Автопополнение включено: когда баланс опустится ниже { $threshold }, я предложу вам { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
}.
credits-field-threshold = Порог
credits-field-amount = Сумма

credits-unknown-user = Я не знаю пользователя { $user }: укажите его id или @имя (он должен был написать боту).
credits-grant-usage = Как пользоваться: /grant <id или @имя> <сумма> [причина]
credits-revoke-usage = Как пользоваться: /revoke <id или @имя> <сумма> [причина]
credits-credits-usage = Как пользоваться: /credits [id или @имя]
credits-revoke-short = У { $name } только { $balance ->
    [one] { $balance } кредит
    [few] { $balance } кредита
   *[many] { $balance } кредитов
}, на { $shortfall } меньше, чем { $amount }: ничего не списано.
credits-revoked = Списано у { $name }: { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
}, баланс { $balance }.
credits-granted = Начислено { $name }: { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
}, баланс { $balance }.
credits-received = Вам начислено { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
} ({ $reason }). Баланс: { $balance }.
credits-summary =
    Выпущено кредитов: { $issued } (куплено: { $purchased })
    Потрачено: { $spent }
    На счетах: { $outstanding } на { $accounts ->
        [one] { $accounts } счёте
       *[other] { $accounts } счетах
    }
    Операций: { $entries }
    /credits <пользователь> покажет одного пользователя.

credits-reason-admin-grant = начислено администратором
credits-reason-admin-revoke = списано администратором
credits-reason-start-bonus = приветственный бонус
credits-reason-refund = возврат
credits-reason-reversed = отменено

credits-command-cost = /{ $command } стоит { $cost ->
    [one] { $cost } кредит
    [few] { $cost } кредита
   *[many] { $cost } кредитов
}, а на балансе { $balance } (не хватает { $shortfall }).
credits-not-enough = Недостаточно кредитов: нужно { $needed }, на балансе { $balance } (не хватает { $shortfall }).
credits-cannot-take-back = Нельзя списать { $needed ->
    [one] { $needed } кредит
    [few] { $needed } кредита
   *[many] { $needed } кредитов
}: { $spent } из них уже потрачено (баланс { $balance }).
credits-nothing-to-take-back = Списывать нечего: { $needed ->
    [one] { $needed } кредит уже потрачен
    [few] все { $needed } кредита уже потрачены
   *[many] все { $needed } кредитов уже потрачены
}.
credits-bad-amount = Сумма должна быть целым числом от 1 до { $maximum }.
credits-key-reused = Это изменение уже было сделано с другими данными, поэтому ничего не изменено.
credits-no-debit = Такого списания нет, возвращать нечего.
credits-no-credit = Такого начисления нет, списывать нечего.

credits-tier-ended = Ваш уровень закончился: покупки кредитов опустились ниже первого уровня.
credits-tier-reached = Вы достигли уровня { $tier }.
credits-tier-reached-discount = Вы достигли уровня { $tier }: теперь ваша скидка { $discount } %.
