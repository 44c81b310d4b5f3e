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
