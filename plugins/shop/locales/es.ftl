command-shop = Ver la tienda y comprar con créditos
command-purchases = Lo que compraste, para recibirlo de nuevo
command-shop_add = Añadir un producto (en una línea o paso a paso)
command-shop_edit = Cambiar un producto: /shop_edit <sku> <campo> <valor>
command-shop_stock = Fijar existencias: /shop_stock <sku> <n | +n | -n | unlimited>
command-shop_off = Retirar un producto de la venta: /shop_off <sku>
command-shop_on = Volver a poner un producto a la venta: /shop_on <sku>
command-shop_list = Todos los productos con ventas e ingresos

shop-credits = { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
}
shop-price-discounted = { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
} ({ $list } menos tu descuento del { $discount } %)

shop-empty = La tienda está vacía por ahora. ¡Vuelve pronto!
shop-home = Tienda: elige una categoría{ $page }.
shop-category-button = { $name } ({ $count })
shop-product-button = { $title } · { $price } cr
shop-product-button-sold-out = { $title } · { $price } cr · agotado
shop-category-title = { $name }{ $page }:
shop-back-to-categories = ‹ Categorías
shop-card-price = Precio: { $price }
shop-card-stock = Existencias: { $stock }
shop-buy-button = Comprar por { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
}
shop-back = ‹ Volver
shop-confirm-question = ¿Comprar { $title } por { $price }?
shop-confirm = Confirmar
shop-cancel = Cancelar
shop-no-purchases = Todavía no has comprado nada. Envía /shop para ver la tienda.
shop-purchases-page-gone = Esa página ya no existe. Envía /purchases de nuevo.
shop-get-again = Recibir de nuevo: { $title }
shop-purchases-title = Tus compras ({ $total }), página { $page } de { $pages }:
shop-purchase-line = { $date } { $title }: { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
}
shop-price-changed-alert = El precio ha cambiado: confirma de nuevo, por favor.
shop-thanks = ¡Gracias!
shop-bought = Has comprado { $title } por { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
}. Saldo: { $balance ->
    [one] { $balance } crédito
   *[other] { $balance } créditos
}.
shop-not-delivered = Lo siento, no he podido entregar { $title }: { $price ->
    [one] tu crédito vuelve
   *[other] tus { $price } créditos vuelven
} a tu saldo ({ $balance ->
    [one] { $balance } crédito
   *[other] { $balance } créditos
}).
shop-cancelled = Cancelado: no se ha cobrado nada.
shop-sent-again = { $title } enviado de nuevo.
shop-open = Abrir

shop-price-changed = El precio de { $title } ha cambiado de { $old } a { $new ->
    [one] { $new } crédito
   *[other] { $new } créditos
}.
shop-category-empty = Esa categoría está vacía ahora. Envía /shop para ver lo que está a la venta.
shop-not-on-sale = Ese producto ya no está a la venta. Envía /shop para ver lo que hay.
shop-sold-out = { $title } está agotado.
shop-button-invalid = Este botón no es válido. Envía /shop para empezar de nuevo.
shop-just-sold-out = Lo siento, { $title } se acaba de agotar. No se ha cobrado nada.
shop-not-enough = { $title } cuesta { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
} y tu saldo es { $balance } (faltan { $shortfall }). No se ha cobrado nada.
shop-already-confirmed = Ya confirmaste esta compra; no se ha vuelto a cobrar. Tus artículos están en /purchases.
shop-refunded = Esta compra fue reembolsada. Envía /shop para comprar de nuevo.
shop-expired = Esta oferta ha caducado. Abre el producto otra vez desde /shop.
shop-purchases-button-invalid = Este botón no es válido. Envía /purchases para ver lo que tienes.
shop-in-stock = Disponible
shop-left = { $count ->
    [one] Queda { $count }
   *[other] Quedan { $count }
}
shop-sold-out-short = Agotado
shop-summary = Tienda: { $count ->
    [one] { $count } compra
   *[other] { $count } compras
}, { $total ->
    [one] { $total } crédito gastado
   *[other] { $total } créditos gastados
}

shop-field-title = Título
shop-field-category = Categoría
shop-field-description = Descripción
shop-field-price = Precio
shop-field-stock = Existencias
shop-field-empty = { $field }: está vacío.
shop-field-too-long = { $field }: demasiado largo ({ $length } caracteres, como máximo { $limit }).
shop-bad-sku = Un SKU tiene de 1 a 64 letras, cifras, «_», «.» o «-».
shop-bad-content = El contenido es text:<el texto>, link:<https://...>, file:<id de archivo de Telegram> o photo:<id de archivo de Telegram>.
shop-text-too-long = Un texto para entregar tiene de 1 a { $limit } caracteres.
shop-bad-link = Un enlace empieza por https:// (o http://) y no tiene espacios.
shop-bad-file = Eso no parece un id de archivo de Telegram.
shop-add-usage = Uso: /shop_add sku | título | precio | categoría | text:... o link:... o file:... | existencias [| descripción]
    O envía solo /shop_add y te lo preguntaré.
shop-no-sku = No hay ningún producto con el SKU { $sku }. Mira /shop_list.
shop-sku-taken = El SKU { $sku } ya existe; usa /shop_edit para cambiarlo.
shop-fields = Los campos son: { $fields }.
shop-stock-below-zero = Las existencias son ilimitadas o quedarían por debajo de cero; indica un número.

shop-kind-text = texto
shop-kind-link = enlace
shop-kind-file = archivo
shop-kind-photo = foto
shop-state-on = a la venta
shop-state-off = retirado
shop-describe = { $sku }: { $title }, { $price ->
    [one] { $price } crédito
   *[other] { $price } créditos
}, { $category }, { $kind }, { $stock }, { $state }
shop-added = Añadido { $product }.
shop-changed = Cambiado { $product }.
shop-try-again = { $problem }
    No se ha cambiado nada; envía /{ $command } para intentarlo de nuevo.
shop-ask-sku = Producto nuevo. ¿Su SKU (un código corto como ebook-1)? Di «cancel» para parar.
shop-ask-title = ¿Título?
shop-ask-price = ¿Precio en créditos?
shop-ask-category = ¿Categoría?
shop-ask-content = ¿Qué se entrega? Envía text:..., link:https://..., o el archivo o la foto directamente.
shop-ask-stock = ¿Cuántas existencias? Un número, o «unlimited».
shop-ask-description = ¿Una descripción para la ficha? «-» para ninguna.
shop-ask-which = ¿Qué producto (SKU)? Di «cancel» para parar.
shop-ask-field = ¿Qué campo: title, description, price, category, content, stock?
shop-ask-value = ¿El nuevo valor?
shop-stock-usage = Uso: /shop_stock <sku> <n | +n | -n | unlimited>
shop-stock-of = Existencias de { $sku }: { $stock }.
shop-on-usage = Uso: /shop_on <sku>
shop-off-usage = Uso: /shop_off <sku>
shop-now-on = { $sku } está a la venta.
shop-now-off = { $sku } está retirado de la venta.
shop-no-products = Todavía no hay productos. Añade uno con /shop_add.
shop-list-title = { $count ->
    [one] { $count } producto:
   *[other] { $count } productos:
}
shop-list-line = { $product }; vendidos { $sales }, ingresos { $revenue ->
    [one] { $revenue } crédito
   *[other] { $revenue } créditos
}
shop-list-total = Total: vendidos { $sales }, ingresos { $revenue ->
    [one] { $revenue } crédito
   *[other] { $revenue } créditos
}
