"""Keeping secrets out of every output: the redactor the log sinks use, and URL masking.

A secret may reach a line in more than one spelling: as it is, escaped inside JSON, or inside a
`repr()`. The redactor replaces every spelling, so a secret holding `\\ " ' % { } &` is hidden
whichever way the line was escaped before it reached the sink.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"
MASK = "***"
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)(?P<password>[^@\s]+)(?=@)",
                           re.I)


def spellings(secret: str) -> set[str]:
    """The secret as written, JSON-escaped and repr-escaped (the forms a log line may hold)."""
    forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
             repr(secret)[1:-1], secret.encode("unicode_escape").decode("ascii")}
    return {f for f in forms if f}


class Redactor:
    """Replaces every known secret, in every spelling, in a string."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = [s for s in secrets if s]
        forms: set[str] = set()
        for secret in self.secrets:
            forms |= spellings(secret)
        self._forms = sorted(forms, key=len, reverse=True)  # longest first: no partial leaks

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return mask_urls(text)


def mask_urls(text: str) -> str:
    """Every URL password in a URL or free text masked (a driver's error may quote the URL):
    `postgresql://bot:s3cret@db/bot` -> `postgresql://bot:***@db/bot`."""
    return _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)


def url_password(url: str) -> str | None:
    match = _URL_PASSWORD.search(url)
    return match.group("password") if match else None
