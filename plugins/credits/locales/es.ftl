command-balance = Tus créditos, tu nivel y los últimos movimientos
command-history = Tu historial de créditos, página a página
command-autorecharge = Ofrecer una recarga cuando tu saldo baje
command-grant = Dar créditos: /grant <usuario> <cantidad> [motivo]
command-revoke = Retirar créditos: /revoke <usuario> <cantidad> [motivo]
command-credits = Créditos de un usuario (/credits <usuario>) o totales (/credits)

credits-balance = Saldo: { $balance ->
    [one] { $balance } crédito
   *[other] { $balance } créditos
}
credits-user-balance = { $name } (id { $id }): { $balance ->
    [one] { $balance } crédito
   *[other] { $balance } créditos
}
credits-tier-none = Nivel: todavía ninguno
credits-tier = Nivel: { $tier }
credits-tier-discount = Nivel: { $tier } ({ $discount } % de descuento)
credits-autorecharge-line = Recarga automática: { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
} cuando baje de { $threshold }
credits-last-entries = { $total ->
    [one] El único movimiento:
   *[other] Últimos { $shown } de { $total } movimientos:
}
credits-history-line = { $when }  { $amount }{ $reason } = { $balance }
credits-bought-total = Comprado en total: { $total ->
    [one] { $total } crédito
   *[other] { $total } créditos
}

credits-history-empty = Todavía no hay movimientos de créditos.
credits-page-gone = Esa página ya no existe. Envía /history de nuevo.
credits-history-title = Historial, página { $page } de { $pages }:

credits-autorecharge-usage = Uso: /autorecharge <umbral> <cantidad>, por ejemplo /autorecharge 20 100: cuando tu saldo baje de 20 te ofrezco 100 créditos con un toque. /autorecharge off la desactiva.
credits-autorecharge-off-state = Recarga automática: desactivada.
credits-autorecharge-stopped = La recarga automática está desactivada.
credits-autorecharge-started = Recarga automática activada: cuando tu saldo baje de { $threshold }, te ofreceré { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
}.
credits-field-threshold = Umbral
credits-field-amount = Cantidad

credits-unknown-user = No conozco al usuario { $user }: indica su id o su @usuario (tiene que haber escrito al bot).
credits-grant-usage = Uso: /grant <id o @usuario> <cantidad> [motivo]
credits-revoke-usage = Uso: /revoke <id o @usuario> <cantidad> [motivo]
credits-credits-usage = Uso: /credits [id o @usuario]
credits-revoke-short = { $name } solo tiene { $balance ->
    [one] { $balance } crédito
   *[other] { $balance } créditos
}, { $shortfall } menos que { $amount }: no se ha retirado nada.
credits-revoked = Retirados { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
} a { $name }: saldo { $balance }.
credits-granted = Concedidos { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
} a { $name }: saldo { $balance }.
credits-received = Has recibido { $amount ->
    [one] { $amount } crédito
   *[other] { $amount } créditos
} ({ $reason }). Saldo: { $balance }.
credits-summary =
    Créditos emitidos: { $issued } (comprados: { $purchased })
    Gastados: { $spent }
    Pendientes: { $outstanding } en { $accounts ->
        [one] { $accounts } cuenta
       *[other] { $accounts } cuentas
    }
    Movimientos: { $entries }
    Usa /credits <usuario> para ver un usuario.

credits-reason-admin-grant = concedido por un administrador
credits-reason-admin-revoke = retirado por un administrador
credits-reason-start-bonus = bono de bienvenida
credits-reason-refund = reembolso
credits-reason-reversed = anulado

credits-command-cost = /{ $command } cuesta { $cost ->
    [one] { $cost } crédito
   *[other] { $cost } créditos
} y tu saldo es { $balance } (faltan { $shortfall }).
credits-not-enough = No tienes créditos suficientes: hacen falta { $needed } y tu saldo es { $balance } (faltan { $shortfall }).
credits-cannot-take-back = No se pueden retirar { $needed ->
    [one] { $needed } crédito
   *[other] { $needed } créditos
}: { $spent } ya se han gastado (saldo { $balance }).
credits-nothing-to-take-back = No hay nada que retirar: { $needed ->
    [one] el crédito ya se ha gastado
   *[other] los { $needed } créditos ya se han gastado
}.
credits-bad-amount = La cantidad debe ser un número entero entre 1 y { $maximum }.
credits-key-reused = Este cambio ya se hizo con otros datos, así que no se ha cambiado nada.
credits-no-debit = No existe ese cargo para devolverlo.
credits-no-credit = No existe ese abono para retirarlo.

credits-tier-ended = Tu nivel ha terminado: tus compras de créditos quedaron por debajo del primer nivel.
credits-tier-reached = Has alcanzado el nivel { $tier }.
credits-tier-reached-discount = Has alcanzado el nivel { $tier }: a partir de ahora, { $discount } % de descuento.
