"""The sample plugin's one table."""

from peewee import BigIntegerField, Model, TextField


def up(migrator, db):
    class Note(Model):
        user_id = BigIntegerField()
        text = TextField()

        class Meta:
            table_name = "sample_notes"

    db.bind([Note])
    db.create_tables([Note], safe=False)
    db.execute_sql("CREATE INDEX sample_notes_user_idx ON sample_notes (user_id)")
