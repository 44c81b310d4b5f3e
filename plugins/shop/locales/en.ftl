# The shop plugin's texts.

command-shop = Browse the shop and buy with credits
command-purchases = What you bought, to receive again
command-shop_add = Add a product (one line, or guided)
command-shop_edit = Change a product: /shop_edit <sku> <field> <value>
command-shop_stock = Set stock: /shop_stock <sku> <n | +n | -n | unlimited>
command-shop_off = Take a product off sale: /shop_off <sku>
command-shop_on = Put a product back on sale: /shop_on <sku>
command-shop_list = Every product with sales and revenue

shop-credits = { $amount ->
    [one] { $amount } credit
   *[other] { $amount } credits
}
shop-price-discounted = { $price ->
    [one] { $price } credit
   *[other] { $price } credits
} ({ $list } less your { $discount }% discount)

shop-empty = The shop is empty for now. Come back soon!
shop-home = Shop: choose a category{ $page }.
shop-category-button = { $name } ({ $count })
shop-product-button = { $title } · { $price } cr
shop-product-button-sold-out = { $title } · { $price } cr · sold out
shop-category-title = { $name }{ $page }:
shop-back-to-categories = ‹ Categories
shop-card-price = Price: { $price }
shop-card-stock = Stock: { $stock }
shop-buy-button = Buy for { $price ->
    [one] { $price } credit
   *[other] { $price } credits
}
shop-back = ‹ Back
shop-confirm-question = Buy { $title } for { $price }?
shop-confirm = Confirm
shop-cancel = Cancel
shop-no-purchases = You have not bought anything yet. Send /shop to browse.
shop-purchases-page-gone = That page no longer exists. Send /purchases again.
shop-get-again = Get again: { $title }
shop-purchases-title = Your purchases ({ $total }), page { $page } of { $pages }:
shop-purchase-line = { $date } { $title }: { $price ->
    [one] { $price } credit
   *[other] { $price } credits
}
shop-price-changed-alert = The price changed: please confirm again.
shop-thanks = Thank you!
shop-bought = You bought { $title } for { $price ->
    [one] { $price } credit
   *[other] { $price } credits
}. Balance: { $balance ->
    [one] { $balance } credit
   *[other] { $balance } credits
}.
shop-not-delivered = Sorry, I could not deliver { $title }: your { $price ->
    [one] credit is
   *[other] { $price } credits are
} back on your balance ({ $balance ->
    [one] { $balance } credit
   *[other] { $balance } credits
}).
shop-cancelled = Cancelled: nothing was charged.
shop-sent-again = Sent { $title } again.
shop-open = Open

shop-price-changed = The price of { $title } changed from { $old } to { $new ->
    [one] { $new } credit
   *[other] { $new } credits
}.
shop-category-empty = That category is empty now. Send /shop to see what is on sale.
shop-not-on-sale = That product is not on sale any more. Send /shop to see what is.
shop-sold-out = { $title } is sold out.
shop-button-invalid = This button is not valid. Send /shop to start again.
shop-just-sold-out = Sorry, { $title } just sold out. Nothing was charged.
shop-not-enough = { $title } costs { $price ->
    [one] { $price } credit
   *[other] { $price } credits
} and your balance is { $balance } ({ $shortfall } short). Nothing was charged.
shop-already-confirmed = You already confirmed this purchase; nothing was charged again. Your items are in /purchases.
shop-refunded = This purchase was refunded. Send /shop to buy again.
shop-expired = This offer has expired. Open the product again from /shop.
shop-purchases-button-invalid = This button is not valid. Send /purchases to see what you own.
shop-in-stock = In stock
shop-left = { $count } left
shop-sold-out-short = Sold out
shop-summary = Shop: { $count ->
    [one] { $count } purchase
   *[other] { $count } purchases
}, { $total ->
    [one] { $total } credit
   *[other] { $total } credits
} spent

shop-field-title = Title
shop-field-category = Category
shop-field-description = Description
shop-field-price = Price
shop-field-stock = Stock
shop-field-empty = { $field }: it is empty.
shop-field-too-long = { $field }: too long ({ $length } characters, at most { $limit }).
shop-bad-sku = A SKU is 1 to 64 letters, digits, “_”, “.” or “-”.
shop-bad-content = The content is text:<the text>, link:<https://...>, file:<Telegram file id> or photo:<Telegram file id>.
shop-text-too-long = A text to deliver is 1 to { $limit } characters.
shop-bad-link = A link starts with https:// (or http://) and has no spaces.
shop-bad-file = That does not look like a Telegram file id.
shop-add-usage = Usage: /shop_add sku | title | price | category | text:... or link:... or file:... | stock [| description]
    Or send /shop_add alone and I will ask.
shop-no-sku = No product with the SKU { $sku }. See /shop_list.
shop-sku-taken = The SKU { $sku } is taken; use /shop_edit to change it.
shop-fields = A field is one of: { $fields }.
shop-stock-below-zero = The stock is unlimited or would go below zero; give a number.

shop-kind-text = text
shop-kind-link = link
shop-kind-file = file
shop-kind-photo = photo
shop-state-on = on sale
shop-state-off = off
shop-describe = { $sku }: { $title }, { $price ->
    [one] { $price } credit
   *[other] { $price } credits
}, { $category }, { $kind }, { $stock }, { $state }
shop-added = Added { $product }.
shop-changed = Changed { $product }.
shop-try-again = { $problem }
    Nothing was changed; send /{ $command } to try again.
shop-ask-sku = New product. Its SKU (a short code such as ebook-1)? Say “cancel” to stop.
shop-ask-title = Title?
shop-ask-price = Price in credits?
shop-ask-category = Category?
shop-ask-content = What is delivered? Send text:..., link:https://..., or send the file or photo itself.
shop-ask-stock = How many in stock? A number, or “unlimited”.
shop-ask-description = A description for the card? “-” for none.
shop-ask-which = Which product (SKU)? Say “cancel” to stop.
shop-ask-field = Which field: title, description, price, category, content, stock?
shop-ask-value = The new value?
shop-stock-usage = Usage: /shop_stock <sku> <n | +n | -n | unlimited>
shop-stock-of = Stock of { $sku }: { $stock }.
shop-on-usage = Usage: /shop_on <sku>
shop-off-usage = Usage: /shop_off <sku>
shop-now-on = { $sku } is on sale now.
shop-now-off = { $sku } is off sale now.
shop-no-products = No products yet. Add one with /shop_add.
shop-list-title = { $count ->
    [one] { $count } product:
   *[other] { $count } products:
}
shop-list-line = { $product }; sold { $sales }, revenue { $revenue ->
    [one] { $revenue } credit
   *[other] { $revenue } credits
}
shop-list-total = Total: sold { $sales }, revenue { $revenue ->
    [one] { $revenue } credit
   *[other] { $revenue } credits
}
