"""How a broadcast looks in the admin's chat: the progress message and its buttons."""

from __future__ import annotations

from dataclasses import dataclass

from core.types import Button, Keyboard
from plugins.admin.buttons import BroadcastButton, Verb
from plugins.admin.models import CANCELLED, DONE, PAUSED, RUNNING

BAR_WIDTH = 20


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    interrupted: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.failed + self.interrupted

    @property
    def processed(self) -> int:
        return self.sent + self.failed + self.interrupted

    @property
    def remaining(self) -> int:
        return self.pending + self.sending


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    share = 1.0 if total <= 0 else min(1.0, done / total)
    filled = round(share * width)
    return f"[{'█' * filled}{'░' * (width - filled)}] {int(share * 100)}%"


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


STATUS_WORDS = {RUNNING: "sending", PAUSED: "paused", CANCELLED: "cancelled", DONE: "finished"}


def progress_text(broadcast_id: int, segment: str, status: str, counts: Counts,
                  rate: float | None = None) -> str:
    lines = [f"Broadcast #{broadcast_id} to {segment}: {STATUS_WORDS.get(status, status)}",
             bar(counts.processed, counts.total),
             f"Sent {counts.sent} · Failed {counts.failed} · Remaining {counts.remaining} "
             f"of {counts.total}"]
    if counts.interrupted:
        lines.append(f"Interrupted by a restart (not sent again): {counts.interrupted}")
    if status == RUNNING and rate:
        lines.append(f"Rate {rate:.1f}/s · About {duration(counts.remaining / rate)} left")
    return "\n".join(lines)


def progress_buttons(broadcast_id: int, status: str) -> Keyboard | None:
    if status == RUNNING:
        return [[Button("⏸ Pause", BroadcastButton(Verb.PAUSE, broadcast_id).pack()),
                 Button("✖ Cancel", BroadcastButton(Verb.CANCEL, broadcast_id).pack())]]
    if status == PAUSED:
        return [[Button("▶ Resume", BroadcastButton(Verb.RESUME, broadcast_id).pack()),
                 Button("✖ Cancel", BroadcastButton(Verb.CANCEL, broadcast_id).pack())]]
    return None


def confirm_buttons(broadcast_id: int) -> Keyboard:
    return [[Button("✅ Confirm", BroadcastButton(Verb.CONFIRM, broadcast_id).pack()),
             Button("Discard", BroadcastButton(Verb.DISCARD, broadcast_id).pack())]]


def final_report(broadcast_id: int, status: str, counts: Counts, seconds: float | None) -> str:
    took = f" in {duration(seconds)}" if seconds is not None else ""
    if status == DONE:
        head = f"Broadcast #{broadcast_id} finished{took}."
    else:
        head = f"Broadcast #{broadcast_id} was cancelled; {counts.remaining} not sent."
    lines = [head, f"Delivered: {counts.sent} of {counts.total}",
             f"Failed: {counts.failed} (users who blocked the bot are marked and skipped "
             "from now on)"]
    if counts.interrupted:
        lines.append(f"Interrupted by a restart: {counts.interrupted} (at most once: "
                     "may or may not have arrived)")
    return "\n".join(lines)
