"""One outbound flood budget shared by every process of a bot, kept in Redis.

Several workers send with the same bot token, and Telegram counts their messages together
(about 30/s in all, 1/s per chat, 20/min per group). `SharedPacer` keeps the same cell-rate
buckets as the in-process `Pacer` (core/ratelimit.py), and FloodWait pauses, as Redis keys
updated by one Lua script, on Redis's own clock (`TIME`), so processes on different machines
agree on what "now" is.

A slot is booked only when it is due, never ahead: the caller sends right after the booking,
so the time Telegram sees a message is the booked time plus one hop, not plus a sleep whose
end depends on how busy each process is. `margin` widens every spacing a little for the
jitter of that hop (31 messages exactly 1/30 s apart span exactly one second: one message
late and the next on time, and Telegram counts 31).

If Redis cannot be reached, each process falls back to its own `Pacer` and says so once:
messages still go out, within the limits per process.
"""

from __future__ import annotations

from typing import Any

from loguru import logger
from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.ratelimit import Pacer

# KEYS: all, chat, group, pause-all, pause-chat.  ARGV: intervals and bursts, is_group.
# Returns {wait seconds as a string, booked 0/1}. Numbers travel as strings: Lua numbers
# returned to Redis are truncated to integers.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local all_i, chat_i, chat_b = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local group_i, group_b, is_group = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1'
local paused = math.max(tonumber(redis.call('GET', KEYS[4]) or '0'),
                        tonumber(redis.call('GET', KEYS[5]) or '0'))
if paused > now then return {string.format('%.6f', paused - now), 0} end
local function tat(key) return tonumber(redis.call('GET', key) or '0') end
local chat_tat = tat(KEYS[2])
local ready = math.max(now, chat_tat - (chat_b - 1) * chat_i)
local group_tat = 0
if is_group then
  group_tat = tat(KEYS[3])
  ready = math.max(ready, group_tat - (group_b - 1) * group_i)
end
local all_tat = tat(KEYS[1])
ready = math.max(ready, all_tat)
if ready > now then return {string.format('%.6f', ready - now), 0} end
local function book(key, old, interval)
  local next_at = math.max(old, now) + interval
  redis.call('SET', key, string.format('%.6f', next_at), 'PX',
             math.ceil((next_at - now) * 1000) + 1000)
end
book(KEYS[1], all_tat, all_i)
book(KEYS[2], chat_tat, chat_i)
if is_group then book(KEYS[3], group_tat, group_i) end
return {'0', 1}
"""

# KEYS: the pause key.  ARGV: seconds.  A pause only ever grows.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > old then
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX',
             math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 1
"""


class SharedPacer:
    """The `Pacer` interface (`acquire`, `pause`) over Redis; see the module docstring."""

    def __init__(self, redis: Redis, local: Pacer, namespace: str = "bot",
                 margin: float = 0.05) -> None:
        self.redis = redis
        self.local = local  # the limits, and the fallback while Redis is away
        self.prefix = f"{namespace}:flood:"
        self.margin = margin
        self._reserve = redis.register_script(_RESERVE)
        self._pause = redis.register_script(_PAUSE)
        self.degraded = False

    @classmethod
    def from_settings(cls, settings: Any, local: Pacer) -> SharedPacer:
        url = settings.outbound.storage
        redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return cls(redis, local, settings.cache.namespace, settings.outbound.shared_margin)

    def _args(self, chat_id: int) -> list[Any]:
        p, m = self.local, 1 + self.margin
        return [p.all.interval * m, p.chat_interval * m, p.chat_burst, p.group_interval * m,
                p.group_burst, int(chat_id < 0)]

    def _keys(self, chat_id: int) -> list[str]:
        k = self.prefix
        return [k + "all", f"{k}chat:{chat_id}", f"{k}group:{chat_id}", k + "pause:all",
                f"{k}pause:{chat_id}"]

    async def acquire(self, chat_id: int) -> tuple[float, bool]:
        """(seconds to wait, booked): booked slots are due now; otherwise wait and ask again."""
        try:
            wait, booked = await self._reserve(keys=self._keys(chat_id),
                                               args=self._args(chat_id))
        except (RedisError, OSError) as exc:
            self._degrade(exc)
            return self.local.reserve(chat_id)
        self._recover()
        return float(wait), bool(booked)

    async def pause(self, chat_id: int | None, seconds: float) -> None:
        """A FloodWait: every process holds that chat (None: every chat) for `seconds`."""
        key = self.prefix + ("pause:all" if chat_id is None else f"pause:{chat_id}")
        try:
            await self._pause(keys=[key], args=[seconds])
        except (RedisError, OSError) as exc:
            self._degrade(exc)

    def _degrade(self, exc: BaseException) -> None:
        if not self.degraded:
            self.degraded = True
            logger.warning("outbound flood budget: Redis unreachable ({}); pacing per process "
                           "until it is back", type(exc).__name__)

    def _recover(self) -> None:
        if self.degraded:
            self.degraded = False
            logger.info("outbound flood budget: shared through Redis again")

    async def close(self) -> None:
        await self.redis.aclose()
