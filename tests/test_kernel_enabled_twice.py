"""A plugin named twice in `plugins.enabled` (settings.toml's list merged with an override) is
loaded once."""

from pathlib import Path

from core.testing import running_bot


async def test_a_plugin_enabled_twice_is_loaded_once(tmp_path: Path) -> None:
    async with running_bot(tmp_path, plugins=["credits", "credits"]) as bot:
        assert [p.name for p in bot.kernel.plugins].count("credits") == 1
        reply = await bot.send("/balance", user=bot.user(42))
        assert "Balance: 0 credits" in reply.text
