"""The greeter plugin's tables (created by its migrations, not from these classes)."""

from __future__ import annotations

import peewee

from core.models import BaseModel


class Greeting(BaseModel):
    user_id = peewee.BigIntegerField(primary_key=True)
    count = peewee.IntegerField(default=0)

    class Meta:
        table_name = "greeter_greetings"


MODELS = (Greeting,)
