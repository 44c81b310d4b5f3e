"""The receiving side: raw update containers in, kernel Updates journaled, update state saved.

Telegram numbers updates (`pts` for private chats and basic groups, one `pts` per supergroup)
and answers `updates.getDifference` with everything after a state the client saved. So:

- a container's updates are translated (`tg_raw`) and journaled (`ingest`) first; the state
  advances only afterwards, so a crash in between fetches them again, and the journal skips
  the ones it already has (an update received twice is handled once);
- on start and after every reconnect, `recover` asks for the difference from the saved state
  (and the channel difference for every supergroup with a saved state), journals it and saves;
- containers are taken one at a time, in the order they arrived, so the state never jumps
  past an update still on its way to the journal;
- album parts (messages sharing a `grouped_id`) wait a short window for each other and go to
  the journal as one update; the state waits with them.

Nothing here waits for a handler: `ingest` returns once the updates are durable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pyrogram
from loguru import logger
from pyrogram import errors, raw, utils
from pyrogram.storage import UpdateState

from core.transports import tg_raw
from core.types import Update

Ingest = Callable[[Sequence[Update]], Awaitable[None]]
ALBUM_WINDOW = 0.5  # seconds an album part waits for the rest
RETRY_DELAY = 5.0  # seconds before recovery runs again after a failure


def state_id(update: Any) -> int:
    """Which update state a raw update belongs to: 0, or its supergroup's."""
    channel = getattr(getattr(getattr(update, "message", None), "peer_id", None),
                      "channel_id", None) or getattr(update, "channel_id", None)
    return utils.get_channel_id(channel) if channel else 0


class Receiver:
    def __init__(self, client: pyrogram.Client, ingest: Ingest, me: Callable[[], tg_raw.Me],
                 album_window: float = ALBUM_WINDOW) -> None:
        self.client = client
        self.ingest = ingest
        self.me = me
        self.album_window = album_window
        self._lock = asyncio.Lock()  # one container (or one difference) at a time, in order
        self._albums: dict[tuple[int, int], list[Update]] = {}
        self._held: list[UpdateState] = []  # state advances waiting for an open album
        self._album_flush: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.accepting = False  # until `start`: the kernel may not be ready for updates
        self._saved: dict[int, UpdateState] | None = None  # what the session holds, cached

    # ---- live updates -------------------------------------------------------------------------

    async def container(self, updates: Any) -> None:
        """What kurigram's `handle_updates` would get from the connection."""
        if not self.accepting:
            return  # not acknowledged: the difference brings it once receiving starts
        if isinstance(updates, (raw.types.Updates, raw.types.UpdatesCombined)):
            await self.client.fetch_peers(updates.users)
            await self.client.fetch_peers(updates.chats)
            users = {u.id: u for u in updates.users}
            chats = {c.id: c for c in updates.chats}
            states = [UpdateState(0, None, None, updates.date, updates.seq)]
            async with self._lock:
                await self._take(updates.updates, users, chats, states)
        elif isinstance(updates, raw.types.UpdateShort):
            async with self._lock:
                await self._take([updates.update], {}, {},
                                 [UpdateState(0, None, None, updates.date, None)])
        elif isinstance(updates, (raw.types.UpdateShortMessage,
                                  raw.types.UpdateShortChatMessage, raw.types.UpdatesTooLong)):
            # A short message names its sender by id only, and "too long" names nothing: the
            # difference from the saved state has them in full.
            await self.recover()

    async def _take(self, updates: Sequence[Any], users: tg_raw.Users, chats: tg_raw.Chats,
                    states: list[UpdateState]) -> None:
        me = self.me()
        ready: list[Update] = []
        for item in updates:
            update = tg_raw.translate(item, users, chats, me)
            pts, qts = getattr(item, "pts", None), getattr(item, "qts", None)
            if pts is not None or qts is not None:
                states.append(UpdateState(state_id(item), pts, qts, None, None))
            if update is None:
                continue
            group = tg_raw.grouped_id(update)
            if group is None:
                ready.append(update)
            else:
                self._albums.setdefault((update.chat.id, group), []).append(update)
        if ready:
            await self.ingest(ready)  # raises: nothing saved, the difference brings them again
        if self._albums:
            self._held.extend(states)
            if self._album_flush is None:
                loop = asyncio.get_running_loop()
                self._album_flush = loop.call_later(self.album_window,
                                                    lambda: self._spawn(self.flush_albums()))
        else:
            await self._advance(states)

    async def flush_albums(self) -> None:
        """Journal the albums gathered so far, then the state they held back."""
        async with self._lock:
            if self._album_flush is not None:
                self._album_flush.cancel()
                self._album_flush = None
            albums, self._albums = list(self._albums.values()), {}
            held, self._held = self._held, []
            if albums:
                await self.ingest([tg_raw.album_of(parts) for parts in albums])
            await self._advance(held)

    async def _advance(self, states: list[UpdateState]) -> None:
        """Save the new state: per state id, the highest pts and qts and the latest date/seq."""
        merged: dict[int, UpdateState] = {}
        for s in states:
            old = merged.get(s.id) or UpdateState(s.id, None, None, None, None)
            merged[s.id] = UpdateState(s.id, _max(old.pts, s.pts), _max(old.qts, s.qts),
                                       _max(old.date, s.date), _max(old.seq, s.seq))
        if self._saved is None:
            self._saved = {s.id: s for s in await self.client.storage.get_update_states()}
        for key, s in merged.items():
            old = self._saved.get(key)
            if old is not None:  # never move backwards (a difference may overlap live ones)
                merged[key] = UpdateState(key, _max(old.pts, s.pts), _max(old.qts, s.qts),
                                          _max(old.date, s.date), _max(old.seq, s.seq))
        if merged:
            await self.client.storage.set_update_state(list(merged.values()))
            self._saved.update(merged)

    # ---- what was missed ----------------------------------------------------------------------

    async def start(self) -> None:
        """On start: a new session records where Telegram is now; a known one catches up."""
        self.accepting = True
        if not await self.client.storage.get_update_states(0):
            state = await self.client.invoke(raw.functions.updates.GetState())
            await self.client.storage.set_update_state(
                UpdateState(0, state.pts, state.qts, state.date, state.seq))
            await self.client.storage.save()
            self._saved = None
            return
        await self.recover()

    def reconnected(self) -> None:
        """The connection was re-established: fetch what passed while it was down."""
        if self.accepting:
            self._spawn(self.recover())

    async def recover(self) -> None:
        """Fetch and journal every update after the saved states; retry until it succeeds."""
        while self.accepting:
            try:
                async with self._lock:
                    for state in await self.client.storage.get_update_states():
                        await self._recover_one(state)
                    await self.client.storage.save()
                return
            except errors.FloodWait as exc:
                delay = float(exc.value or 1)
            except (errors.RPCError, OSError, ConnectionError) as exc:
                delay = RETRY_DELAY
                logger.warning("telegram: fetching missed updates failed ({}), again in {:.0f} s",
                               type(exc).__name__, delay)
            await asyncio.sleep(delay)

    async def _recover_one(self, state: UpdateState) -> None:
        is_channel = state.id < utils.ZERO_CHANNEL_ID
        pts, date = state.pts or 0, state.date or 0
        while True:
            if is_channel:
                try:
                    query: Any = raw.functions.updates.GetChannelDifference(
                        channel=await self.client.resolve_peer(state.id),
                        filter=raw.types.ChannelMessagesFilterEmpty(), pts=pts, limit=1000,
                        force=False)
                    diff = await self.client.invoke(query)
                except (errors.ChannelPrivate, errors.ChannelInvalid):
                    await self.client.storage.delete_update_state(state.id)  # the bot left
                    self._saved = None
                    return
            else:
                diff = await self.client.invoke(raw.functions.updates.GetDifference(
                    pts=pts, date=date, qts=state.qts or 0))
            if isinstance(diff, (raw.types.updates.DifferenceEmpty,
                                 raw.types.updates.ChannelDifferenceEmpty)):
                return
            if isinstance(diff, raw.types.updates.DifferenceTooLong):
                logger.warning("telegram: too many updates missed; some are lost for good")
                await self._advance([UpdateState(state.id, diff.pts, None, None, None)])
                pts = diff.pts
                continue
            if isinstance(diff, raw.types.updates.ChannelDifferenceTooLong):
                logger.warning("telegram: too many updates missed in supergroup {}", state.id)
                await self._advance([UpdateState(state.id, diff.dialog.pts, None, None, None)])
                return
            await self.client.fetch_peers(diff.users)
            await self.client.fetch_peers(diff.chats)
            updates = [raw.types.UpdateNewMessage(message=m, pts=0, pts_count=0)
                       for m in diff.new_messages] + list(diff.other_updates)
            if isinstance(diff, raw.types.updates.ChannelDifference):
                new = UpdateState(state.id, diff.pts, None, None, None)
                final = bool(diff.final)
            else:
                s = diff.state if isinstance(diff, raw.types.updates.Difference) \
                    else diff.intermediate_state
                new = UpdateState(0, s.pts, s.qts, s.date, s.seq)
                final = isinstance(diff, raw.types.updates.Difference)
            # pts 0 on the rebuilt messages: the difference's own state is what advances.
            await self._take([_without_pts(u) for u in updates],
                             {u.id: u for u in diff.users}, {c.id: c for c in diff.chats},
                             [new])
            if final or new.pts == pts:
                return
            pts, date = new.pts or pts, new.date or date

    # ---- life cycle ---------------------------------------------------------------------------

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Take no more updates; journal the albums still gathering."""
        self.accepting = False
        if self._albums:
            await self.flush_albums()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _without_pts(update: Any) -> Any:
    if getattr(update, "pts", None) is not None:
        update.pts = None
    return update


def _max(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)
