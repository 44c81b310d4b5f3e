"""Updates and errors per minute over the last hour, counted in this process from the
`update_handled` event (cheap: one dict increment per update)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

WINDOW = 60  # minutes kept


class Activity:
    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.updates: Counter[int] = Counter()
        self.errors: Counter[int] = Counter()

    def count(self, outcome: str) -> None:
        minute = int(self.now() // 60)
        self.updates[minute] += 1
        if outcome == "error":
            self.errors[minute] += 1
        if len(self.updates) > WINDOW * 2:
            self._forget(minute)

    def _forget(self, minute: int) -> None:
        for counter in (self.updates, self.errors):
            for old in [m for m in counter if m <= minute - WINDOW]:
                del counter[old]

    def per_minute(self, minutes: int = 30) -> list[tuple[str, int, int]]:
        """(label "HH:MM" UTC, updates, errors) for each of the last `minutes` minutes."""
        current = int(self.now() // 60)
        rows = []
        for minute in range(current - minutes + 1, current + 1):
            label = f"{(minute // 60) % 24:02d}:{minute % 60:02d}"
            rows.append((label, self.updates.get(minute, 0), self.errors.get(minute, 0)))
        return rows
