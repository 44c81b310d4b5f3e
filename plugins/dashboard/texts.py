"""Every text the dashboard shows or sends, in one place (for the translation layer to take).

Messages about bad input come from the services themselves (the same `UserError` texts as in
Telegram); these are the dashboard's own words.
"""

from __future__ import annotations

# /dashboard in Telegram speaks the admin's language: see locales/ (dashboard-link, ...).

# ---- logging in -------------------------------------------------------------------------------
LINK_INVALID = "This login link is not valid. Send /dashboard to the bot for a new one."
LINK_EXPIRED = "This login link has expired. Send /dashboard to the bot for a new one."
LINK_USED = "This login link was already used. Send /dashboard to the bot for a new one."
LOGIN_TITLE = "Log in"
LOGIN_PROMPT = "Log in to the dashboard as the admin this link was sent to."
LOGIN_BUTTON = "Log in"
NO_SESSION = ("You are not logged in, or your session has expired. Send /dashboard to the bot "
              "for a login link.")
NOT_ADMIN = "You are no longer one of the bot's admins; your session has been closed."
BAD_CSRF = "This form has expired or did not come from the dashboard. Reload the page and retry."
LOGGED_OUT = "You are logged out."
ERROR = "Something went wrong (reference {reference}); the operators can find it in the logs."

# ---- pages ------------------------------------------------------------------------------------
NAV = (
    ("/", "Overview"),
    ("/inbox", "Inbox"),
    ("/products", "Products"),
    ("/payments", "Payments"),
    ("/users", "Users"),
    ("/broadcasts", "Broadcasts"),
    ("/settings", "Settings"),
    ("/health", "Health"),
    ("/audit", "Audit log"),
)
PLUGIN_OFF = "The {plugin} plugin is not enabled, so this page has nothing to show."

# ---- results of actions -----------------------------------------------------------------------
ANSWERED = "Sent to #{conv}."
CLOSED = "#{conv} closed."
REOPENED = "#{conv} reopened."
PRIORITY_SET = "#{conv} is now {priority}."
ASSIGNED = "#{conv} assigned to {who}."
PRODUCT_ADDED = "Added {sku}."
PRODUCT_CHANGED = "Changed {sku}."
STOCK_SET = "Stock of {sku}: {stock}."
ON_SALE = "{sku} is on sale now."
OFF_SALE = "{sku} is off sale now."
NO_FILE = "Choose a file to upload, or give the content as text:, link:, file: or photo:."
UPLOAD_FAILED = "The file could not be stored through Telegram, so nothing was changed."
UPLOAD_CAPTION = "File for the product {sku} (uploaded from the dashboard)."
REFUND_QUEUED = ("Refund of {charge} queued: {credits} credits taken back; the Stars go back to "
                 "the user shortly.")
REFUND_ALREADY = "A refund of {charge} was already queued."
BANNED = "Banned {name} ({id}). Their messages are ignored now."
UNBANNED = "Unbanned {name} ({id})."
ADMIN_NO_BAN = "Admins cannot be banned; remove them from `admins` in settings."
ALREADY_BANNED = "{name} is already banned."
NOT_BANNED = "{name} is not banned."
NO_USER = ("No user '{ref}'. Give a numeric id or @username of someone who has written to the "
           "bot.")
BROADCAST_DRAFTED = "Broadcast #{id} drafted for {reach} users now: check the preview, then start."
BROADCAST_PROGRESS = "Broadcast #{id}: starting (sent from the dashboard)."
BROADCAST_STARTED = "Broadcast #{id} started to {reach} users."
BROADCAST_PAUSED = "Broadcast #{id} pausing after the messages in flight."
BROADCAST_RESUMED = "Broadcast #{id} resumed."
BROADCAST_CANCELLED = "Broadcast #{id} cancelled."
BROADCAST_DISCARDED = "Broadcast #{id} discarded."
BROADCAST_EMPTY = ("A broadcast needs a text (up to {limit} characters).")
SETTING_SET = "{key} = {value}"
REPLAYED = "Update {key} queued again."
NO_DEAD_LETTERS = "Dead letters arrive with the update journal; this kernel keeps none."
