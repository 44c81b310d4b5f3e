"""Updates the raw fast path covers (and those it ignores), and the transport's guards, all
through the strict offline harness: every request serialised, every peer's access_hash
checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyrogram import errors, raw

from core.context import Context
from core.hookspecs import hookimpl
from core.testing_telegram import (
    OfflineClient,
    TelegramHarness,
    peer_id,
    telegram_bot,
)
from core.transports import tg_actions, tg_raw
from core.types import AnswerPreCheckout, CallbackRoute, Command, UpdateKind
from tests.tg_sample import SamplePlugin

f = raw.functions


class Guarded(SamplePlugin):
    """Sample commands that push the transport's limits."""

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [*super().register_commands(),
                Command("blank", self.blank, "An empty reply"),
                Command("decline", self.decline, "A decline without a reason")]

    @hookimpl
    def register_callbacks(self) -> list[CallbackRoute]:
        return [*super().register_callbacks(), CallbackRoute("huge", self.huge)]

    async def blank(self, ctx: Context) -> None:
        await ctx.reply("   ")

    async def decline(self, ctx: Context) -> None:
        await ctx.do(AnswerPreCheckout(ctx.chat_id, "20001", False, None))

    async def huge(self, ctx: Context) -> None:
        await ctx.answer("é" * 300)
        await ctx.edit("<b>big</b> " + "word " * 2000, html=True)


@pytest.fixture
async def sample() -> Guarded:
    return Guarded()


@pytest.fixture
async def tg(tmp_path: Path, sample: Guarded) -> AsyncIterator[TelegramHarness]:
    async with telegram_bot(tmp_path, extra_plugins=[sample]) as harness:
        yield harness


async def test_a_button_press_makes_no_request_but_the_answer_and_the_edit(
        tg: TelegramHarness) -> None:
    alice = tg.user(42, "Alice")
    await tg.message(alice, "/menu")
    menu_id = tg.last_message().id
    tg.clear()
    await tg.press(alice, "pick:1", menu_id)
    assert [type(q) for q in tg.requests] == [f.messages.SetBotCallbackAnswer,
                                              f.messages.EditMessage]
    tg.clear()
    await tg.message(tg.user(43, "Bob"), "/echo hi")  # a new user: still one request
    assert [type(q) for q in tg.requests] == [f.messages.SendMessage]


async def test_an_anonymous_admins_command_is_answered_in_the_group(
        tg: TelegramHarness, sample: Guarded) -> None:
    group = tg.supergroup(4242, "Team")
    message = tg.raw_message(None, "/echo hello team", group=group, as_chat=group)
    await tg.feed(tg.new(message), groups=[group])
    [sent] = tg.requests_of(f.messages.SendMessage)
    assert isinstance(sent.peer, raw.types.InputPeerChannel)  # with the group's access_hash
    assert peer_id(sent.peer) == group.chat_id and sent.message == "hello team"
    update = sample.updates[-1]
    assert update.user.id == tg_raw.GROUP_ANONYMOUS_BOT and update.user.first_name == "Team"
    assert update.sender_chat is not None and update.sender_chat.id == group.chat_id
    assert update.chat.id == group.chat_id and update.chat.is_group


async def test_a_supergroup_member_is_answered_with_the_channel_peer(
        tg: TelegramHarness) -> None:
    group = tg.supergroup(5151)
    await tg.message(tg.user(42), "/echo in the supergroup", group=group)
    assert tg.sent_texts(group.chat_id) == ["in the supergroup"]


async def test_an_inline_message_button_edits_that_message(tg: TelegramHarness,
                                                           sample: Guarded) -> None:
    alice = tg.user(42, "Alice")
    inline_id = await tg.press_inline(alice, "pick:2")
    [answer] = tg.requests_of(f.messages.SetBotCallbackAnswer)
    assert answer.message == "Noted"
    [edit] = tg.server.inline_edits
    assert edit.message == "You picked pick:2" and edit.id.id == 77
    assert not tg.requests_of(f.messages.EditMessage)  # no private chat got an edit
    assert not tg.requests_of(f.messages.SendMessage)
    assert sample.updates[-1].inline_message_id == inline_id


async def test_a_two_photo_album_arrives_as_one_update(tg: TelegramHarness,
                                                       sample: Guarded) -> None:
    alice = tg.user(42, "Alice")
    first = tg.raw_message(alice, "holiday", media=tg.raw_photo(5001), grouped_id=900)
    second = tg.raw_message(alice, "", media=tg.raw_photo(5002), grouped_id=900)
    await tg.feed(tg.new(first), users=[alice], wait=False)  # two containers, as Telegram
    await tg.feed(tg.new(second), users=[alice], wait=False)  # sends them
    await tg.transport.receiver.flush_albums()  # the window closes
    await tg.settle()
    [album] = [u for u in sample.updates if u.kind is UpdateKind.MEDIA]
    assert len(album.album) == 2 and album.media == album.album[0]
    assert album.album[0].file_id != album.album[1].file_id
    assert album.text == "holiday" and album.message_id == first.id
    assert len(tg.requests_of(f.messages.SendMedia)) == 1  # one answer, not two


async def test_edited_messages_and_channel_posts_are_ignored(tg: TelegramHarness,
                                                             sample: Guarded) -> None:
    alice = tg.user(42)
    message = tg.raw_message(alice, "/echo edited")
    await tg.feed(raw.types.UpdateEditMessage(message=message, pts=tg.server.next_pts(),
                                              pts_count=1), users=[alice])
    channel = tg.supergroup(6161, "News")
    post = tg.raw_message(None, "/echo news", group=channel, as_chat=channel)
    post.post = True
    await tg.feed(tg.new(post), groups=[channel])
    assert sample.updates == [] and tg.requests == []


async def test_an_empty_reply_is_the_plugin_authors_error(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/blank")
    assert "MESSAGE_EMPTY" not in tg.server.refused  # never sent: a plugin error instead
    assert tg.kernel.dispatcher.counts.get("error", 0) == 1
    [apology] = tg.sent_texts(42)
    assert "went wrong" in apology.lower() or "error" in apology.lower()


async def test_long_answers_and_edits_are_cut_to_what_fits(tg: TelegramHarness) -> None:
    alice = tg.user(42)
    await tg.message(alice, "/menu")
    menu_id = tg.last_message().id
    tg.clear()
    await tg.press(alice, "huge", menu_id)
    [answer] = tg.requests_of(f.messages.SetBotCallbackAnswer)
    assert tg_actions.units(answer.message) == 200 and answer.message.endswith("…")
    [edit] = tg.requests_of(f.messages.EditMessage)
    assert tg_actions.units(edit.message) == 4096  # all that fits, not a first line-chunk
    assert edit.message.startswith("big word") and edit.message.endswith("…")
    [bold] = edit.entities
    assert isinstance(bold, raw.types.MessageEntityBold) and (bold.offset, bold.length) == (0, 3)
    assert tg.server.refused == []


async def test_a_decline_always_carries_a_text(tg: TelegramHarness) -> None:
    await tg.message(tg.user(42), "/decline")
    [declined] = tg.requests_of(f.messages.SetBotPrecheckoutResults)
    assert not declined.success and declined.error == tg_actions.DECLINE


async def test_a_request_built_wrong_fails_the_test_that_sent_it(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="SetBotCallbackAnswer"):
        async with telegram_bot(tmp_path) as tg:
            wrong = f.messages.SetBotCallbackAnswer(query_id="10001", cache_time=0)  # not a long
            with pytest.raises(Exception, match="cannot be serialised"):
                await tg.client.invoke(wrong)


async def test_a_wrong_access_hash_is_refused(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path) as tg:
        alice = tg.user(42)
        await tg.know(alice)
        peer = raw.types.InputPeerUser(user_id=42, access_hash=12345)
        with pytest.raises(errors.PeerIdInvalid):
            await tg.client.invoke(f.messages.SendMessage(peer=peer, message="hi",
                                                          random_id=1))
        tg.server.refused.clear()


def test_the_harness_client_is_the_bots_own_client_class() -> None:
    from core.transports.tg_client import BotClient

    assert issubclass(OfflineClient, BotClient)
