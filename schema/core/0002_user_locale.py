"""users.locale: the language a user speaks with the bot (Telegram's language_code on first
contact, then whatever they choose with /language)."""

from peewee import CharField


def up(migrator, db):
    migrator.add_column("users", "locale", CharField(max_length=16, null=True)).run()
