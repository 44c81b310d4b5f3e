"""Monitoring: each worker's latest figures, so `python -m core health` can show them."""

from peewee import BooleanField, CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class WorkerReport(Model):
        worker = CharField(max_length=128, primary_key=True)
        reported_at = DateTimeField()
        running = BooleanField(default=True)
        figures = TextField()

        class Meta:
            table_name = "monitoring_worker_reports"

    db.bind([WorkerReport])
    db.create_tables([WorkerReport], safe=False)
    db.execute_sql("CREATE INDEX monitoring_worker_reports_reported_idx "
                   "ON monitoring_worker_reports (reported_at)")
