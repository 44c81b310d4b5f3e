command-dashboard = Un enlace de un solo uso para entrar en el panel web
dashboard-not-running = El panel no está en marcha ahora mismo; consulta los registros.
dashboard-link = Tu enlace para entrar en el panel, de un solo uso durante { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}:
    { $url }
    No lo compartas: entra con tu identidad.
