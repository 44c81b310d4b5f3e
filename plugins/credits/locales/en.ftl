# The credits plugin's texts.

command-balance = Your credits, tier and last entries
command-history = Your credit history, page by page
command-autorecharge = Offer a top-up when your balance runs low
command-grant = Give credits: /grant <user> <amount> [reason]
command-revoke = Take credits back: /revoke <user> <amount> [reason]
command-credits = A user's credits (/credits <user>), or totals (/credits)

credits-balance = Balance: { $balance ->
    [one] { $balance } credit
   *[other] { $balance } credits
}
credits-user-balance = { $name } (id { $id }): { $balance ->
    [one] { $balance } credit
   *[other] { $balance } credits
}
credits-tier-none = Tier: none yet
credits-tier = Tier: { $tier }
credits-tier-discount = Tier: { $tier } ({ $discount }% off)
credits-autorecharge-line = Auto-recharge: { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
} when below { $threshold }
credits-last-entries = { $total ->
    [one] The only entry:
   *[other] Last { $shown } of { $total } entries:
}
credits-history-line = { $when }  { $amount }{ $reason } = { $balance }
credits-bought-total = Bought in total: { $total ->
    [one] { $total } credit
   *[other] { $total } credits
}

credits-history-empty = No credit history yet.
credits-page-gone = That page no longer exists. Send /history again.
credits-history-title = History, page { $page } of { $pages }:

credits-autorecharge-usage = Usage: /autorecharge <threshold> <amount>, for example /autorecharge 20 100: when your balance falls below 20 I offer you 100 credits in one tap. /autorecharge off stops it.
credits-autorecharge-off-state = Auto-recharge: off.
credits-autorecharge-stopped = Auto-recharge is off.
credits-autorecharge-started = Auto-recharge is on: when your balance falls below { $threshold }, I will offer you { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
}.
credits-field-threshold = Threshold
credits-field-amount = Amount

credits-unknown-user = I don't know the user { $user }: give their id or @username (they must have written to the bot).
credits-grant-usage = Usage: /grant <user id or @username> <amount> [reason]
credits-revoke-usage = Usage: /revoke <user id or @username> <amount> [reason]
credits-credits-usage = Usage: /credits [user id or @username]
credits-revoke-short = { $name } has only { $balance ->
    [one] { $balance } credit
   *[other] { $balance } credits
}, { $shortfall } fewer than { $amount }: nothing was taken.
credits-revoked = Took { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
} from { $name }: balance { $balance }.
credits-granted = Granted { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
} to { $name }: balance { $balance }.
credits-received = You received { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
} ({ $reason }). Balance: { $balance }.
credits-summary =
    Credits issued: { $issued } (bought: { $purchased })
    Spent: { $spent }
    Outstanding: { $outstanding } in { $accounts ->
        [one] { $accounts } account
       *[other] { $accounts } accounts
    }
    Ledger entries: { $entries }
    Use /credits <user> for one user.

credits-reason-admin-grant = granted by an admin
credits-reason-admin-revoke = revoked by an admin
credits-reason-start-bonus = start bonus
credits-reason-refund = refund
credits-reason-reversed = reversed

credits-command-cost = /{ $command } costs { $cost ->
    [one] { $cost } credit
   *[other] { $cost } credits
} and your balance is { $balance } ({ $shortfall } short).
credits-not-enough = Not enough credits: this needs { $needed }, your balance is { $balance } ({ $shortfall } short).
credits-cannot-take-back = Cannot take back { $needed ->
    [one] { $needed } credit
   *[other] { $needed } credits
}: { $spent } of them are already spent (balance { $balance }).
credits-nothing-to-take-back = Nothing to take back: { $needed ->
    [one] the credit is
   *[other] all { $needed } credits are
} already spent.
credits-bad-amount = The amount must be a whole number from 1 to { $maximum }.
credits-key-reused = This change was already made with different details, so nothing was changed.
credits-no-debit = There is no such charge to give back.
credits-no-credit = There is no such credit to take back.

credits-tier-ended = Your tier has ended: your credit purchases fell below the first tier.
credits-tier-reached = You reached the { $tier } tier.
credits-tier-reached-discount = You reached the { $tier } tier: { $discount }% off from now on.
