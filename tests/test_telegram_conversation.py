"""From raw MTProto updates, through kurigram and the kernel, to the raw requests sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyrogram import raw

from core.context import Context
from core.hookspecs import hookimpl
from core.testing_telegram import (
    BOT_USERNAME,
    TelegramHarness,
    button_data,
    raw_buttons,
    telegram_bot,
)
from core.types import Button, Command, UpdateKind
from tests.tg_sample import SamplePlugin

f = raw.functions


@pytest.fixture
async def sample() -> SamplePlugin:
    return SamplePlugin()


@pytest.fixture
async def tg(tmp_path: Path, sample: SamplePlugin) -> AsyncIterator[TelegramHarness]:
    async with telegram_bot(tmp_path, extra_plugins=[sample]) as harness:
        yield harness


async def test_command_answered_with_inline_keyboard(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42, "Alice"), "/menu")
    [sent] = tg.requests_of(f.messages.SendMessage)
    assert sent.message == "Pick one:"
    assert button_data(sent.reply_markup) == ["pick:1", "pick:2"]
    assert raw_buttons(sent.reply_markup) == [("Apples", "pick:1"), ("Pears", "pick:2"),
                                              ("Site", "https://example.org")]


async def test_button_press_answered_and_message_edited(tg: TelegramHarness,
                                                        sample: SamplePlugin) -> None:
    alice = tg.user(42, "Alice")
    await tg.message(alice, "/menu")
    menu_id = tg.last_message().id
    tg.clear()
    await tg.press(alice, "pick:2", menu_id)
    [answer] = tg.requests_of(f.messages.SetBotCallbackAnswer)
    assert answer.message == "Noted"
    [edit] = tg.requests_of(f.messages.EditMessage)
    assert (edit.id, edit.message) == (menu_id, "You picked pick:2")
    press = sample.updates[-1]
    assert (press.kind, press.callback_data, press.message_id) == (UpdateKind.CALLBACK,
                                                                   "pick:2", menu_id)


async def test_edit_that_changes_nothing_is_harmless(tg: TelegramHarness) -> None:
    alice = tg.user(42)
    await tg.message(alice, "/menu")
    menu_id = tg.last_message().id
    await tg.press(alice, "same", menu_id)  # edits to the very same text and keyboard
    assert len(tg.requests_of(f.messages.EditMessage)) == 1
    assert tg.server.refused[-1:] == ["MESSAGE_NOT_MODIFIED"]  # Telegram refused the edit...
    assert tg.kernel.dispatcher.counts.get("error", 0) == 0  # ...and nobody minded
    assert tg.requests_of(f.messages.SetBotCallbackAnswer)  # the press is still answered


async def test_pre_checkout_answered(tg: TelegramHarness) -> None:
    alice = tg.user(42)
    await tg.pre_checkout(alice, "pack:100", "XTR", 50)
    await tg.pre_checkout(alice, "stale:1", "XTR", 50)
    ok, refused = tg.requests_of(f.messages.SetBotPrecheckoutResults)
    assert ok.success and ok.error is None
    assert not refused.success and refused.error == "This offer has expired."


async def test_stars_invoice_sent_as_send_media_in_xtr(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/stars")
    [media] = tg.requests_of(f.messages.SendMedia)
    invoice = media.media
    assert isinstance(invoice, raw.types.InputMediaInvoice)
    assert invoice.invoice.currency == "XTR"
    assert [p.amount for p in invoice.invoice.prices] == [50]
    assert invoice.payload == b"pack:100"
    assert not invoice.provider  # Stars need no payment provider


async def test_provider_invoice_carries_its_token(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/card")
    [media] = tg.requests_of(f.messages.SendMedia)
    assert media.media.invoice.currency == "EUR"
    assert media.media.provider == "284685063:TEST:abc"
    assert [(p.label, p.amount) for p in media.media.invoice.prices] == [("Pack", 499)]


async def test_refund_sent_as_refund_stars_charge(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/refund charge-77")
    [refund] = tg.requests_of(f.payments.RefundStarsCharge)
    assert refund.charge_id == "charge-77"
    assert refund.user_id.user_id == 42


async def test_successful_payment_translated_once(tg: TelegramHarness,
                                                  sample: SamplePlugin) -> None:
    alice = tg.user(42)
    await tg.paid(alice, "pack:100", "XTR", 50, charge_id="stxABC")
    await tg.paid(alice, "pack:100", "XTR", 50, charge_id="stxABC")  # Telegram redelivers
    payments = [u for u in sample.updates if u.kind is UpdateKind.PAYMENT]
    assert len(payments) == 1
    info = payments[0].payment
    assert info is not None
    assert (info.telegram_payment_charge_id, info.payload, info.currency, info.total_amount) == (
        "stxABC", "pack:100", "XTR", 50)
    assert payments[0].key == "tg:pay:stxABC"


async def test_group_command_for_another_bot_is_ignored(tg: TelegramHarness,
                                                        sample: SamplePlugin) -> None:
    alice, group = tg.user(42), tg.group(555)
    await tg.message(alice, "/echo@other_bot hi", group=group)
    assert tg.requests == []
    assert sample.updates == []
    await tg.message(alice, f"/echo@{BOT_USERNAME} hello", group=group)
    [sent] = tg.requests_of(f.messages.SendMessage)
    assert sent.message == "hello"
    assert isinstance(sent.peer, raw.types.InputPeerChat) and sent.peer.chat_id == 555
    assert sample.updates[-1].chat.is_group


class DeepLinkStart:
    def __init__(self) -> None:
        self.seen: list[tuple[str | None, str, str]] = []

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("start", self.start)]

    async def start(self, ctx: Context) -> None:
        self.seen.append((ctx.update.command, ctx.update.args, ctx.update.key))


async def test_start_deep_link_payload_reaches_the_kernel(tmp_path: Path) -> None:
    start = DeepLinkStart()
    async with telegram_bot(tmp_path, extra_plugins=[start]) as tg:
        message_id = await tg.message(tg.user(42), "/start ref_abc123")
    assert start.seen == [("start", "ref_abc123", f"tg:msg:42:{message_id}")]


async def test_photo_and_document_arrive_by_file_id(tg: TelegramHarness,
                                                    sample: SamplePlugin) -> None:
    alice = tg.user(42)
    await tg.photo(alice, caption="my cat")
    await tg.document(alice, "report.pdf", "application/pdf")
    photo, document = sample.updates
    assert photo.kind is UpdateKind.MEDIA and photo.media is not None
    assert photo.media.kind == "photo" and photo.media.file_id and photo.text == "my cat"
    assert document.media is not None and document.media.kind == "document"
    assert (document.media.file_name, document.media.mime_type) == ("report.pdf",
                                                                    "application/pdf")
    assert document.media.file_id != photo.media.file_id
    # Sent back by file id: kurigram decodes the id into the original photo and document.
    photo_back, document_back = tg.requests_of(f.messages.SendMedia)
    assert isinstance(photo_back.media, raw.types.InputMediaPhoto)
    assert photo_back.media.id.id == 5001
    assert isinstance(document_back.media, raw.types.InputMediaDocument)
    assert document_back.media.id.id == 6001
    assert photo_back.message == "Got <it>"  # the caption is escaped text, not markup
    assert button_data(photo_back.reply_markup) == ["pick:keep"]


async def test_user_text_is_escaped(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/echo <b>bold</b> & <a href='x'>link</a>")
    [sent] = tg.requests_of(f.messages.SendMessage)
    # Sent as plain text: the tags arrive as characters, not as formatting.
    assert sent.message == "<b>bold</b> & <a href='x'>link</a>"
    assert not sent.entities


async def test_html_asked_for_is_formatted(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/bold")
    [sent] = tg.requests_of(f.messages.SendMessage)
    assert sent.message == "Balance: 5 < 10"
    [bold] = sent.entities
    assert isinstance(bold, raw.types.MessageEntityBold) and (bold.offset, bold.length) == (0, 8)


async def test_long_text_split_at_line_ends_buttons_on_last(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/long")
    parts = tg.requests_of(f.messages.SendMessage)
    assert len(parts) == 3
    assert all(len(p.message) <= 4096 for p in parts)
    lines = "\n".join(p.message for p in parts).split("\n")
    assert lines == [f"line {i:04d} " + "x" * 90 for i in range(100)]  # none cut, in order
    assert [p.reply_markup is not None for p in parts] == [False, False, True]


async def test_copy_and_forward(tg: TelegramHarness) -> None:
    alice = tg.user(42)
    original = await tg.message(alice, "keep this")
    await tg.message(alice, "/copy", reply_to=original)
    await tg.message(alice, "/forward", reply_to=original)
    copy, forward = tg.requests_of(f.messages.ForwardMessages)
    assert copy.id == [original] and copy.drop_author
    assert forward.id == [original] and not forward.drop_author
    # A copy with buttons is fetched and sent again, with its keyboard.
    copied = [q for q in tg.requests_of(f.messages.SendMessage) if q.message == "keep this"]
    assert len(copied) == 1 and button_data(copied[0].reply_markup) == ["pick:reply"]


async def test_blocked_user_marked_unreachable_and_not_retried(tg: TelegramHarness) -> None:
    from pyrogram import errors

    bob = tg.user(43, "Bob")
    await tg.message(bob, "/echo hi")  # Bob exists

    def blocked(query: object) -> None:
        if isinstance(query, f.messages.SendMessage):
            raise errors.UserIsBlocked()

    tg.client.on_request = blocked
    tg.clear()
    await tg.message(bob, "/long")  # three parts queued for a user who blocked the bot
    assert len(tg.requests_of(f.messages.SendMessage)) == 1  # tried once, the rest dropped
    row = await tg.kernel.users.row(43)
    assert row is not None and row["is_unreachable"]
    assert tg.kernel.outbox.depth() == 0


async def test_command_menu_for_everyone_and_for_admins(tg: TelegramHarness) -> None:
    await tg.message(tg.admin, "/echo hi")  # the admin has talked to the bot: a known peer
    tg.clear()
    await tg.transport.set_menu()
    menus = tg.requests_of(f.bots.SetBotCommands)
    assert len(menus) == 2 * (1 + len(tg.kernel.texts.languages))  # all, then each language
    default, admin = menus[:2]
    assert default.lang_code == "" and [m.lang_code for m in menus[2::2]] == ["en", "es", "ru"]
    assert isinstance(default.scope, raw.types.BotCommandScopeDefault)
    names = [c.command for c in default.commands]
    assert "menu" in names and "start" in names and "stats" not in names
    assert isinstance(admin.scope, raw.types.BotCommandScopePeer)
    assert admin.scope.peer.user_id == tg.admin.id
    assert "stats" in [c.command for c in admin.commands]


def test_callback_data_over_64_bytes_refused_naming_the_button() -> None:
    with pytest.raises(ValueError, match=r"'Buy the big pack'.*65 bytes"):
        Button("Buy the big pack", data="x" * 65)
    Button("Fits", data="é" * 32)  # 64 bytes of UTF-8: allowed
    with pytest.raises(ValueError, match="'Unicode'"):
        Button("Unicode", data="é" * 33)


async def test_answering_an_expired_button_press_is_harmless(tg: TelegramHarness) -> None:
    from pyrogram import errors

    alice = tg.user(42)
    await tg.message(alice, "/menu")
    menu_id = tg.last_message().id

    def expired(query: object) -> None:
        if isinstance(query, f.messages.SetBotCallbackAnswer):
            raise errors.QueryIdInvalid()

    tg.client.on_request = expired
    await tg.press(alice, "pick:1", menu_id)
    assert tg.kernel.dispatcher.counts.get("error", 0) == 0
    assert tg.requests_of(f.messages.EditMessage)  # the handler went on with its work
