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
