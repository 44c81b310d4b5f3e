"""The admin tools other than broadcasting: segments, permissions, users and bans, runtime
settings, statistics and the chart."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.callbacks import INVALID_BUTTON
from core.hookspecs import hookimpl
from core.kernel import Kernel
from core.models import RuntimeSetting, RuntimeSettingChange, User, utcnow
from core.pagination import PREVIOUS
from core.testing import BotDriver, running_bot
from core.types import Media, SendMedia, SendMessage
from plugins.admin import chart
from plugins.admin.models import Broadcast, BroadcastDelivery
from tests.admin_helpers import add_users, recipients

ALICE = 42


class TiersAndSales:
    """A stand-in for the plugins that know tiers and purchases."""

    @hookimpl
    def segment_users(self, kernel: Kernel, segment: str, value: str) -> list[int] | None:
        if segment == "tier":
            return {"gold": [501, 502, 503, 999_999]}.get(value, [])
        return None

    @hookimpl
    def user_summary(self, kernel: Kernel, user_id: int) -> list[str]:
        return [f"Balance: {user_id % 100} credits"]

    @hookimpl
    async def stats(self, kernel: Kernel) -> dict[str, Any]:
        return {"credits issued": 1200}


@pytest.fixture
async def admin_bot(tmp_path: Path) -> Any:
    async with running_bot(tmp_path, plugins=["admin"], extra_plugins=[TiersAndSales()]) as bot:
        yield bot


async def broadcast_to(bot: BotDriver, segment: str, text: str) -> tuple[int, str]:
    preview = await bot.send(f"/broadcast to={segment} {text}", user=bot.admin)
    if preview.outcome != "ok":
        return 0, preview.text
    confirm = preview.button("Confirm")
    await bot.press(confirm, user=bot.admin)
    broadcast_id = int(confirm.data.rsplit(":", 1)[1])
    await bot.service("broadcasts").wait(broadcast_id)
    return broadcast_id, preview.text


# ---- segments ---------------------------------------------------------------------------------


async def test_active_segment_selects_recent_users(admin_bot: BotDriver) -> None:
    bot = admin_bot
    await add_users(bot, [101, 102])
    await add_users(bot, [103], at=utcnow() - timedelta(days=10))
    await add_users(bot, [104], is_banned=True)
    await add_users(bot, [105], is_unreachable=True)
    _, preview = await broadcast_to(bot, "active:7", "Weekly news")
    assert "to active:7: 3 users" in preview
    assert recipients(bot.transport.actions, "Weekly news") == {101: 1, 102: 1, bot.admin.id: 2}


async def test_plugin_segment_keeps_only_reachable_known_users(admin_bot: BotDriver) -> None:
    bot = admin_bot
    await add_users(bot, [501, 504])
    await add_users(bot, [502], is_banned=True)
    await add_users(bot, [503], is_unreachable=True)
    _, preview = await broadcast_to(bot, "tier:gold", "Gold perks")
    assert "to tier:gold: 1 user now" in preview
    assert recipients(bot.transport.actions, "Gold perks") == {501: 1, bot.admin.id: 1}


async def test_unknown_and_malformed_segments_are_refused(admin_bot: BotDriver) -> None:
    bot = admin_bot
    for spec, message in (("nosuch", "Unknown segment “nosuch”"),
                          ("active:abc", "needs a number of days"),
                          ("active:0", "needs a number of days"),
                          ("active:99999999999999999999", "needs a number of days"),
                          ("all:x", "takes no value"),
                          ("Ünï", "Bad segment")):
        _, text = await broadcast_to(bot, spec, "Hi")
        assert message in text, spec
    assert Broadcast.select().count() == 0


async def test_broadcast_without_text_or_with_a_huge_text_is_refused(admin_bot: BotDriver
                                                                     ) -> None:
    assert "Usage: /broadcast" in (await admin_bot.send("/broadcast", user=admin_bot.admin)).text
    huge = await admin_bot.send("/broadcast " + "x" * 5000, user=admin_bot.admin)
    assert "one message holds 4,096" in huge.text
    assert Broadcast.select().count() == 0


async def test_discard_and_double_confirm(admin_bot: BotDriver) -> None:
    bot = admin_bot
    await add_users(bot, [101])
    preview = await bot.send("/broadcast Hello", user=bot.admin)
    discard = await bot.press(preview.button("Discard"), user=bot.admin)
    assert "discarded" in discard.text
    again = await bot.press(preview.button("Confirm"), user=bot.admin)
    assert "already cancelled" in (again.alert or "")
    assert BroadcastDelivery.select().count() == 0
    assert recipients(bot.transport.actions, "Hello") == {bot.admin.id: 1}  # the preview only


# ---- permissions ------------------------------------------------------------------------------

ADMIN_COMMANDS = ["/broadcast Hello", "/broadcast_status 1", "/user 101", "/ban 101 spam",
                  "/unban 102", "/banned", "/set start_text Hacked", "/get start_text",
                  "/settings", "/stats"]


def snapshot() -> list[Any]:
    return [list(m.select().tuples()) for m in (User, Broadcast, BroadcastDelivery,
                                                RuntimeSetting, RuntimeSettingChange)]


async def test_every_admin_command_and_button_refuses_a_non_admin(admin_bot: BotDriver) -> None:
    bot = admin_bot
    alice = bot.user(ALICE, "Alice")
    await bot.send("/start", user=alice)
    await add_users(bot, [101])
    await add_users(bot, [102], is_banned=True)
    preview = await bot.send("/broadcast Hello", user=bot.admin)  # a draft Alice may target
    before = snapshot()
    for command in ADMIN_COMMANDS:
        reply = await bot.send(command, user=alice)
        assert reply.outcome == "denied", command
        assert reply.text == "This is for the bot's admins only.", command
    for data in ("bc:confirm:1", "bc:discard:1", "bc:pause:1", "bc:resume:1", "bc:cancel:1",
                 "adm:banned:0"):
        pressed = await bot.press(data, user=alice)
        assert pressed.outcome == "denied", data
        assert pressed.alert == "This is for the bot's admins only."
    assert snapshot() == before
    assert Broadcast.get_by_id(1).status == "draft"
    assert "Hello" not in [a.text for a in bot.transport.actions
                           if isinstance(a, SendMessage) and a.chat_id == 101]
    assert preview.button("Confirm")


def test_every_admin_route_is_declared_admin_only() -> None:
    """The kernel's one admin check guards every command and button of the plugin, so no
    handler repeats it: a route declared without the flag would be the hole."""
    import plugins.admin as admin

    routes = [*admin.register_commands(), *admin.register_callbacks()]
    assert routes and all(route.admin_only for route in routes)


async def test_forged_button_data_is_refused(admin_bot: BotDriver) -> None:
    bot = admin_bot
    for data in ("bc:confirm:abc", "bc:confirm:", "bc:explode:1", "bc:confirm:1:2",
                 "bc:confirm:١", "adm:banned:-1", "adm:other:1", "bc:pause:" + "9" * 18,
                 "adm:banned:" + "9" * 18, "bc", "bc:pause:0"):
        pressed = await bot.press(data, user=bot.admin)
        assert pressed.outcome in ("invalid_button", "unrouted"), data
        assert pressed.alert == INVALID_BUTTON, data
    pressed = await bot.press("bc:pause:12345", user=bot.admin)
    assert "No broadcast #12345" in (pressed.alert or "")


# ---- users and bans ---------------------------------------------------------------------------


async def test_user_lookup_shows_profile_and_plugin_lines(admin_bot: BotDriver) -> None:
    bot = admin_bot
    await bot.send("/start", user=bot.user(ALICE, "Alice", "alice"))
    reply = await bot.send("/user @Alice", user=bot.admin)
    assert "User 42 (@alice)" in reply.text
    assert "Name: Alice" in reply.text and "First seen: " in reply.text
    assert "Banned: no" in reply.text
    assert "Balance: 42 credits" in reply.text  # from the stand-in plugin
    assert (await bot.send("/user 42", user=bot.admin)).text == reply.text
    assert "No user “@nobody”" in (await bot.send("/user @nobody", user=bot.admin)).text
    assert "Usage: /user" in (await bot.send("/user", user=bot.admin)).text


async def test_ban_stops_a_users_updates_and_unban_restores_them(admin_bot: BotDriver) -> None:
    bot = admin_bot
    alice = bot.user(ALICE, "Alice", "alice")
    await bot.send("/start", user=alice)
    reply = await bot.send("/ban @alice spamming the shop", user=bot.admin)
    assert "Banned @alice (42): spamming the shop" in reply.text
    row = User.get_by_id(ALICE)
    assert row.is_banned and row.ban_reason == "spamming the shop"
    ignored = await bot.send("/start", user=alice)
    assert ignored.outcome == "banned" and ignored.actions == []
    assert "Banned: yes (spamming the shop)" in (await bot.send("/user 42",
                                                                user=bot.admin)).text
    assert "already banned" in (await bot.send("/ban 42", user=bot.admin)).text

    assert "Unbanned @alice" in (await bot.send("/unban 42", user=bot.admin)).text
    assert not User.get_by_id(ALICE).is_banned
    assert (await bot.send("/start", user=alice)).outcome == "ok"
    assert "is not banned" in (await bot.send("/unban 42", user=bot.admin)).text


async def test_bad_bans_are_refused(admin_bot: BotDriver) -> None:
    bot = admin_bot
    await add_users(bot, [101])
    assert "Admins cannot be banned" in (await bot.send("/ban 1", user=bot.admin)).text
    assert "No user “777”" in (await bot.send("/ban 777", user=bot.admin)).text
    assert "Usage: /ban" in (await bot.send("/ban", user=bot.admin)).text
    long = await bot.send("/ban 101 " + "x" * 300, user=bot.admin)
    assert "under 256 characters" in long.text
    assert not User.get_by_id(101).is_banned


async def test_banned_list_is_paged(tmp_path: Path) -> None:
    async with running_bot(tmp_path, {"admin.banned_page_size": 2}, plugins=["admin"]) as bot:
        assert "Nobody is banned" in (await bot.send("/banned", user=bot.admin)).text
        await add_users(bot, [201, 202, 203], is_banned=True)
        first = await bot.send("/banned", user=bot.admin)
        assert "201" in first.text and "202" in first.text and "203" not in first.text
        second = await bot.press(first.button("Next"), user=bot.admin)
        assert "203" in second.text and "201" not in second.text
        assert [b.text for b in second.buttons] == [PREVIOUS]
        back = await bot.press(second.button("Previous"), user=bot.admin)
        assert "201" in back.text


# ---- runtime settings -------------------------------------------------------------------------


async def test_set_get_and_settings(admin_bot: BotDriver) -> None:
    bot = admin_bot
    listing = await bot.send("/settings", user=bot.admin)
    assert "start_text =   (the answer to /start (empty: the translated text))" in listing.text
    changed = await bot.send("/set start_text Welcome to the shop!", user=bot.admin)
    assert changed.text == "start_text = Welcome to the shop!"
    assert (await bot.send("/get start_text", user=bot.admin)).text == changed.text
    assert (await bot.send("/start", user=bot.user(ALICE))).text == "Welcome to the shop!"
    history = list(RuntimeSettingChange.select())
    assert [(h.key, h.changed_by) for h in history] == [("start_text", bot.admin.id)]


async def test_set_refuses_unknown_keys_and_invalid_values(admin_bot: BotDriver) -> None:
    bot = admin_bot
    unknown = await bot.send("/set bot_token abc", user=bot.admin)
    assert "There is no setting “bot_token”. Editable settings: start_text." in unknown.text
    invalid = await bot.send("/set start_text " + "x" * 2001, user=bot.admin)
    assert "“start_text” can't be set to that: it must be 1 to 2,000 characters" in invalid.text
    assert "Usage: /set" in (await bot.send("/set start_text", user=bot.admin)).text
    assert "There is no setting “nope”" in (await bot.send("/get nope", user=bot.admin)).text
    assert RuntimeSetting.select().count() == 0 and RuntimeSettingChange.select().count() == 0


# ---- statistics -------------------------------------------------------------------------------


async def test_stats_match_the_database(tmp_path: Path, database_url: str) -> None:
    settings = {"admin.chart": False, "database.url": database_url}
    async with running_bot(tmp_path, settings, plugins=["admin"],
                           extra_plugins=[TiersAndSales()]) as bot:
        now = utcnow()
        await add_users(bot, [101, 102, 103])  # new and active today (with the admin soon)
        await add_users(bot, [104, 105], at=now - timedelta(days=3))
        await add_users(bot, [106], at=now - timedelta(days=40), is_banned=True)
        await add_users(bot, [107], at=now - timedelta(days=10), is_unreachable=True)
        reply = await bot.send("/stats", user=bot.admin)  # the admin is user number 8
        assert "Users: 8 (banned 1, unreachable 1)" in reply.text
        assert "Active: 4 today, 6 in 7 days, 7 in 30 days" in reply.text
        assert "credits issued: 1200" in reply.text
        today, three, ten = (f"{(now - timedelta(days=d)).date().isoformat()}"
                             for d in (0, 3, 10))
        assert f"{today}     4     4" in reply.text
        assert f"{three}     2     2" in reply.text
        assert f"{ten}     1     1" in reply.text
        assert (now - timedelta(days=40)).date().isoformat() not in reply.text
        assert not reply.of(SendMedia)
        figures = await bot.service("admin").stats()
        assert sum(n for _, n, _ in figures.days) == User.select().where(
            User.created_at >= now.replace(hour=0, minute=0, second=0, microsecond=0)
            - timedelta(days=29)).count()


@pytest.mark.skipif(not chart.available(), reason="the chart extra (matplotlib) is not installed")
async def test_stats_chart_is_a_png(admin_bot: BotDriver) -> None:
    from PIL import Image

    await add_users(admin_bot, [101, 102])
    reply = await admin_bot.send("/stats", user=admin_bot.admin)
    [media] = reply.of(SendMedia)
    assert media.media.kind == "photo" and media.media.file_id == ""
    data = media.media.data
    assert data is not None and data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.verify()
    assert image.format == "PNG" and image.size[0] >= 400


def test_media_is_a_file_id_or_bytes_to_upload() -> None:
    """Kernel change for the chart: `Media.data` uploads bytes; one of the two is needed."""
    assert Media("photo", "", data=b"\x89PNG").data == b"\x89PNG"
    assert "data" not in repr(Media("photo", "", data=b"x" * 10_000)).split("(", 1)[1]
    with pytest.raises(ValueError, match="file_id or data"):
        Media("photo", "")
