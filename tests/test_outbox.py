"""Outbound pacing and the outbox: limits never exceeded, order kept, flood waits honoured."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from core.clock import VirtualClock
from core.errors import NotModified, RetryAfter, Unreachable
from core.outbox import Outbox
from core.ratelimit import Pacer
from core.types import Action, EditMessage, SendMessage, Sent


class FakeServer:
    """Records when each action arrives; can demand waits or refuse users."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.arrivals: list[tuple[float, Action]] = []
        self.waits: list[RetryAfter] = []
        self.blocked: set[int] = set()

    async def execute(self, action: Action) -> Sent:
        if self.waits:
            raise self.waits.pop(0)
        if action.chat_id in self.blocked:
            raise Unreachable("blocked")
        if isinstance(action, EditMessage):
            raise NotModified("same text")
        self.arrivals.append((self.clock.now(), action))
        return Sent(len(self.arrivals))


def max_in_window(times: list[float], window: float) -> int:
    best, start = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] >= window - 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run_outbox(clock: VirtualClock, server: FakeServer, actions: list[Action],
                     pacer: Pacer) -> list[object]:
    outbox = Outbox(server.execute, clock, pacer)
    clock.start()
    try:
        return await asyncio.gather(*(outbox.submit(a) for a in actions),
                                    return_exceptions=True)
    finally:
        await clock.stop()


async def test_pacer_keeps_every_limit_and_each_chats_order() -> None:
    clock = VirtualClock()
    server = FakeServer(clock)
    pacer = Pacer(clock, global_per_second=30, chat_per_second=1, group_per_minute=20,
                  chat_burst=3)
    actions: list[Action] = [SendMessage(chat, f"{chat}:{i}")
                             for i in range(6) for chat in (*range(1, 41), -100)]
    await run_outbox(clock, server, actions, pacer)
    assert len(server.arrivals) == len(actions)  # nothing lost
    times = [t for t, _ in server.arrivals]
    assert max_in_window(times, 1.0) <= 30
    per_chat: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for t, a in server.arrivals:
        per_chat[a.chat_id].append((t, a.text))  # type: ignore[attr-defined]
    for chat, sent in per_chat.items():
        assert [text for _, text in sent] == [f"{chat}:{i}" for i in range(6)]  # order kept
        assert max_in_window([t for t, _ in sent], 1.0) <= 3
        assert max_in_window([t for t, _ in sent], 3.0) <= 5  # 1/s after a burst of 3
    group_times = [t for t, _ in per_chat[-100]]
    assert max_in_window(group_times, 60.0) <= 20
    # Near the global limit: the 240 private messages at 30/s take about 8 virtual seconds.
    private_times = [t for t, a in server.arrivals if a.chat_id > 0]
    assert 7.5 <= private_times[-1] <= 8.5


async def test_flood_wait_pauses_and_retries_without_loss() -> None:
    clock = VirtualClock()
    server = FakeServer(clock)
    server.waits = [RetryAfter(5), RetryAfter(3, scope_all=True)]
    pacer = Pacer(clock, 30, 1, 20, 3)
    actions: list[Action] = [SendMessage(7, f"m{i}") for i in range(4)]
    results = await run_outbox(clock, server, actions, pacer)
    assert all(isinstance(r, Sent) for r in results)
    assert [a.text for _, a in server.arrivals] == ["m0", "m1", "m2", "m3"]  # type: ignore
    assert server.arrivals[0][0] >= 8.0  # waited 5 s, then 3 s more


async def test_unreachable_and_not_modified() -> None:
    clock = VirtualClock()
    server = FakeServer(clock)
    server.blocked = {9}
    marked: list[int] = []

    async def mark(user_id: int) -> None:
        marked.append(user_id)

    outbox = Outbox(server.execute, clock, Pacer(clock), on_unreachable=mark)
    clock.start()
    try:
        results = await asyncio.gather(
            outbox.submit(SendMessage(9, "hi")),
            outbox.submit(EditMessage(8, 5, "same")),
            outbox.submit(SendMessage(8, "after")),
            return_exceptions=True,
        )
    finally:
        await clock.stop()
    assert isinstance(results[0], Unreachable) and marked == [9]
    assert results[1] == Sent(message_id=5, ok=False)
    assert isinstance(results[2], Sent) and outbox.stats.unreachable == 1
