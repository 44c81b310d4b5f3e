"""A fake Telegram that enforces the flood limits, on any clock: install it as an
OfflineClient's `on_request` (see core/testing_telegram.py). Used by the flood tests and by
bench/telegram.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyrogram
from pyrogram import raw

from core.clock import Clock
from core.testing_telegram import peer_id

SENDING = (raw.functions.messages.SendMessage, raw.functions.messages.SendMedia,
           raw.functions.messages.ForwardMessages, raw.functions.messages.EditMessage)


@dataclass(slots=True)
class Delivered:
    at: float
    chat_id: int
    text: str


class FloodServer:
    """Install as `client.on_request`: refuses with `FloodWait` any send that breaks the limits
    (all chats per second, each chat per second with a burst, each group per minute), on the
    given clock, and keeps what it accepted in `delivered`. `demand` makes it ask for a wait
    even when no limit was broken, as Telegram sometimes does."""

    def __init__(self, clock: Clock, global_per_second: int = 30, chat_per_second: float = 1,
                 chat_burst: int = 3, group_per_minute: int = 20) -> None:
        self.clock = clock
        self.global_per_second = global_per_second
        self.chat_interval = 1 / chat_per_second
        self.chat_burst = chat_burst
        self.group_per_minute = group_per_minute
        self.delivered: list[Delivered] = []
        self.flood_waits = 0  # FloodWait answers given
        self.early = 0  # sends that came while a demanded wait was still running
        self._recent: list[float] = []  # accepted send times within the last second
        self._chat_tat: dict[int, float] = {}
        self._group_recent: dict[int, list[float]] = {}
        self._wait_until: dict[int | None, float] = {}  # None: every chat
        self._demands: dict[int | None, float] = {}

    def demand(self, seconds: float, chat_id: int | None = None) -> None:
        """The next send (to `chat_id`, or to any chat) is answered with a wait of `seconds`."""
        self._demands[chat_id] = seconds

    def _refuse(self, chat_id: int | None, seconds: float) -> None:
        seconds = max(1, int(seconds + 0.999))
        self._wait_until[chat_id] = self.clock.now() + seconds
        self.flood_waits += 1
        raise pyrogram.errors.FloodWait(value=seconds)

    def __call__(self, query: Any) -> None:
        if not isinstance(query, SENDING):
            return
        peer = getattr(query, "peer", None) or query.to_peer
        self.accept(peer_id(peer), getattr(query, "message", "") or "")

    def accept(self, chat_id: int, text: str) -> None:
        """One send to `chat_id`: recorded, or refused with `FloodWait`."""
        now = self.clock.now()
        eps = 1e-6
        for scope in (None, chat_id):
            if self._wait_until.get(scope, 0.0) > now + eps:
                self.early += 1
                self._refuse(scope, self._wait_until[scope] - now)
        for scope in (chat_id, None):
            if scope in self._demands:
                self._refuse(scope, self._demands.pop(scope))
        self._recent = [t for t in self._recent if t > now - 1 + eps]
        if len(self._recent) >= self.global_per_second:
            self._refuse(None, self._recent[0] + 1 - now)
        tat = self._chat_tat.get(chat_id, now)
        earliest = tat - (self.chat_burst - 1) * self.chat_interval
        if now < earliest - eps:
            self._refuse(chat_id, earliest - now)
        if chat_id < 0:
            recent = [t for t in self._group_recent.get(chat_id, []) if t > now - 60 + eps]
            if len(recent) >= self.group_per_minute:
                self._refuse(chat_id, recent[0] + 60 - now)
            self._group_recent[chat_id] = [*recent, now]
        self._chat_tat[chat_id] = max(tat, now) + self.chat_interval
        self._recent.append(now)
        self.delivered.append(Delivered(now, chat_id, text))

    def max_per_second(self) -> int:
        """The most sends accepted within any one-second window."""
        times = [d.at for d in self.delivered]
        best, start = 0, 0
        for end, t in enumerate(times):
            while times[start] <= t - 1 + 1e-6:
                start += 1
            best = max(best, end - start + 1)
        return best


class SharedFloodServer:
    """One `FloodServer` for several processes (the workers of one bot), on a local TCP port,
    in a thread of the test process: each worker's OfflineClient gets `remote(address)` as
    its `on_request`, so the limits are enforced on what all of them send together, timed
    where the requests arrive.

        with SharedFloodServer() as flood:
            ... start workers with flood.address ...
        assert flood.server.max_per_second() <= 30
    """

    def __init__(self) -> None:
        import socketserver
        import threading

        from core.clock import RealClock

        self.server = FloodServer(RealClock())
        lock = threading.Lock()
        flood = self.server

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    chat_id, _, text = line.decode().rstrip("\n").partition(" ")
                    with lock:
                        try:
                            flood.accept(int(chat_id), text)
                            answer = "ok\n"
                        except pyrogram.errors.FloodWait as exc:
                            answer = f"wait {exc.value}\n"
                    self.wfile.write(answer.encode())

        socketserver.ThreadingTCPServer.daemon_threads = True
        self._tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.address = "{}:{}".format(*self._tcp.server_address)
        self._thread = threading.Thread(target=self._tcp.serve_forever, daemon=True)

    def __enter__(self) -> SharedFloodServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tcp.shutdown()
        self._tcp.server_close()


def remote(address: str) -> Any:
    """An `on_request` for an OfflineClient that asks a `SharedFloodServer` about each send
    (one blocking round trip on the loopback: a test double, never production code)."""
    import socket

    host, port = address.rsplit(":", 1)
    conn = socket.create_connection((host, int(port)))
    reader = conn.makefile("rb")

    def on_request(query: Any) -> None:
        if not isinstance(query, SENDING):
            return
        peer = getattr(query, "peer", None) or query.to_peer
        text = (getattr(query, "message", "") or "").replace("\n", " ")
        conn.sendall(f"{peer_id(peer)} {text}\n".encode())
        answer = reader.readline().decode().split()
        if answer and answer[0] == "wait":
            raise pyrogram.errors.FloodWait(value=int(answer[1]))

    return on_request
