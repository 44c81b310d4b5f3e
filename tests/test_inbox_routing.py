"""A user's message reaches the operators; an operator's answer reaches the user."""

import pytest

from core.testing import ADMIN_ID, BotDriver
from core.types import CopyMessage, ForwardMessage, Media, SendMedia, SendMessage
from plugins.admin_inbox.models import Conversation, InboxMessage

pytestmark = pytest.mark.plugins("admin_inbox")

RECEIVED = "Thanks! Your message reached the operators; they will answer here."


def rows(bot: BotDriver, model, *where):
    return bot.kernel.db.call(lambda: list(model.select().where(*where) if where
                                           else model.select()))


async def test_a_user_message_reaches_the_operators_with_its_buttons(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice", "alice")
    reply = await bot.send("My order never arrived", user=alice)

    assert reply.outcome == "ok"
    routed = reply.to(ADMIN_ID)
    assert len(routed) == 1 and isinstance(routed[0], SendMessage)
    assert "#1 · Alice (@alice, id 42) · normal" in routed[0].text
    assert "My order never arrived" in routed[0].text
    assert [b.text for b in reply.buttons] == ["Reply", "Close", "Priority"]
    assert [m.text for m in reply.to(42)] == [RECEIVED]
    [conv] = rows(bot, Conversation)
    assert (conv.user_id, conv.status, conv.priority) == (42, "open", 0)
    assert conv.waiting_since is not None and conv.first_answer_at is None


async def test_the_received_notice_is_sent_once_per_conversation(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("hello", user=alice)
    second = await bot.send("are you there?", user=alice)

    assert second.to(42) == []  # no second notice
    assert len(second.to(ADMIN_ID)) == 1
    assert "#1 · " in second.to(ADMIN_ID)[0].text
    assert len(rows(bot, Conversation)) == 1
    assert [m.text for m in rows(bot, InboxMessage)] == ["hello", "are you there?"]


async def test_replying_to_the_routed_message_answers_the_user_anonymously(
        bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    routed = await bot.send("Where is my parcel?", user=alice)
    copy_id = routed.actions[0][1].message_id

    answer = await bot.send("It ships tomorrow.", user=bot.admin, reply_to=copy_id)

    assert answer.outcome == "ok"
    [to_alice] = answer.to(42)
    assert to_alice.text == "It ships tomorrow."  # no admin name, no header
    assert "Admin" not in to_alice.text
    assert "Sent to #1." in answer.text
    [conv] = rows(bot, Conversation)
    assert conv.status == "waiting" and conv.first_answer_at is not None
    assert conv.waiting_since is None
    out = rows(bot, InboxMessage, InboxMessage.direction == "out")
    assert [(m.text, m.admin_id) for m in out] == [("It ships tomorrow.", ADMIN_ID)]


async def test_the_reply_command_answers_the_user(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    await bot.send("Hi", user=alice)

    answer = await bot.send("/reply #1 Hello Alice, how can we help?", user=bot.admin)

    assert [a.text for a in answer.to(42)] == ["Hello Alice, how can we help?"]
    assert "Sent to #1." in answer.text


@pytest.mark.bot_settings({"admin_inbox.show_admin_name": True})
async def test_the_admin_name_is_shown_only_when_settings_say_so(bot: BotDriver) -> None:
    await bot.send("Hi", user=bot.user(42, "Alice"))
    answer = await bot.send("/reply 1 Hello", user=bot.admin)
    assert [a.text for a in answer.to(42)] == ["Admin: Hello"]


async def test_the_reply_button_then_a_message_answers_the_user(bot: BotDriver) -> None:
    routed = await bot.send("Hi", user=bot.user(42, "Alice"))
    prompt = await bot.press(routed.button("Reply"), user=bot.admin)
    assert "Write your answer to #1" in prompt.text

    answer = await bot.send("Hello from support", user=bot.admin)
    assert [a.text for a in answer.to(42)] == ["Hello from support"]
    # Reply mode is one-shot: the admin's next message is not sent to Alice.
    after = await bot.send("note to self", user=bot.admin)
    assert after.to(42) == [] and "reply to their message" in after.text


async def test_bad_reply_commands_are_explained_and_send_nothing(bot: BotDriver) -> None:
    await bot.send("Hi", user=bot.user(42, "Alice"))
    for text, expected in [("/reply", "Usage: /reply"), ("/reply 1", "Usage: /reply"),
                           ("/reply 99 hi", "no conversation #99"),
                           ("/reply -3 hi", "not a conversation number"),
                           ("/reply 99999999999999999999 hi", "not a conversation number"),
                           ("/reply abc hi", "not a conversation number")]:
        reply = await bot.send(text, user=bot.admin)
        assert reply.outcome == "user_error", text
        assert expected in reply.text, text
        assert reply.to(42) == []
    assert rows(bot, InboxMessage, InboxMessage.direction == "out") == []


@pytest.mark.bot_settings({"admin_inbox.operators_chat": -100123})
async def test_an_operators_group_receives_messages_and_answers_from_it(bot: BotDriver) -> None:
    from core.types import Chat, ChatType

    group = Chat(-100123, ChatType.SUPERGROUP)
    routed = await bot.send("Help!", user=bot.user(42, "Alice"))
    assert [type(a) for a in routed.to(-100123)] == [SendMessage]
    assert routed.to(ADMIN_ID) == []
    copy_id = routed.actions[0][1].message_id

    answer = await bot.send("On it.", user=bot.admin, chat=group, reply_to=copy_id)
    assert [a.text for a in answer.to(42)] == ["On it."]

    # A group member who is not an admin replying changes nothing.
    stranger = await bot.send("lol", user=bot.user(77, "Eve"), chat=group, reply_to=copy_id)
    assert stranger.to(42) == []
    assert len(rows(bot, InboxMessage, InboxMessage.direction == "out")) == 1


async def test_photos_and_documents_go_both_ways_by_file_id(bot: BotDriver) -> None:
    alice = bot.user(42, "Alice")
    photo = Media("photo", "AgACAgIAAxkBAAIBphoto")
    routed = await bot.send("the broken part", user=alice, media=photo)
    [to_ops] = routed.of(SendMedia)
    assert to_ops.chat_id == ADMIN_ID and to_ops.media == photo
    assert "the broken part" in to_ops.caption and "#1" in to_ops.caption
    assert [b.text for b in routed.buttons] == ["Reply", "Close", "Priority"]

    doc = Media("document", "BQACAgIAAxkBAAIBdoc", file_name="invoice.pdf")
    answer = await bot.send("", user=bot.admin, media=doc,
                            reply_to=routed.actions[0][1].message_id)
    [to_alice] = answer.of(SendMedia)
    assert to_alice.chat_id == 42 and to_alice.media == doc

    stored = rows(bot, InboxMessage)
    assert [(m.direction, m.media_kind, m.file_id) for m in stored] == [
        ("in", "photo", "AgACAgIAAxkBAAIBphoto"), ("out", "document", "BQACAgIAAxkBAAIBdoc")]
    assert not routed.of(CopyMessage) and not routed.of(ForwardMessage)


async def test_other_media_kinds_are_refused_politely(bot: BotDriver) -> None:
    reply = await bot.send("", user=bot.user(42), media=Media("voice", "AwACvoice"))
    assert reply.outcome == "user_error"
    assert "text, photos and documents" in reply.text
    assert rows(bot, InboxMessage) == []


@pytest.mark.bot_settings({"admin_inbox.operators_chat": -100123, "admins": [ADMIN_ID, 2]})
async def test_reply_binds_to_the_operator_who_pressed_it_and_their_next_message_only(
        bot: BotDriver) -> None:
    from core.types import Chat, ChatType

    group = Chat(-100123, ChatType.SUPERGROUP)
    operator, colleague = bot.admin, bot.user(2, "Colleague")
    routed = await bot.send("Help!", user=bot.user(42, "Alice"))
    reply_button = routed.button("Reply")

    prompt = await bot.press(reply_button, user=operator, chat=group)
    assert "Write your answer to #1" in prompt.text
    prompt_id = prompt.actions[0][1].message_id
    # A colleague answering the prompt is not the operator who pressed Reply.
    assert (await bot.send("Me neither", user=colleague, chat=group,
                           reply_to=prompt_id)).to(42) == []
    # The operator's next message is not a reply: it is meant for the group and goes nowhere.
    chatter = await bot.send("lunch?", user=operator, chat=group)
    assert chatter.to(42) == [] and chatter.actions == []
    # ...and Reply mode is over: answering the old prompt now sends nothing either.
    late = await bot.send("Hello Alice", user=operator, chat=group, reply_to=prompt_id)
    assert late.to(42) == []

    again = await bot.press(reply_button, user=operator, chat=group)
    again_id = again.actions[0][1].message_id
    answer = await bot.send("On it.", user=operator, chat=group, reply_to=again_id)
    assert [a.text for a in answer.to(42)] == ["On it."]
    once = await bot.send("And more.", user=operator, chat=group, reply_to=again_id)
    assert once.to(42) == []
    assert len(rows(bot, InboxMessage, InboxMessage.direction == "out")) == 1
