from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.testing import BotDriver, running_bot


@pytest.fixture
async def bot_with_sample(tmp_path: Path) -> AsyncIterator[BotDriver]:
    """The kernel with the sample plugin (tests/sample_plugin.py) enabled."""
    async with running_bot(tmp_path, plugins=["tests.sample_plugin"]) as bot:
        yield bot
