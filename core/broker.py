"""The update journal on Redis Streams, for one receiver and several workers.

    broker = RedisJournal.from_settings(settings, name="w1")
    await broker.append(updates)          # the receiver: durable in Redis on return
    async for batch in ...                # the workers: see core/workers.py

Layout (all keys under `<namespace>:journal:`):

    s:<n>        one stream per shard; a chat always lands on shard hash(chat) % shards,
                 so one chat's updates keep their order in one stream
    lease:<n>    the worker owning shard n (SET NX PX): only it reads the shard, so a chat's
                 updates are never handled concurrently or out of order
    key:<key>    the update keys already journaled (SET NX EX): a redelivered update is a no-op
    backlog      entries appended and not yet acknowledged: the receiver's backpressure
    dead         dead letters (a stream), replayable onto their shard
    attempts     handling attempts per entry, so an entry that kills its workers ends dead
    workers      each worker's heartbeat and figures, for /status and /metrics

Each shard stream has one consumer group, `workers`. An entry is acknowledged (XACK) after its
handling; a dead or hung worker stops renewing its leases, and after `pipeline.claim_after`
seconds another worker takes the shard over and moves the pending entries to itself
(XAUTOCLAIM) before reading new ones, so the chat's order holds across the takeover.

Entry ids are "<shard>/<stream id>", so an `Entry` alone says where to acknowledge it.
"""

from __future__ import annotations

import json
import os
import socket
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from core.journal import DEAD, DONE, PENDING, Entry, decode, encode
from core.types import Update

GROUP = "workers"

# KEYS: backlog, then (seen key, stream) per update.  ARGV: seen ttl, then (key, body) per
# update. One script, so the seen mark and the entry are written together or not at all.
# Returns the new stream ids ('' for a known key), then the backlog.
_APPEND = """
local ids = {}
local added = 0
for i = 2, #KEYS, 2 do
  local j = i  -- ARGV index of this update's key (ARGV[1] is the ttl)
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    ids[#ids + 1] = redis.call('XADD', KEYS[i + 1], '*', 'k', ARGV[j], 'b', ARGV[j + 1])
    added = added + 1
  else
    ids[#ids + 1] = ''
  end
end
local backlog = redis.call('INCRBY', KEYS[1], added)
ids[#ids + 1] = backlog
return ids
"""

# KEYS: stream, backlog, attempts, handled.  ARGV: stream id, attempts field.
_ACK = """
local n = redis.call('XACK', KEYS[1], 'workers', ARGV[1])
if n == 1 then
  redis.call('DECR', KEYS[2])
  redis.call('INCR', KEYS[4])
end
redis.call('HDEL', KEYS[3], ARGV[2])
return n
"""

# KEYS: stream, backlog, attempts, dead.  ARGV: stream id, attempts field, then dead fields.
_BURY = """
local n = redis.call('XACK', KEYS[1], 'workers', ARGV[1])
if n == 1 then
  redis.call('DECR', KEYS[2])
  local fields = {}
  for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
  redis.call('XADD', KEYS[4], '*', unpack(fields))
end
redis.call('HDEL', KEYS[3], ARGV[2])
return n
"""

# KEYS: lease.  ARGV: owner, milliseconds.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def shard_of(chat_id: int, shards: int) -> int:
    """A chat's shard: stable across processes and restarts (not Python's salted hash)."""
    return zlib.crc32(str(chat_id).encode()) % shards


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(slots=True)
class WorkerFigures:
    """What a worker publishes about itself, every heartbeat."""

    name: str
    shards: list[int] = field(default_factory=list)
    handled: int = 0
    lag_ms: float = 0.0  # from journaling to the start of handling, the last entry's
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)


class RedisJournal:
    """The `Journal` interface of core/journal.py over Redis Streams, plus what workers need
    to share shards: leases, pending entries, heartbeats."""

    def __init__(self, redis: Redis, *, namespace: str = "bot", shards: int = 16,
                 seen_ttl: int = 86_400, claim_after: float = 30.0) -> None:
        self.redis = redis
        self.prefix = f"{namespace}:journal:"
        self.shards = shards
        self.seen_ttl = seen_ttl
        self.claim_after = claim_after
        self._append = redis.register_script(_APPEND)
        self._ack = redis.register_script(_ACK)
        self._bury = redis.register_script(_BURY)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)
        self._groups_ready = False

    @classmethod
    def from_settings(cls, settings: Any) -> RedisJournal:
        p = settings.pipeline
        redis = Redis.from_url(p.broker, socket_timeout=10, socket_connect_timeout=5,
                               health_check_interval=30)
        return cls(redis, namespace=settings.cache.namespace, shards=p.shards,
                   seen_ttl=int(settings.get("pipeline.keep_done", 86_400)),
                   claim_after=p.claim_after)

    # ---- keys ---------------------------------------------------------------------------------

    def stream(self, shard: int) -> str:
        return f"{self.prefix}s:{shard}"

    def lease_key(self, shard: int) -> str:
        return f"{self.prefix}lease:{shard}"

    @property
    def backlog_key(self) -> str:
        return self.prefix + "backlog"

    @property
    def dead_key(self) -> str:
        return self.prefix + "dead"

    @property
    def attempts_key(self) -> str:
        return self.prefix + "attempts"

    @property
    def handled_key(self) -> str:
        return self.prefix + "handled"

    @property
    def workers_key(self) -> str:
        return self.prefix + "workers"

    async def ensure_groups(self) -> None:
        if self._groups_ready:
            return
        for shard in range(self.shards):
            try:
                await self.redis.xgroup_create(self.stream(shard), GROUP, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
        self._groups_ready = True

    # ---- the receiver's side ------------------------------------------------------------------

    async def append(self, updates: Sequence[Update]) -> list[Entry]:
        """Journal updates onto their shards; durable in Redis on return (as durable as the
        server's persistence: run it with appendonly yes). Known keys are skipped."""
        return (await self.append_counted(updates))[0]

    async def append_counted(self, updates: Sequence[Update]) -> tuple[list[Entry], int]:
        """`append`, and the backlog after it (one round trip for both)."""
        if not updates:
            return [], await self.backlog()
        await self.ensure_groups()
        keys: list[str] = [self.backlog_key]
        args: list[Any] = [self.seen_ttl]
        shards = []
        for update in updates:
            shard = shard_of(update.chat.id, self.shards)
            shards.append(shard)
            keys += [f"{self.prefix}key:{update.key}", self.stream(shard)]
            args += [update.key, encode(update)]
        *ids, backlog = await self._append(keys=keys, args=args)
        return [Entry(f"{shard}/{_text(sid)}", update)  # type: ignore[arg-type]
                for shard, update, sid in zip(shards, updates, ids, strict=True)
                if _text(sid)], int(backlog)

    async def backlog(self) -> int:
        return int(await self.redis.get(self.backlog_key) or 0)

    # ---- the workers' side --------------------------------------------------------------------

    async def acquire(self, shard: int, owner: str) -> bool:
        ms = int(self.claim_after * 1000)
        return bool(await self.redis.set(self.lease_key(shard), owner, nx=True, px=ms))

    async def renew(self, shard: int, owner: str) -> bool:
        ms = int(self.claim_after * 1000)
        return bool(await self._renew(keys=[self.lease_key(shard)], args=[owner, ms]))

    async def release(self, shard: int, owner: str) -> None:
        await self._release(keys=[self.lease_key(shard)], args=[owner])

    async def owners(self) -> dict[int, str]:
        values = await self.redis.mget([self.lease_key(s) for s in range(self.shards)])
        return {s: _text(v) for s, v in enumerate(values) if v is not None}

    async def claim(self, shard: int, owner: str) -> None:
        """Move every pending entry of the shard to `owner`, who holds its lease: the entries
        a dead or hung worker read and never acknowledged."""
        await self.ensure_groups()
        cursor = "0-0"
        while True:
            # (redis-py drops the cursor of a JUSTID answer: take the entries, unread.)
            result = await self.redis.xautoclaim(self.stream(shard), GROUP, owner,
                                                 min_idle_time=0, start_id=cursor, count=500)
            cursor = _text(result[0])
            if cursor == "0-0":
                return

    async def read(self, shard: int, owner: str, count: int, block_ms: int | None,
                   pending: bool = False) -> list[Entry]:
        """Entries of a shard for its owner: its own pending ones (`pending`), else new ones,
        oldest first. Each carries its failed attempts so far."""
        streams = {self.stream(shard): "0" if pending else ">"}
        try:
            answer = await self.redis.xreadgroup(GROUP, owner, streams, count=count,
                                                 block=None if pending else block_ms)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # Redis restarted without its data: the groups are made again, and what the
            # receiver journaled since is read from the start of the new streams.
            self._groups_ready = False
            await self.ensure_groups()
            return []
        entries: list[Entry] = []
        for _, messages in answer or []:
            for sid, fields in messages:
                if not fields:  # trimmed away while pending: nothing left to handle
                    await self.redis.xack(self.stream(shard), GROUP, sid)
                    continue
                key = _text(fields[b"k"])
                entries.append(Entry(f"{shard}/{_text(sid)}",  # type: ignore[arg-type]
                                     decode(key, _text(fields[b"b"]))))
        return entries

    async def attempt(self, entry: Entry) -> int:
        """Count one more handling attempt of `entry`; the count so far, this one included.
        Counted before the work, so an entry that kills every worker that tries it is seen."""
        return int(await self.redis.hincrby(self.attempts_key, str(entry.id), 1))

    async def done(self, entry: Entry, outcome: str) -> None:
        shard, sid = _split(entry.id)
        await self._ack(keys=[self.stream(shard), self.backlog_key, self.attempts_key,
                              self.handled_key], args=[sid, str(entry.id)])

    async def dead(self, entry: Entry, error: str) -> None:
        shard, sid = _split(entry.id)
        fields = ["k", entry.key, "b", encode(entry.update), "shard", shard, "from", sid,
                  "error", error[:2000], "attempts", entry.attempts, "at", int(time.time())]
        await self._bury(keys=[self.stream(shard), self.backlog_key, self.attempts_key,
                               self.dead_key], args=[sid, str(entry.id), *fields])

    async def list(self, state: str = DEAD, limit: int = 50) -> list[Entry]:
        if state != DEAD:
            return []  # handled entries are acknowledged and trimmed, not kept
        rows = await self.redis.xrevrange(self.dead_key, count=limit)
        return [self._dead_entry(sid, fields) for sid, fields in rows]

    def _dead_entry(self, sid: Any, fields: dict[bytes, bytes]) -> Entry:
        key = _text(fields[b"k"])
        return Entry(f"dead/{_text(sid)}", decode(key, _text(fields[b"b"])),  # type: ignore[arg-type]
                     int(fields.get(b"attempts", 0)), DEAD, _text(fields.get(b"error", b"")))

    async def replay(self, entry_id: int | str) -> Entry | None:
        """Put a dead letter back on its shard, as a new entry at the end of its chat's
        updates. None if there is no such dead letter."""
        sid = str(entry_id).removeprefix("dead/")
        rows = await self.redis.xrange(self.dead_key, min=sid, max=sid)
        if not rows:
            return None
        entry = self._dead_entry(*rows[0])
        shard = shard_of(entry.update.chat.id, self.shards)
        await self.ensure_groups()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.stream(shard), {"k": entry.key, "b": encode(entry.update)})
            pipe.incr(self.backlog_key)
            pipe.xdel(self.dead_key, sid)
            new_id, _, _ = await pipe.execute()
        return Entry(f"{shard}/{_text(new_id)}", entry.update)  # type: ignore[arg-type]

    async def counts(self) -> dict[str, int]:
        backlog, handled, dead = await self.redis.pipeline(transaction=False) \
            .get(self.backlog_key).get(self.handled_key).xlen(self.dead_key).execute()
        return {PENDING: int(backlog or 0), DONE: int(handled or 0), DEAD: int(dead or 0)}

    async def trim(self, shard: int) -> None:
        """Drop acknowledged entries from the head of a shard's stream (what is pending or not
        yet delivered stays)."""
        stream = self.stream(shard)
        summary = await self.redis.xpending(stream, GROUP)
        if summary["pending"]:
            keep_from = _text(summary["min"])
        else:
            groups = await self.redis.xinfo_groups(stream)
            keep_from = next((_text(g["last-delivered-id"]) for g in groups
                              if _text(g["name"]) == GROUP), "0-0")
        await self.redis.xtrim(stream, minid=keep_from, approximate=False)

    # ---- figures ------------------------------------------------------------------------------

    async def publish(self, figures: WorkerFigures) -> None:
        body = json.dumps({"shards": figures.shards, "handled": figures.handled,
                           "lag_ms": round(figures.lag_ms, 1), "pid": figures.pid,
                           "host": figures.host, "at": time.time()})
        await self.redis.hset(self.workers_key, figures.name, body)

    async def workers(self) -> dict[str, dict[str, Any]]:
        """Each worker's last figures, `alive` when its heartbeat is recent."""
        found = {}
        now = time.time()
        for name, body in (await self.redis.hgetall(self.workers_key)).items():
            figures = json.loads(body)
            figures["alive"] = now - figures["at"] < self.claim_after
            found[_text(name)] = figures
        return found

    async def forget_worker(self, name: str) -> None:
        await self.redis.hdel(self.workers_key, name)

    async def close(self) -> None:
        await self.redis.aclose()


def _split(entry_id: int | str) -> tuple[int, str]:
    shard, _, sid = str(entry_id).partition("/")
    return int(shard), sid
