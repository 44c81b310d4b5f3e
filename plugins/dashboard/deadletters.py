"""Dead letters: updates whose handling failed every attempt, kept by the kernel's journal
for an operator to look at and replay (as `python -m core journal list|replay ID`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.kernel import Kernel

DEAD = "dead"


async def counts(kernel: Kernel) -> dict[str, int]:
    return dict(await kernel.journal.counts())


async def listed(kernel: Kernel, limit: int = 50) -> list[Any]:
    return list(await kernel.journal.list(DEAD, limit))


async def replay(kernel: Kernel, entry_id: int) -> bool:
    """Pending again, and handed to the kernel's workers; False when there is no such entry."""
    return await kernel.replay(entry_id)
