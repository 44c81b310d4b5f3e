"""The update journal replaces the seen-updates table: an update is recorded before it is
handled and marked done after, so a redelivery is recognised by its journal key."""

from peewee import (
    BigAutoField,
    BigIntegerField,
    CharField,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class JournalEntry(Model):
        id = BigAutoField()
        key = CharField(max_length=200)
        kind = CharField(max_length=16)
        chat_id = BigIntegerField()
        body = TextField()
        state = CharField(max_length=8)
        attempts = IntegerField(default=0)
        next_at = DateTimeField()
        leased_until = DateTimeField(null=True)
        error = TextField(null=True)
        outcome = CharField(max_length=32, null=True)
        created_at = DateTimeField()
        finished_at = DateTimeField(null=True)

        class Meta:
            table_name = "journal"

    db.bind([JournalEntry])
    db.create_tables([JournalEntry], safe=False)
    db.execute_sql("CREATE UNIQUE INDEX journal_key_idx ON journal (key)")
    # Partial: the unfinished entries are few, the finished many.
    db.execute_sql("CREATE INDEX journal_unfinished_idx ON journal (state, next_at) "
                   "WHERE state <> 'done'")
    db.execute_sql("CREATE INDEX journal_finished_idx ON journal (finished_at)")
    db.execute_sql("DROP TABLE IF EXISTS seen_updates")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS journal")
