"""How a broadcast looks in the admin's chat: the progress message and its buttons."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import Translator
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


def duration(t: Translator, seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return t("admin-duration-s", s=seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return t("admin-duration-min-s", min=minutes, s=seconds)
    hours, minutes = divmod(minutes, 60)
    return t("admin-duration-h-min", h=hours, min=minutes)


STATUS_WORDS = {RUNNING: "sending", PAUSED: "paused", CANCELLED: "cancelled", DONE: "finished"}


def progress_text(t: Translator, broadcast_id: int, segment: str, status: str, counts: Counts,
                  rate: float | None = None) -> str:
    word = STATUS_WORDS.get(status)
    lines = [t("admin-progress-title", id=str(broadcast_id), segment=segment,
               status=t("admin-status-" + word) if word else status),
             bar(counts.processed, counts.total),
             t("admin-progress-counts", sent=counts.sent, failed=counts.failed,
               remaining=counts.remaining, total=counts.total)]
    if counts.interrupted:
        lines.append(t("admin-progress-interrupted", count=counts.interrupted))
    if status == RUNNING and rate:
        lines.append(t("admin-progress-rate", rate=round(rate, 1),
                       left=duration(t, counts.remaining / rate)))
    return "\n".join(lines)


def progress_buttons(t: Translator, broadcast_id: int, status: str) -> Keyboard | None:
    if status == RUNNING:
        return [[Button(t("admin-button-pause"), BroadcastButton(Verb.PAUSE, broadcast_id).pack()),
                 Button(t("admin-button-cancel"),
                        BroadcastButton(Verb.CANCEL, broadcast_id).pack())]]
    if status == PAUSED:
        return [[Button(t("admin-button-resume"),
                        BroadcastButton(Verb.RESUME, broadcast_id).pack()),
                 Button(t("admin-button-cancel"),
                        BroadcastButton(Verb.CANCEL, broadcast_id).pack())]]
    return None


def confirm_buttons(t: Translator, broadcast_id: int) -> Keyboard:
    return [[Button(t("admin-button-confirm"), BroadcastButton(Verb.CONFIRM, broadcast_id).pack()),
             Button(t("admin-button-discard"),
                    BroadcastButton(Verb.DISCARD, broadcast_id).pack())]]


def final_report(t: Translator, broadcast_id: int, status: str, counts: Counts,
                 seconds: float | None) -> str:
    if status == DONE:
        head = (t("admin-report-done-in", id=str(broadcast_id), took=duration(t, seconds))
                if seconds is not None else t("admin-report-done", id=str(broadcast_id)))
    else:
        head = t("admin-report-cancelled", id=str(broadcast_id), remaining=counts.remaining)
    lines = [head, t("admin-report-delivered", sent=counts.sent, total=counts.total),
             t("admin-report-failed", failed=counts.failed)]
    if counts.interrupted:
        lines.append(t("admin-report-interrupted", count=counts.interrupted))
    return "\n".join(lines)
