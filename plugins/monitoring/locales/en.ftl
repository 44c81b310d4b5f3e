command-status = The bot's health: version, uptime, plugins, checks, recent errors
