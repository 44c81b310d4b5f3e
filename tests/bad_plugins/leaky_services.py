"""A plugin whose services fail to build with a secret in the error (a bug, not a setting)."""

from core.hookspecs import hookimpl
from core.kernel import Kernel


@hookimpl
def register_services(kernel: Kernel) -> None:
    dsn = kernel.settings.monitoring.sentry_dsn
    raise RuntimeError(f"could not reach https://sentry.example/{dsn}")
