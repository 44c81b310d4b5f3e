"""`python -m core new-plugin NAME [--dir PATH]`: a working plugin project to start from.

    PATH/NAME/pyproject.toml              installable with pip; entry point in `core.plugins`
    PATH/NAME/NAME/plugin.py              the hooks: a setting, a model, a command
    PATH/NAME/NAME/models.py              the model
    PATH/NAME/NAME/migrations/0001_initial.py
    PATH/NAME/tests/test_NAME.py          passes as written

Enable it by its entry-point name once pip-installed (`pip install -e PATH/NAME`), or by its
module path (`NAME.plugin`) with PATH/NAME on the Python path.
"""

from __future__ import annotations

import re
from pathlib import Path

NAME = re.compile(r"[a-z][a-z0-9_]{1,30}")

PYPROJECT = '''[build-system]
requires = ["setuptools>=77", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "bot-plugin-{name}"
version = "0.1.0"
description = "The {name} plugin for the bot framework."
requires-python = ">=3.11"

# The kernel finds plugins through this group: enable it as "{name}" in settings.toml.
[project.entry-points."core.plugins"]
{name} = "{name}.plugin"

[tool.setuptools.packages.find]
include = ["{name}*"]

[tool.pytest.ini_options]
testpaths = ["tests"]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
addopts = "-p core.testing"
'''

PLUGIN = '''"""{title}: a starting point. Says hello and counts how often each user asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dynaconf import Validator

from core.context import Context
from core.hookspecs import hookimpl
from core.records import create_once
from core.types import Command
from {name}.models import MODELS, Greeting

REQUIRES: tuple[str, ...] = ()  # names of plugins that must be enabled with this one
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


async def hello(ctx: Context) -> None:
    """Say hello"""
    user_id = ctx.user.id

    def count() -> int:
        if create_once(Greeting, user_id=user_id, count=1) is None:
            Greeting.update(count=Greeting.count + 1).where(Greeting.user_id == user_id).execute()
        return int(Greeting.get(Greeting.user_id == user_id).count)

    times = await ctx.kernel.db.transaction(count)
    await ctx.reply(f"{{ctx.settings.{name}.greeting}}, {{ctx.user.first_name}}! (#{{times}})")


@hookimpl
def register_settings() -> list[Validator]:
    return [Validator("{name}.greeting", default="Hello", is_type_of=str, len_min=1)]


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_migrations() -> tuple[str, str]:
    return "{name}", str(MIGRATIONS)


@hookimpl
def register_commands() -> list[Command]:
    return [Command("{name}_hello", hello)]
'''

MODELS = '''"""The {name} plugin's tables (created by its migrations, not from these classes)."""

from __future__ import annotations

import peewee

from core.models import BaseModel


class Greeting(BaseModel):
    user_id = peewee.BigIntegerField(primary_key=True)
    count = peewee.IntegerField(default=0)

    class Meta:
        table_name = "{name}_greetings"


MODELS = (Greeting,)
'''

MIGRATION = '''"""The {name} plugin's first tables."""

from peewee import BigIntegerField, IntegerField, Model


def up(migrator, db):
    class Greeting(Model):
        user_id = BigIntegerField(primary_key=True)
        count = IntegerField(default=0)

        class Meta:
            table_name = "{name}_greetings"

    db.bind([Greeting])
    db.create_tables([Greeting], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS {name}_greetings")
'''

TEST = '''"""The {name} plugin, driven through the whole bot offline (`core.testing`)."""

from __future__ import annotations

from pathlib import Path

from core.testing import running_bot

PLUGIN = "{name}.plugin"


async def test_hello_counts(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=[PLUGIN]) as bot:
        alice = bot.user(42, "Alice")
        assert (await bot.send("/{name}_hello", user=alice)).text == "Hello, Alice! (#1)"
        assert (await bot.send("/{name}_hello", user=alice)).text == "Hello, Alice! (#2)"
        assert "/{name}_hello - Say hello" in (await bot.send("/help", user=alice)).text


async def test_the_greeting_is_a_setting(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {{"{name}.greeting": "Hi"}}, plugins=[PLUGIN]) as bot:
        reply = await bot.send("/{name}_hello", user=bot.user(7, "Bob"))
        assert reply.text == "Hi, Bob! (#1)"
'''

CONFTEST = '''"""Makes the plugin importable when its tests run from a checkout of it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
'''


def new_plugin(name: str, directory: Path) -> Path:
    """Write the project; return its folder. Refuses a bad name or an existing folder."""
    if not NAME.fullmatch(name):
        raise ValueError(f"plugin name {name!r}: 2-31 of a-z, 0-9 and _, starting with a letter")
    root = directory / name
    if root.exists():
        raise ValueError(f"{root} already exists")
    files = {
        "pyproject.toml": PYPROJECT,
        f"{name}/__init__.py": '"""The {name} plugin (hooks in plugin.py)."""\n',
        f"{name}/plugin.py": PLUGIN,
        f"{name}/models.py": MODELS,
        f"{name}/migrations/__init__.py": "",
        f"{name}/migrations/0001_initial.py": MIGRATION,
        "tests/conftest.py": CONFTEST,
        f"tests/test_{name}.py": TEST,
    }
    title = name.replace("_", " ").capitalize()
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, title=title))
    return root
