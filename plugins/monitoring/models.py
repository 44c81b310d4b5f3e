"""Monitoring's table (created by schema/monitoring/)."""

from __future__ import annotations

import peewee

from core.models import BaseModel


class WorkerReport(BaseModel):
    """A running bot's latest figures (process health, slowest commands), one row a worker."""

    worker = peewee.CharField(max_length=128, primary_key=True)  # host:pid
    reported_at = peewee.DateTimeField()
    running = peewee.BooleanField(default=True)
    figures = peewee.TextField()  # JSON

    class Meta:
        table_name = "monitoring_worker_reports"
