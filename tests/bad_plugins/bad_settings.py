"""A plugin whose option fails validation."""

from dynaconf import Validator

from core.hookspecs import hookimpl


@hookimpl
def register_settings() -> list[Validator]:
    return [Validator("badsettings.page_size", default=100, is_type_of=int, lte=50,
                      messages={"operations": "plugin option {name} must be at most 50, "
                                              "got {value}"})]
