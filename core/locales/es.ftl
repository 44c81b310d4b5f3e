start = ¡Hola! Envía /help para ver lo que puedo hacer.

command-start = Iniciar el bot
command-help = Qué puede hacer este bot
command-language = Elegir tu idioma

help-title = Comandos:
help-line = /{ $command } - { $description }
command-label-cost = { $description } ({ $cost ->
    [one] { $cost } crédito
   *[other] { $cost } créditos
})
help-admin-title = Para administradores:

error-unexpected = Lo siento, algo salió mal. Si vuelve a pasar, da a los operadores esta referencia: { $reference }
error-admins-only = Esto es solo para los administradores del bot.
error-too-fast = { $seconds ->
    [one] Vas demasiado rápido. Inténtalo de nuevo en { $seconds } segundo.
   *[other] Vas demasiado rápido. Inténtalo de nuevo en { $seconds } segundos.
}
error-unknown-command = No conozco el comando /{ $command }. Envía /help para ver lo que puedo hacer.
error-commands-only = Solo entiendo comandos. Envía /help para verlos.
error-button-expired = Este botón ya no es válido.
error-alert-title = Error { $reference }
error-alert-repeat = { $seconds ->
    [one] El mismo error no se volverá a notificar durante { $seconds } segundo.
   *[other] El mismo error no se volverá a notificar durante { $seconds } segundos.
}

language-choose = Elige tu idioma:
language-current = Tu idioma: { $language }.
language-changed = Hecho: a partir de ahora te hablaré en { $language }.
language-unknown = No hablo «{ $code }». Disponibles: { $available }.

setting-unknown = No existe el ajuste «{ $key }». Ajustes editables: { $known }.
setting-none = ninguno
setting-invalid = «{ $key }» no admite ese valor: { $reason }
setting-start-text-help = la respuesta a /start (vacío: el texto traducido)
setting-text-length = debe tener entre 1 y 2000 caracteres

amount-not-number = «{ $value }» no es un número entero.
amount-out-of-range = El número debe estar entre { $minimum } y { $maximum }.
amount-field-not-number = { $field }: «{ $value }» no es un número entero.
amount-field-out-of-range = { $field }: el número debe estar entre { $minimum } y { $maximum }.

page-of = página { $page } de { $pages }
page-previous = ‹ Anterior
page-next = Siguiente ›

conversation-cancelled = Detenido; no se ha cambiado nada.
conversation-nothing-to-cancel = No hay nada que cancelar.
conversation-nothing-to-go-back-to = No hay ninguna pregunta anterior a la que volver.
command-cancel = Dejar lo que estás haciendo (una pregunta del bot)
command-back = Volver a la pregunta anterior
