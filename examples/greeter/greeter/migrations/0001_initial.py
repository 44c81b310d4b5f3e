"""The greeter plugin's first tables."""

from peewee import BigIntegerField, IntegerField, Model


def up(migrator, db):
    class Greeting(Model):
        user_id = BigIntegerField(primary_key=True)
        count = IntegerField(default=0)

        class Meta:
            table_name = "greeter_greetings"

    db.bind([Greeting])
    db.create_tables([Greeting], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS greeter_greetings")
