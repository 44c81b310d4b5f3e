admin-no-user = No hay ningún usuario «{ $ref }». Indica el id numérico o el @usuario de alguien que haya escrito al bot.
admin-no-name = (sin nombre)
admin-language-unknown = Telegram no lo indica
admin-user-title = Usuario { $id }
admin-user-title-username = Usuario { $id } (@{ $username })
admin-user-name = Nombre: { $name }
admin-user-language = Idioma: { $language }
admin-user-first-seen = Visto por primera vez: { $when }
admin-user-last-seen = Visto por última vez: { $when }
admin-user-banned = Bloqueado: sí
admin-user-banned-because = Bloqueado: sí ({ $reason })
admin-user-not-banned = Bloqueado: no
admin-user-unreachable = Inalcanzable: bloqueó el bot o borró la cuenta
admin-user-admin = Administrador: sí

command-broadcast = Enviar un mensaje a todos los usuarios o a un segmento: /broadcast [to=segmento] texto
command-broadcast_status = Ver el progreso de un envío masivo: /broadcast_status <id>
command-user = Buscar un usuario: /user <id o @usuario>
command-ban = Bloquear a un usuario: /ban <id o @usuario> [motivo]
command-unban = Desbloquear a un usuario: /unban <id o @usuario>
command-banned = Lista de usuarios bloqueados
command-set = Cambiar un ajuste en caliente: /set <clave> <valor>
command-get = Ver un ajuste en caliente: /get <clave>
command-settings = Los ajustes que se pueden cambiar en caliente
command-stats = Usuarios, actividad y las cifras de los plugins

admin-broadcast-usage = Uso: /broadcast [to=segmento] texto, o responde a un mensaje con /broadcast [to=segmento] para enviar una copia. Segmentos: all, active:<días> y los de los plugins activos (tier:<nombre>, buyers).
admin-broadcast-too-long = Ese texto tiene { $length } caracteres; un mensaje admite { $limit }.
admin-broadcast-preview = Vista previa arriba. Envío #{ $id } a { $segment }: { $users ->
    [one] { $users } usuario
   *[other] { $users } usuarios
} ahora mismo. ¿Lo envío?
admin-broadcast-sending = Enviando a { $users ->
    [one] { $users } usuario
   *[other] { $users } usuarios
}.
admin-broadcast-discarded-short = Descartado.
admin-broadcast-discarded = Envío #{ $id } descartado.
admin-broadcast-pausing = Pausando tras los mensajes en curso.
admin-broadcast-resumed = Reanudado.
admin-broadcast-cancelled = Cancelado.
admin-broadcast-status-usage = Uso: /broadcast_status <id>
admin-no-broadcast = No hay ningún envío #{ $id }.
admin-user-usage = Uso: /user <id o @usuario>
admin-ban-usage = Uso: /ban <id o @usuario> [motivo]
admin-unban-usage = Uso: /unban <id o @usuario>
admin-reason-too-long = El motivo debe tener menos de { $limit } caracteres.
admin-cannot-ban-admin = No se puede bloquear a un administrador. Para bloquear a esta persona, quítala antes de la lista de administradores del bot en los ajustes.
admin-already-banned = { $name } ya está bloqueado.
admin-not-banned = { $name } no está bloqueado.
admin-banned-now = Bloqueado { $name } ({ $id }). Sus mensajes se ignoran a partir de ahora.
admin-banned-because = Bloqueado { $name } ({ $id }): { $reason }. Sus mensajes se ignoran a partir de ahora.
admin-unbanned = Desbloqueado { $name } ({ $id }).
admin-nobody-banned = No hay nadie bloqueado.
admin-no-more-banned = No hay más usuarios bloqueados.
admin-banned-title = Usuarios bloqueados (página { $page }):
admin-set-usage = Uso: /set <clave> <valor>. /settings muestra las claves.
admin-get-usage = Uso: /get <clave>. /settings muestra las claves.
admin-no-settings = No hay ajustes que se puedan cambiar en caliente.
admin-settings-title = Ajustes en caliente (/set <clave> <valor>):

admin-duration-s = { $s } s
admin-duration-min-s = { $min } min { $s } s
admin-duration-h-min = { $h } h { $min } min
admin-progress-title = Envío #{ $id } a { $segment }: { $status }
admin-status-sending = enviando
admin-status-paused = en pausa
admin-status-cancelled = cancelado
admin-status-finished = terminado
admin-progress-counts = Enviados { $sent } · Fallidos { $failed } · Pendientes { $remaining } de { $total }
admin-progress-interrupted = Interrumpidos por un reinicio (no se reenvían): { $count }
admin-progress-rate = Ritmo { NUMBER($rate, minimumFractionDigits: 1) }/s · Quedan unos { $left }
admin-button-pause = ⏸ Pausar
admin-button-resume = ▶ Reanudar
admin-button-cancel = ✖ Cancelar
admin-button-confirm = ✅ Confirmar
admin-button-discard = Descartar
admin-report-done = Envío #{ $id } terminado.
admin-report-done-in = Envío #{ $id } terminado en { $took }.
admin-report-cancelled = El envío #{ $id } se canceló; { $remaining } sin enviar.
admin-report-delivered = Entregados: { $sent } de { $total }
admin-report-failed = Fallidos: { $failed } (los usuarios que bloquearon el bot quedan marcados y se omiten a partir de ahora)
admin-report-interrupted = Interrumpidos por un reinicio: { $count } (como mucho una vez: pueden haber llegado o no)
admin-stats-users = Usuarios: { $total } (bloqueados { $banned }, inalcanzables { $unreachable })
admin-stats-active = Activos: { $today } hoy, { $week } en 7 días, { $month } en 30 días
admin-stats-table = Día        nuevos  vistos
admin-stats-chart = Usuarios nuevos y activos, 30 días
admin-bad-segment = Segmento incorrecto «{ $segment }»: usa un nombre como all, active:7 o tier:gold.
admin-segment-all-value = El segmento «all» no lleva valor.
admin-unknown-segment = Segmento desconocido «{ $segment }». Incluidos: all, active:<días>; los demás los aportan los plugins activos (tier:<nombre>, buyers, ...).
admin-segment-days = El segmento «active» necesita un número de días entre 1 y { $maximum }, como en active:7.
admin-broadcast-not-draft = El envío #{ $id } ya no es un borrador.
admin-broadcast-already-confirmed = El envío #{ $id } ya estaba confirmado.
admin-broadcast-not-running = El envío #{ $id } no está en marcha.
admin-broadcast-not-paused = El envío #{ $id } no está en pausa.
admin-broadcast-ended = El envío #{ $id } ya ha terminado.
admin-broadcast-already = El envío #{ $id } ya está { $status }.
