command-buy = Comprar créditos
command-paysupport = Ayuda con un pago
command-terms = Condiciones de venta
command-privacy = Política de privacidad
command-refund = Reembolsar un pago en Stars: /refund <id de cargo> [force]
command-payments = Últimos pagos y totales por día y moneda
command-payments_csv = Todos los pagos en un archivo CSV

payments-support = Para cualquier ayuda con un pago, escribe a los operadores de este bot indicando la fecha y el importe del pago.
payments-terms = Los créditos son un bien digital para usar en este bot. Las compras son definitivas salvo reembolso.
payments-privacy = Guardamos tu id de Telegram y tus pagos para que el bot funcione; no compartimos nada más.

payments-package-title = { $credits ->
    [one] { $credits } crédito
   *[other] { $credits } créditos
}
payments-topup-title = Recarga: { $credits ->
    [one] { $credits } crédito
   *[other] { $credits } créditos
}
payments-package-label = { $title }: { $price }
payments-invoice-description = { $credits ->
    [one] { $credits } crédito
   *[other] { $credits } créditos
} para tu saldo.
payments-topup-description = Tu saldo está bajo: toca para recargarlo (recarga automática).
payments-nothing-on-sale = Ahora mismo no hay nada a la venta.
payments-choose = Elige un paquete de créditos:
payments-not-offered = Ese paquete no está a la venta. Envía /buy para ver los que hay.
payments-not-set-up = Los pagos todavía no están configurados. Inténtalo más tarde.
payments-late = No hemos podido comprobar este pago a tiempo. No se ha cobrado nada: inténtalo de nuevo en un momento.
payments-broken = Algo ha fallado por nuestra parte. No se ha cobrado nada: inténtalo más tarde.
payments-not-available = Los pagos no están disponibles para esta cuenta.
payments-invalid-invoice = Esta factura no es válida. Envía /buy para recibir una nueva.
payments-package-gone = Este paquete ya no se ofrece. Envía /buy para ver los actuales.
payments-price-changed = El precio ha cambiado a { $price }. Envía /buy para recibir una factura nueva.
payments-thanks = ¡Gracias! Se { $credits ->
    [one] ha añadido { $credits } crédito
   *[other] han añadido { $credits } créditos
} por { $price }. Tu saldo: { $balance }.

payments-refund-usage = Uso: /refund <id de cargo> [force]
payments-not-charge-id = Eso no es un id de cargo.
payments-refund-already = El reembolso de { $charge } ya estaba en cola; /payments muestra su estado.
payments-refund-queued = Reembolso de { $charge } en cola; { $credits ->
    [one] { $credits } crédito retirado
   *[other] { $credits } créditos retirados
}.
payments-refund-queued-unrecovered = Reembolso de { $charge } en cola; { $credits ->
    [one] { $credits } crédito retirado
   *[other] { $credits } créditos retirados
} ({ $unrecovered } ya se habían gastado y se quedan con el usuario).
payments-no-payment = No hay ningún pago con el id de cargo { $charge }.
payments-stars-only = Desde el bot solo se pueden reembolsar pagos en Stars; los pagos con tarjeta se reembolsan con tu proveedor de pagos.
payments-under-review = Este pago no concedió créditos (está en revisión).
payments-refund-force = { $problem } Envía /refund { $charge } force para reembolsar las Stars de todos modos y retirar solo lo que quede.
payments-none = Todavía no hay pagos.
payments-last = Últimos pagos:
payments-line = { $when } usuario { $user }: { $price }, { $credits ->
    [one] { $credits } crédito
   *[other] { $credits } créditos
}, { $status } [{ $charge }]
payments-by-day = Por día (14 días, sin reembolsos):
payments-day-line = { $day } { $currency }: { $count ->
    [one] { $count } pago
   *[other] { $count } pagos
}, { $price }
payments-all-time = En total: { $totals }
payments-all-time-none = En total: todavía no se ha recibido nada (sin contar reembolsos).
payments-total = { $price } en { $count ->
    [one] { $count } pago
   *[other] { $count } pagos
}
payments-status-paid = pagado
payments-status-review = en revisión
payments-status-refunding = reembolso en cola
payments-status-refunded = reembolsado
payments-csv-caption = Pagos (CSV)
payments-user-line = Pagos: { $count } ({ $price })
payments-user-refunded = Pagos reembolsados: { $count }
payments-bad-payload = El pago { $charge } del usuario { $user } ({ $price }) tiene una factura que no se puede verificar: queda registrado para revisión, sin conceder créditos.
payments-refund-failed = El reembolso en Stars de { $charge } ha fallado tras { $attempts } intentos ({ $error }). Los créditos siguen retirados; reembólsalo a mano o devuelve los créditos con /grant.
payments-refunded-to-user = Tu pago ha sido reembolsado: las Stars vuelven a tu cuenta.
