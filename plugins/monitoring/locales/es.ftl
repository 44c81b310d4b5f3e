command-status = Estado del bot: versión, tiempo en marcha, plugins, comprobaciones, errores recientes
