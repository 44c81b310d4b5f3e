"""A plugin with a misspelt hook name."""

from core.hookspecs import hookimpl


@hookimpl
def register_comands() -> list:
    return []
