"""Resolve date expressions ("Thursday", "last week", "Feb. 16") against the publication date."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@functools.lru_cache(maxsize=4096)
def resolve_date(expression: str, published: date | None) -> date | None:
    """A calendar date for the expression, or None when it names no single day.

    A bare weekday in news means the most recent such day up to the publication date.
    """
    text = " ".join(expression.lower().replace(".", "").split())
    for prefix in ("on ", "last ", "this ", "the "):
        text = text[len(prefix):] if text.startswith(prefix) else text
    if published and text in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS.index(text)) % 7
        return published - timedelta(days=back)
    if published and text in ("today", "yesterday", "tomorrow"):
        return published + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[text])
    if not any(ch.isdigit() for ch in text):
        return None  # "recent days", "the past eight years": no single day
    import dateparser  # slow to import; only needed for explicit dates

    base = datetime.combine(published, datetime.min.time()) if published else None
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"], "RETURN_AS_TIMEZONE_AWARE": False}
    if base:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
