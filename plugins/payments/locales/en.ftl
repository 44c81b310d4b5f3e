# The payments plugin's texts.

command-buy = Buy credits
command-paysupport = Help with a payment
command-terms = Terms of sale
command-privacy = Privacy policy
command-refund = Refund a Stars payment: /refund <charge id> [force]
command-payments = Recent payments and totals by day and currency
command-payments_csv = All payments as a CSV file

payments-support = For help with a payment, write to the operators of this bot with your payment's date and amount.
payments-terms = Credits are a digital good for use in this bot. Purchases are final unless refunded.
payments-privacy = We store your Telegram id and your payments to run this bot; nothing else is shared.

payments-package-title = { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
}
payments-topup-title = Top-up: { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
}
payments-package-label = { $title }: { $price }
payments-invoice-description = { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
} for your balance.
payments-topup-description = Your balance is low: tap to top it up (auto-recharge).
payments-nothing-on-sale = Nothing is on sale right now.
payments-choose = Choose a package of credits:
payments-not-offered = That package is not on offer. Send /buy to see what is.
payments-not-set-up = Payments are not set up yet. Please try again later.
payments-late = We could not check this payment in time. Nothing was charged: please try again in a moment.
payments-broken = Something went wrong on our side. Nothing was charged: please try again later.
payments-not-available = Payments are not available for this account.
payments-invalid-invoice = This invoice is not valid. Send /buy to get a new one.
payments-package-gone = This package is no longer offered. Send /buy to see the current ones.
payments-price-changed = The price changed to { $price }. Send /buy for a new invoice.
payments-thanks = Thank you! { $credits ->
    [one] { $credits } credit was
   *[other] { $credits } credits were
} added for { $price }. Your balance: { $balance }.

payments-refund-usage = Usage: /refund <charge id> [force]
payments-not-charge-id = That is not a charge id.
payments-refund-already = A refund of { $charge } was already queued; /payments shows its state.
payments-refund-queued = Refund of { $charge } queued; { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
} taken back.
payments-refund-queued-unrecovered = Refund of { $charge } queued; { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
} taken back ({ $unrecovered } were already spent and stay with the user).
payments-no-payment = No payment with the charge id { $charge }.
payments-stars-only = Only Stars payments can be refunded from the bot; refund card payments with your payment provider.
payments-under-review = This payment granted no credits (it is under review).
payments-refund-force = { $problem } Send /refund { $charge } force to refund the Stars anyway and take back only what is left.
payments-none = No payments yet.
payments-last = Last payments:
payments-line = { $when } user { $user }: { $price }, { $credits ->
    [one] { $credits } credit
   *[other] { $credits } credits
}, { $status } [{ $charge }]
payments-by-day = By day (14 days, refunds left out):
payments-day-line = { $day } { $currency }: { $count ->
    [one] { $count } payment
   *[other] { $count } payments
}, { $price }
payments-all-time = All time: { $totals }
payments-all-time-none = All time: nothing received yet (refunds left out).
payments-total = { $price } in { $count ->
    [one] { $count } payment
   *[other] { $count } payments
}
payments-status-paid = paid
payments-status-review = under review
payments-status-refunding = refund queued
payments-status-refunded = refunded
payments-csv-caption = Payments (CSV)
payments-user-line = Payments: { $count } ({ $price })
payments-user-refunded = Refunded payments: { $count }
payments-bad-payload = Payment { $charge } from user { $user } ({ $price }) has an invoice that does not verify: recorded for review, no credits granted.
payments-refund-failed = The Stars refund of { $charge } failed after { $attempts } attempts ({ $error }). The credits stay reversed; refund it by hand or give the credits back with /grant.
payments-refunded-to-user = Your payment was refunded: the Stars are on their way back to you.
