"""Nothing missed across restarts: what Telegram sent while the bot was down comes from
`updates.getDifference` (and the channel difference for supergroups), each update handled
once, through the strict harness with the session kept in a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyrogram import errors, raw

from core.testing_telegram import FakeTelegram, OfflineClient, TgUser, telegram_bot
from tests.payments_support import PLUGINS, settings

f = raw.functions
ALICE = TgUser(42, "Alice")


def bot(tmp_path: Path, server: FakeTelegram, **options: Any) -> Any:
    client = OfflineClient(server, workdir=tmp_path)  # the same session file every time
    for name, value in options.items():
        setattr(client, name, value)
    return telegram_bot(tmp_path, settings(), plugins=PLUGINS, client=client,
                        clear_startup=False)


async def test_a_restart_handles_what_came_meanwhile_once(tmp_path: Path) -> None:
    server = FakeTelegram()
    async with bot(tmp_path, server) as tg:
        await tg.message(ALICE, "/buy small")
        [media] = tg.requests_of(f.messages.SendMedia)
        payload = media.media.payload.decode()
        await tg.pre_checkout(ALICE, payload, "XTR", 50)
        first = tg.new(tg.raw_paid(ALICE, payload, "XTR", 50, charge_id="stxLIVE"))
        await tg.feed(first, users=[ALICE])
        assert await tg.kernel.service("credits").balance(42) == 100

    # The bot is down. Telegram keeps what it sends meanwhile: a payment, a command, and the
    # live payment again (as when its state was not saved before the bot stopped).
    tg.missed(tg.new(tg.raw_paid(ALICE, payload, "XTR", 50, charge_id="stxDOWN")),
              users=[ALICE])
    tg.missed(tg.new(tg.raw_message(ALICE, "/balance")), users=[ALICE])
    tg.missed(tg.new(first.message), users=[ALICE])

    async with bot(tmp_path, server) as tg:
        assert await tg.kernel.service("credits").balance(42) == 200
        thanks = [t for t in tg.server.messages.values()
                  if t.out and "credits were added" in t.message]
        assert len(thanks) == 2  # one per payment, over both runs
        assert sum("Balance" in t for t in tg.sent_texts(42)) == 1  # /balance answered
        await tg.feed(tg.new(first.message), users=[ALICE])  # and live yet again
        assert await tg.kernel.service("credits").balance(42) == 200

    async with bot(tmp_path, server) as tg:  # the state was saved: nothing again
        assert {type(q) for q in tg.requests} == {f.updates.GetDifference,
                                                  f.bots.SetBotCommands, f.users.GetUsers}
        assert await tg.kernel.service("credits").balance(42) == 200


async def test_a_flood_wait_on_fetching_the_difference_loses_nothing(tmp_path: Path) -> None:
    server = FakeTelegram()
    async with bot(tmp_path, server) as tg:
        await tg.message(ALICE, "/start")
    tg.missed(tg.new(tg.raw_message(ALICE, "/balance")), users=[ALICE])
    waits: list[Any] = []

    def flood_once(query: object) -> None:
        if isinstance(query, f.updates.GetDifference) and not waits:
            waits.append(query)
            raise errors.FloodWait(value=1)

    async with bot(tmp_path, server, on_request=flood_once) as tg:
        assert len(waits) == 1
        assert sum("Balance" in t for t in tg.sent_texts(42)) == 1
        # A short update names its sender by id only: the difference brings the rest.
        message = tg.raw_message(ALICE, "/balance")
        update = tg.new(message)
        tg.missed(update, users=[ALICE])  # the server has it in full
        short = raw.types.UpdateShortMessage(id=message.id, user_id=42, message="/balance",
                                             pts=update.pts, pts_count=1, date=server.date,
                                             entities=message.entities)
        waits.clear()
        await tg.client.handle_updates(short)
        await tg.settle()
        assert len(waits) == 1  # flooded once more, and still answered
        assert sum("Balance" in t for t in tg.sent_texts(42)) == 2


async def test_a_supergroups_missed_messages_come_from_its_channel_difference(
        tmp_path: Path) -> None:
    server = FakeTelegram()
    async with bot(tmp_path, server) as tg:
        group = tg.supergroup(7070, "Team")
        await tg.message(ALICE, "/balance", group=group)
        assert len(tg.sent_texts(group.chat_id)) == 1
    tg.missed(tg.new(tg.raw_message(ALICE, "/balance", group=group)), users=[ALICE],
              groups=[group])
    async with bot(tmp_path, server) as tg:
        assert tg.requests_of(f.updates.GetChannelDifference)
        assert len(tg.sent_texts(group.chat_id)) == 1
