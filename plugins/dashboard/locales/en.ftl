# The dashboard plugin's texts in Telegram (the web pages are in English: plugins/dashboard/texts.py).

command-dashboard = A one-time login link to the web dashboard
dashboard-not-running = The dashboard is not running right now; see the logs.
dashboard-link = Your dashboard login link, for one use within { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}:
    { $url }
    Do not share it: it logs in as you.
