"""Resolve date expressions ("Thursday", "Feb. 16", "24 October 2024") against the
publication date. Only expressions that name one day are resolved; "recent days" or
"the past eight years" give None."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_MONTH_DAY = re.compile(rf"^{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?$")
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?:,? (\d{{4}}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@functools.lru_cache(maxsize=4096)
def resolve_date(expression: str, published: date | None) -> date | None:
    """A calendar date for the expression, or None when it names no single day.

    A bare weekday or a day without a year means the most recent such day up to (or just
    after) the publication date, as news uses them.
    """
    text = " ".join(expression.lower().replace(".", " ").replace(",", ", ").split()).replace(" ,", ",")
    for prefix in ("on ", "last ", "this ", "the ", "early ", "late "):
        text = text[len(prefix):] if text.startswith(prefix) else text
    if published and text in WEEKDAYS:
        return published - timedelta(days=(published.weekday() - WEEKDAYS.index(text)) % 7)
    if published and text in RELATIVE_DAYS:
        return published + timedelta(days=RELATIVE_DAYS[text])
    iso = _ISO.match(text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    match = _MONTH_DAY.match(text)
    if match:
        month, day, year = MONTHS[match.group(1)], int(match.group(2)), match.group(3)
    else:
        match = _DAY_MONTH.match(text)
        if not match:
            return None
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], match.group(3)
    if year:
        return _safe_date(int(year), month, day)
    if not published:
        return None
    candidate = _safe_date(published.year, month, day)
    if candidate and candidate > published + timedelta(days=31):
        candidate = _safe_date(published.year - 1, month, day)  # "December 20" in a January article
    return candidate


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
