"""Dead letters: updates whose handling failed every retry, kept by the kernel's journal.
A kernel without a journal has none to show."""

from __future__ import annotations

from typing import Any

DEAD = "dead"


def _journal(kernel: Any) -> Any:
    return getattr(kernel, "journal", None)


async def counts(kernel: Any) -> dict[str, int] | None:
    journal = _journal(kernel)
    return None if journal is None else dict(await journal.counts())


async def listed(kernel: Any, limit: int = 50) -> list[Any] | None:
    journal = _journal(kernel)
    return None if journal is None else list(await journal.list(DEAD, limit))


async def replay(kernel: Any, entry_id: int) -> Any:
    journal = _journal(kernel)
    if journal is None:
        return None
    entry = await journal.replay(entry_id)
    wake = getattr(getattr(kernel, "pipeline", None), "wake", None)
    if entry is not None and callable(wake):
        wake()
    return entry
