command-shop = Магазин: покупки за кредиты
command-purchases = Ваши покупки, чтобы получить их снова
command-shop_add = Добавить товар (одной строкой или по шагам)
command-shop_edit = Изменить товар: /shop_edit <sku> <поле> <значение>
command-shop_stock = Задать остаток: /shop_stock <sku> <n | +n | -n | unlimited>
command-shop_off = Снять товар с продажи: /shop_off <sku>
command-shop_on = Вернуть товар в продажу: /shop_on <sku>
command-shop_list = Все товары с продажами и выручкой

shop-credits = { $amount ->
    [one] { $amount } кредит
    [few] { $amount } кредита
   *[many] { $amount } кредитов
}
shop-price-discounted = { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
} ({ $list } минус ваша скидка { $discount } %)

shop-empty = В магазине пока пусто. Загляните позже!
shop-home = Магазин: выберите категорию{ $page }.
shop-category-button = { $name } ({ $count })
shop-product-button = { $title } · { $price } кр.
shop-product-button-sold-out = { $title } · { $price } кр. · нет в наличии
shop-category-title = { $name }{ $page }:
shop-back-to-categories = ‹ Категории
shop-card-price = Цена: { $price }
shop-card-stock = Наличие: { $stock }
shop-buy-button = Купить за { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
}
shop-back = ‹ Назад
shop-confirm-question = Купить «{ $title }» за { $price }?
shop-confirm = Подтвердить
shop-cancel = Отмена
shop-no-purchases = Вы пока ничего не купили. Отправьте /shop, чтобы посмотреть товары.
shop-purchases-page-gone = Этой страницы больше нет. Отправьте /purchases ещё раз.
shop-get-again = Получить снова: { $title }
shop-purchases-title = Ваши покупки ({ $total }), страница { $page } из { $pages }:
shop-purchase-line = { $date } { $title }: { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
}
shop-price-changed-alert = Цена изменилась: подтвердите покупку ещё раз.
shop-thanks = Спасибо!
shop-bought = Вы купили «{ $title }» за { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
}. Баланс: { $balance ->
    [one] { $balance } кредит
    [few] { $balance } кредита
   *[many] { $balance } кредитов
}.
shop-not-delivered = Извините, не удалось доставить «{ $title }»: { $price ->
    [one] { $price } кредит возвращён
    [few] { $price } кредита возвращены
   *[many] { $price } кредитов возвращены
} на ваш баланс ({ $balance ->
    [one] { $balance } кредит
    [few] { $balance } кредита
   *[many] { $balance } кредитов
}).
shop-cancelled = Отменено: ничего не списано.
shop-sent-again = «{ $title }» отправлен снова.
shop-open = Открыть

shop-price-changed = Цена «{ $title }» изменилась с { $old } на { $new ->
    [one] { $new } кредит
    [few] { $new } кредита
   *[many] { $new } кредитов
}.
shop-category-empty = В этой категории сейчас пусто. Отправьте /shop, чтобы увидеть товары в продаже.
shop-not-on-sale = Этот товар больше не продаётся. Отправьте /shop, чтобы увидеть, что есть.
shop-sold-out = «{ $title }» закончился.
shop-button-invalid = Эта кнопка недействительна. Отправьте /shop, чтобы начать заново.
shop-just-sold-out = Извините, «{ $title }» только что закончился. Ничего не списано.
shop-not-enough = «{ $title }» стоит { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
}, а на балансе { $balance } (не хватает { $shortfall }). Ничего не списано.
shop-already-confirmed = Вы уже подтвердили эту покупку; повторно ничего не списано. Ваши товары — в /purchases.
shop-refunded = За эту покупку сделан возврат. Отправьте /shop, чтобы купить снова.
shop-expired = Это предложение устарело. Откройте товар снова через /shop.
shop-purchases-button-invalid = Эта кнопка недействительна. Отправьте /purchases, чтобы увидеть свои покупки.
shop-in-stock = В наличии
shop-left = Осталось: { $count }
shop-sold-out-short = Нет в наличии
shop-summary = Магазин: { $count ->
    [one] { $count } покупка
    [few] { $count } покупки
   *[many] { $count } покупок
}, потрачено { $total ->
    [one] { $total } кредит
    [few] { $total } кредита
   *[many] { $total } кредитов
}

shop-field-title = Название
shop-field-category = Категория
shop-field-description = Описание
shop-field-price = Цена
shop-field-stock = Остаток
shop-field-empty = { $field }: пусто.
shop-field-too-long = { $field }: слишком длинно ({ $length } символов, не больше { $limit }).
shop-bad-sku = SKU — от 1 до 64 латинских букв, цифр, «_», «.» или «-».
shop-bad-content = Содержимое: text:<текст>, link:<https://...>, file:<id файла в Telegram> или photo:<id файла в Telegram>.
shop-text-too-long = Текст для доставки — от 1 до { $limit } символов.
shop-bad-link = Ссылка начинается с https:// (или http://) и не содержит пробелов.
shop-bad-file = Это не похоже на id файла в Telegram.
shop-add-usage = Как пользоваться: /shop_add sku | название | цена | категория | text:... или link:... или file:... | остаток [| описание]
    Или отправьте просто /shop_add, и я спрошу по шагам.
shop-no-sku = Товара с SKU { $sku } нет. Смотрите /shop_list.
shop-sku-taken = SKU { $sku } уже занят; чтобы изменить товар, используйте /shop_edit.
shop-fields = Поля: { $fields }.
shop-stock-below-zero = Остаток не ограничен или ушёл бы ниже нуля; укажите число.

shop-kind-text = текст
shop-kind-link = ссылка
shop-kind-file = файл
shop-kind-photo = фото
shop-state-on = в продаже
shop-state-off = снят с продажи
shop-describe = { $sku }: { $title }, { $price ->
    [one] { $price } кредит
    [few] { $price } кредита
   *[many] { $price } кредитов
}, { $category }, { $kind }, { $stock }, { $state }
shop-added = Добавлено: { $product }.
shop-changed = Изменено: { $product }.
shop-try-again = { $problem }
    Ничего не изменено; отправьте /{ $command }, чтобы попробовать снова.
shop-ask-sku = Новый товар. Его SKU (короткий код, например ebook-1)? Напишите «cancel», чтобы прервать.
shop-ask-title = Название?
shop-ask-price = Цена в кредитах?
shop-ask-category = Категория?
shop-ask-content = Что доставляем? Отправьте text:..., link:https://... или сам файл или фото.
shop-ask-stock = Сколько в наличии? Число или «unlimited».
shop-ask-description = Описание для карточки? «-» — без описания.
shop-ask-which = Какой товар (SKU)? Напишите «cancel», чтобы прервать.
shop-ask-field = Какое поле: title, description, price, category, content, stock?
shop-ask-value = Новое значение?
shop-stock-usage = Как пользоваться: /shop_stock <sku> <n | +n | -n | unlimited>
shop-stock-of = Остаток { $sku }: { $stock }.
shop-on-usage = Как пользоваться: /shop_on <sku>
shop-off-usage = Как пользоваться: /shop_off <sku>
shop-now-on = { $sku } теперь в продаже.
shop-now-off = { $sku } снят с продажи.
shop-no-products = Товаров пока нет. Добавьте первый через /shop_add.
shop-list-title = { $count ->
    [one] { $count } товар:
    [few] { $count } товара:
   *[many] { $count } товаров:
}
shop-list-line = { $product }; продано { $sales }, выручка { $revenue ->
    [one] { $revenue } кредит
    [few] { $revenue } кредита
   *[many] { $revenue } кредитов
}
shop-list-total = Итого: продано { $sales }, выручка { $revenue ->
    [one] { $revenue } кредит
    [few] { $revenue } кредита
   *[many] { $revenue } кредитов
}
