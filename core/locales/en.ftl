# The kernel's texts. Keys are shared by every catalogue of a language: plugins prefix theirs
# with their name; `command-<name>` is a command's line in /help and the command menu.

start = Hello! Send /help to see what I can do.

command-start = Start the bot
command-help = What this bot can do
command-language = Choose your language

help-title = Commands:
help-line = /{ $command } - { $description }
command-label-cost = { $description } ({ $cost ->
    [one] { $cost } credit
   *[other] { $cost } credits
})
help-admin-title = For admins:

error-unexpected = Sorry, something went wrong. If it keeps happening, tell the operators this reference: { $reference }
error-admins-only = This is for the bot's admins only.
error-too-fast = { $seconds ->
    [one] You're going too fast. Try again in { $seconds } second.
   *[other] You're going too fast. Try again in { $seconds } seconds.
}
error-unknown-command = Unknown command /{ $command }. Send /help to see what I can do.
error-commands-only = I only understand commands. Send /help to see them.
error-button-expired = This button is no longer valid.
error-alert-title = Error { $reference }
error-alert-repeat = { $seconds ->
    [one] The same error is not reported again for { $seconds } second.
   *[other] The same error is not reported again for { $seconds } seconds.
}

language-choose = Choose your language:
language-current = Your language: { $language }.
language-changed = Done: I'll speak { $language } with you from now on.
language-unknown = I don't speak “{ $code }”. Available: { $available }.

setting-unknown = There is no setting “{ $key }”. Editable settings: { $known }.
setting-none = none
setting-invalid = “{ $key }” can't be set to that: { $reason }
setting-start-text-help = the answer to /start (empty: the translated text)
setting-text-length = it must be 1 to 2,000 characters

amount-not-number = “{ $value }” is not a whole number.
amount-out-of-range = The number must be from { $minimum } to { $maximum }.
amount-field-not-number = { $field }: “{ $value }” is not a whole number.
amount-field-out-of-range = { $field }: the number must be from { $minimum } to { $maximum }.

page-of = page { $page } of { $pages }
page-previous = ‹ Previous
page-next = Next ›

conversation-cancelled = Stopped; nothing was changed.
conversation-nothing-to-cancel = Nothing to cancel.
conversation-nothing-to-go-back-to = There is no question to go back to.
command-cancel = Stop what you are doing (a question the bot asked)
command-back = Go back to the previous question
