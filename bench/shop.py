"""The shop on SQLite, through the whole kernel: catalogue views/s with the cache and without
it, and purchases/s, in one run.

    .venv/bin/python bench/shop.py [--products 200] [--views 5000] [--purchases 1000]

A catalogue view is a press of a category button (the catalogue, the buyer's discount, a page
of product buttons). A purchase is two presses: Buy (writes the request) and Confirm (debit,
stock and purchase in one transaction, then the delivery and its status). Outbound pacing is
off: this measures the bot, not Telegram's limits.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import logs
from core.kernel import Kernel
from core.testing import ADMIN_ID, RecordingTransport, base_settings
from core.transports.local import LocalUpdates
from core.types import Action, Sender, Sent
from plugins.shop.service import NewProduct, category_code

CATEGORIES = 10


class LastButtons(RecordingTransport):
    """Remembers only the last keyboard sent to each chat (the Confirm button's data)."""

    def __init__(self) -> None:
        super().__init__()
        self.last: dict[int, list[str]] = {}

    async def execute(self, action: Action) -> Sent:
        rows = getattr(action, "buttons", None)
        if rows:
            self.last[action.chat_id] = [b.data for row in rows for b in row if b.data]
        return Sent(1)


async def views(kernel: Kernel, local: LocalUpdates, people: list[Sender], n: int) -> float:
    codes = [category_code(f"Category {i}") for i in range(CATEGORIES)]
    updates = [local.press(f"shop:c:{codes[i % CATEGORIES]}:0", people[i % len(people)], 1)
               for i in range(n)]
    started = time.perf_counter()
    for update in updates:
        outcome = await kernel.handle(update)
        assert outcome == "ok", outcome
    return n / (time.perf_counter() - started)


async def purchases(kernel: Kernel, transport: LastButtons, local: LocalUpdates,
                    people: list[Sender], product_id: int, n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        person = people[i % len(people)]
        await kernel.handle(local.press(f"shop:buy:{product_id}", person, 1))
        confirm = next(d for d in transport.last[person.id] if d.startswith("shop:ok:"))
        outcome = await kernel.handle(local.press(confirm, person, 1))
        assert outcome == "ok", outcome
    return n / (time.perf_counter() - started)


async def main(products: int, n_views: int, n_purchases: int, users: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = base_settings(Path(tmp))
        settings.update({"plugins.enabled": ["credits", "shop"], "logging.level": "WARNING",
                         "ratelimit.default": "10000000/minute",
                         "ratelimit.callbacks": "10000000/minute"})
        kernel = Kernel.configure(settings)
        logs.setup(kernel.settings, kernel.redact.secrets)
        transport = LastButtons()
        kernel.attach(transport)
        await kernel.start()
        try:
            shop, credits = kernel.service("shop"), kernel.service("credits")
            for i in range(products):
                await shop.add(NewProduct(f"sku-{i}", f"Product {i}", 10 + i % 50,
                                          f"Category {i % CATEGORIES}", "text", f"item {i}",
                                          None if i % 2 else 1_000_000, "A product."))
            local = LocalUpdates("bench_bot", prefix="bench")
            people = [Sender(10_000 + i, f"User {i}") for i in range(users)]
            for person in people:  # as in a running bot: users exist, with credits
                await kernel.handle(local.message("/start", person))  # type: ignore[arg-type]
                await credits.credit(person.id, 10**8, "bench", f"bench:{person.id}")
            await kernel.handle(local.message("/start", Sender(ADMIN_ID)))  # type: ignore[arg-type]

            print(f"SQLite, memory cache, one process; {products} products in {CATEGORIES} "
                  f"categories, {users} users")
            await views(kernel, local, people, 200)  # warm the cache and the accounts
            cached = await views(kernel, local, people, n_views)
            shop.use_cache = False
            uncached = await views(kernel, local, people, n_views)
            shop.use_cache = True
            print(f"catalogue views/s with the cache:    {cached:>10,.0f}")
            print(f"catalogue views/s without the cache: {uncached:>10,.0f}  "
                  f"(cache x{cached / uncached:.1f})")
            # An unlimited product: its purchases leave the cached catalogue as it is.
            target = (await shop.by_sku("sku-1")).id
            rate = await purchases(kernel, transport, local, people, target, n_purchases)
            print(f"purchases/s (Buy + Confirm + delivery): {rate:>7,.0f}")
            assert await credits.audit() == []
        finally:
            await kernel.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--views", type=int, default=5000)
    parser.add_argument("--purchases", type=int, default=1000)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.products, args.views, args.purchases, args.users))
