"""The inbox through the real kurigram Client, offline: raw updates in, raw requests out."""

from pathlib import Path

from pyrogram import raw

from core.testing import ADMIN_ID
from core.testing_telegram import raw_buttons, telegram_bot

RECEIVED = "Thanks! Your message reached the operators; they will answer here."


def _to(peer: object) -> int:
    return int(getattr(peer, "user_id", 0))


async def test_a_raw_user_message_reaches_the_operators_and_the_answer_comes_back(
        tmp_path: Path) -> None:
    async with telegram_bot(tmp_path, plugins=["admin_inbox"]) as tg:
        await tg.know(tg.admin)  # the operators' chat: the admin has met the bot before
        alice = tg.user(42, "Alice", "alice")

        await tg.message(alice, "My order is late")

        [to_admin] = [q for q in tg.requests_of(raw.functions.messages.SendMessage)
                      if _to(q.peer) == ADMIN_ID]
        assert to_admin.message.startswith("#1 · Alice (@alice, id 42) · normal")
        assert to_admin.message.endswith("My order is late")
        assert raw_buttons(to_admin.reply_markup) == [
            ("Reply", "inbox:r:1"), ("Close", "inbox:c:1"), ("Priority", "inbox:p:1")]
        assert tg.sent_texts(42) == [RECEIVED]

        # The admin replies (in Telegram's sense) to the copy the bot sent them.
        copy_id = max(i for i, m in tg.server.messages.items()
                      if m.out and _to(m.peer_id) == ADMIN_ID)
        tg.clear()
        await tg.message(tg.admin, "It ships tomorrow.", reply_to=copy_id)

        assert tg.sent_texts(42) == ["It ships tomorrow."]
        assert tg.sent_texts(ADMIN_ID) == ["Sent to #1."]


async def test_a_raw_photo_reaches_the_operators_and_a_document_comes_back(
        tmp_path: Path) -> None:
    async with telegram_bot(tmp_path, plugins=["admin_inbox"]) as tg:
        await tg.know(tg.admin)
        alice = tg.user(42, "Alice")
        await tg.photo(alice, caption="the broken part")

        [media] = tg.requests_of(raw.functions.messages.SendMedia)
        assert _to(media.peer) == ADMIN_ID
        assert isinstance(media.media, raw.types.InputMediaPhoto)
        assert media.media.id.id == 5001  # Alice's photo, by its file id
        assert "the broken part" in media.message and "#1" in media.message
        assert [t for t, _ in raw_buttons(media.reply_markup)] == ["Reply", "Close", "Priority"]
        stored = await tg.kernel.service("inbox").history(1)
        assert [(m.direction, m.media_kind) for m in stored] == [("in", "photo")]

        # The admin answers with a document, replying to the photo the bot sent them.
        copy_id = max(i for i, m in tg.server.messages.items()
                      if m.out and _to(m.peer_id) == ADMIN_ID)
        doc = raw.types.MessageMediaDocument(document=raw.types.Document(
            id=6001, access_hash=9, file_reference=b"ref", date=tg.server.date,
            mime_type="application/pdf", size=2048, dc_id=2,
            attributes=[raw.types.DocumentAttributeFilename(file_name="invoice.pdf")]))
        message = tg.raw_message(tg.admin, "your invoice", media=doc, reply_to=copy_id)
        tg.clear()
        await tg.feed(tg.new(message), users=[tg.admin])

        [to_alice] = tg.requests_of(raw.functions.messages.SendMedia)
        assert _to(to_alice.peer) == 42
        assert isinstance(to_alice.media, raw.types.InputMediaDocument)
        assert to_alice.media.id.id == 6001  # the same file, by its id
        assert to_alice.message == "your invoice"
        stored = await tg.kernel.service("inbox").history(1)
        assert [(m.direction, m.media_kind) for m in stored] == [("in", "photo"),
                                                                 ("out", "document")]


async def test_an_operators_group_gets_the_message_and_answers_from_it(tmp_path: Path) -> None:
    async with telegram_bot(tmp_path, {"admin_inbox.operators_chat": -555},
                            plugins=["admin_inbox"]) as tg:
        operators = tg.group(555, "Operators")
        await tg.message(tg.admin, "/start", group=operators)  # the bot is in the group
        alice = tg.user(42, "Alice")
        tg.clear()

        await tg.message(alice, "Help please")

        [to_group] = [q for q in tg.requests_of(raw.functions.messages.SendMessage)
                      if isinstance(q.peer, raw.types.InputPeerChat)]
        assert to_group.peer.chat_id == 555 and to_group.message.endswith("Help please")
        copy_id = max(i for i, m in tg.server.messages.items()
                      if m.out and getattr(m.peer_id, "chat_id", None) == 555)
        tg.clear()
        await tg.message(tg.admin, "Done.", group=operators, reply_to=copy_id)
        assert tg.sent_texts(42) == ["Done."]
        # A group member who is not an admin replying reaches nobody.
        tg.clear()
        await tg.message(tg.user(77, "Eve"), "hi Alice", group=operators, reply_to=copy_id)
        assert tg.sent_texts(42) == []
