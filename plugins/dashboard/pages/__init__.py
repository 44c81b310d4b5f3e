"""The dashboard's pages: each module reads through the services and acts through them."""

from __future__ import annotations

from plugins.dashboard.pages import (
    audit,
    broadcasts,
    health,
    inbox,
    login,
    overview,
    payments,
    products,
    settings,
    users,
)

ROUTES = [route for module in (login, overview, inbox, products, payments, users, broadcasts,
                               settings, health, audit) for route in module.ROUTES]
