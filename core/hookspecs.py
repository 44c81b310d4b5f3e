"""Every hook, documented: the plugin contract.

A plugin is a module (or an object) with functions marked `@hookimpl` whose names are the specs
below. An implementation may accept a subset of a spec's arguments; specs only ever gain
arguments. Hooks marked *may be async* may return an awaitable, which the kernel awaits.
`pm.check_pending()` runs after loading, so a misspelt hook name stops start-up.

Handlers run at least once, effects once. Every update is journaled before it is acknowledged
and marked done after its handling, so a handler may run again (a retry after an unexpected
error, a restart between the work and the done-mark). Give every effect an idempotency key
that names it (the update's key, `telegram_payment_charge_id`, a request id) under a unique
constraint in the transaction that makes the effect; never write a "seen" mark before the
work. Example: `credits.credit(user_id, 5, "daily bonus", f"daily:{user_id}:{today}")`
grants once however often it runs. `UserError` is final (the user is told, no retry). See the
README, "At least once".

A plugin module may also define:
- `REQUIRES: tuple[str, ...]`: names of plugins that must be enabled with it;
- `hookspecs`: a module or class of extra specs (events of its own) added before loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from dynaconf import Validator
    from peewee import Model

    from core.context import Context
    from core.conversations import Flow
    from core.kernel import Kernel
    from core.types import (
        CallbackRoute,
        Command,
        HealthCheck,
        MessageHandler,
        RuntimeSetting,
        Update,
    )

PROJECT = "core"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ==============================================================================================
# Declarations: called once at start-up; each returns data and the kernel does the wiring.
# ==============================================================================================


@hookspec
def register_settings() -> list[Validator]:
    """Return dynaconf `Validator`s (with defaults) for this plugin's options.

    Options live under the plugin's own table (`[default.shop] page_size = 8`). Validators run
    with the kernel's at start-up; every failure is reported at once, naming the plugin.
    """


@hookspec
def register_models() -> list[type[Model]]:
    """Return peewee models; the kernel binds them to its database.

    Tables are created by migrations (see `register_migrations`), not from these classes.
    """


@hookspec
def register_migrations() -> tuple[str, str] | None:
    """Return `(owner, directory)`: a folder of numbered peewee migration scripts.

    Each script defines `up(migrator, db)`; the kernel records applied ones per owner.
    """


@hookspec
def register_commands() -> list[Command]:
    """Return `Command`s. `/help` and Telegram's command menu are built from these."""


@hookspec
def register_callbacks() -> list[CallbackRoute]:
    """Return `CallbackRoute`s: inline-button presses routed by the data's prefix."""


@hookspec
def register_message_handlers() -> list[MessageHandler]:
    """Return `MessageHandler`s for free text, media, pre-checkout queries and payments."""


@hookspec
def register_conversations() -> list[Flow]:
    """Return the `Flow`s (multi-step conversations) this plugin opens with `ctx.converse`.

    Declared up front so a flow interrupted by a restart resumes: its state names the flow.
    """


@hookspec
def register_services(kernel: Kernel) -> dict[str, Any]:
    """Return `{name: service}`; other plugins reach them with `kernel.service(name)`."""


@hookspec
def register_runtime_settings(settings: Any) -> list[RuntimeSetting]:
    """Return keys admins may change at run time (`/set key value`); stored in the database,
    read through the cache. `settings` gives the defaults from settings.toml."""


@hookspec
def register_texts() -> str | None:
    """Return the folder of this plugin's text catalogues: one Fluent file per language
    (`en.ftl`, `es.ftl`, `ru.ftl`), usually `locales/` inside the plugin's package.

    Keys are shared by all catalogues, so prefix yours with the plugin's name
    (`shop-sold-out`); `command-<name>` is a command's line in /help and the menu.
    Handlers translate with `ctx.t(key, **args)`; see `core/i18n.py`.
    """


@hookspec
def health_checks(kernel: Kernel) -> list[HealthCheck]:
    """Return `HealthCheck`s shown by `python -m core health` and `doctor`."""


# ==============================================================================================
# Life cycle.
# ==============================================================================================


@hookspec
def startup(kernel: Kernel) -> None:
    """Called after the database is migrated and services exist, before updates flow.

    May be async. Good for recovering work left unfinished by a crash.
    """


@hookspec
def warm_cache(kernel: Kernel) -> None:
    """Fill this plugin's cache entries before updates flow (after every `startup`).

    May be async. A failure is logged and does not stop start-up: a cold cache is only slower.
    """


@hookspec
def shutdown(kernel: Kernel) -> None:
    """Called when the kernel stops, before the database closes. May be async."""


# ==============================================================================================
# Per update.
# ==============================================================================================


@hookspec
def charge_command(
    kernel: Kernel, user_id: int, command: str, cost: int, key: str
) -> Any | None:
    """Charge `cost` credits for a command before its handler runs. May be async.

    Return a receipt (anything) when charged; raise `UserError` when the user cannot pay.
    The first non-None receipt wins. With no implementation, costs are not charged.
    """


@hookspec
def refund_command(kernel: Kernel, receipt: Any, reason: str) -> None:
    """Give back a charge made by `charge_command`, because the handler failed. May be async."""


@hookspec
def deep_link(ctx: Context, payload: str) -> bool | None:
    """`/start <payload>` arrived (a t.me/bot?start=payload link). May be async.

    Return True when this plugin handled the payload; the default /start answer is then
    skipped. Payloads come from users: validate them.
    """


@hookspec
def handle_error(ctx: Context, error: BaseException, reference: str) -> bool | None:
    """An unexpected error while handling an update. May be async.

    `reference` is the code the user is shown. Every implementation is called; the kernel's
    default (trylast) logs the traceback, counts the error and alerts the admins.
    """


# ==============================================================================================
# Events plugins use to cooperate: fired with `await kernel.emit(name, **kwargs)`.
# All may be async; return values are ignored.
# ==============================================================================================


@hookspec
def user_created(kernel: Kernel, user_id: int) -> None:
    """A user was seen for the first time (after the row is written)."""


@hookspec
def user_unreachable(kernel: Kernel, user_id: int) -> None:
    """The transport found the user blocked the bot or deleted the account."""


@hookspec
def update_handled(kernel: Kernel, update: Update, outcome: str, seconds: float) -> None:
    """An update finished: outcome is 'ok', 'user_error', 'error', 'limited', 'banned',
    'duplicate', 'unrouted' or 'denied'. `seconds` is the whole handling time. Keep it cheap:
    it runs for every update."""


@hookspec
def credits_changed(
    kernel: Kernel, user_id: int, delta: int, balance: int, reason: str
) -> None:
    """A balance changed by `delta` (signed) to `balance`, committed."""


@hookspec
def balance_low(kernel: Kernel, user_id: int, balance: int, threshold: int, amount: int) -> None:
    """A debit took an auto-recharge user below `threshold`; `amount` is their top-up choice."""


@hookspec
def tier_changed(kernel: Kernel, user_id: int, old: str | None, new: str | None) -> None:
    """A user's tier changed."""


@hookspec
def payment_succeeded(kernel: Kernel, user_id: int, payment: Any) -> None:
    """A payment was recorded and its credits granted."""


@hookspec
def purchase_completed(kernel: Kernel, user_id: int, purchase: Any) -> None:
    """A shop purchase was paid for and delivered."""


# ==============================================================================================
# What plugins contribute to the operators' tools (the admin plugin calls these).
# ==============================================================================================


@hookspec
def user_summary(kernel: Kernel, user_id: int) -> list[str] | None:
    """Lines about one user for the admin's `/user` lookup (balance, purchases, ...).
    May be async."""


@hookspec
def stats(kernel: Kernel) -> dict[str, Any] | None:
    """Figures for `/stats` and `python -m core health`, such as
    `{"credits issued": 1200}`. May be async. Numbers, also in nested dicts
    (`{"payments": {"XTR": 3}}`), are exported as Prometheus gauges by the monitoring plugin."""


@hookspec
def segment_users(kernel: Kernel, segment: str, value: str) -> list[int] | None:
    """User ids in a broadcast segment this plugin knows (`tier`, `buyers`, ...), or None when
    the segment is not this plugin's. May be async."""
