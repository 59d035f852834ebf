"""Template filters that show dates the Dutch way, in Dutch time (on a parents' page in English,
with English month names: decision 0048)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from flask import Flask
from flask_babel import get_locale

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def datum(value: dt.date | dt.datetime | None) -> str:
    """'17 maart 2025'; aware datetimes are first converted to Dutch time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(AMSTERDAM)
    return f"{value.day} {_month(value.month)} {value.year}"


def _month(number: int) -> str:
    locale = get_locale()  # None outside a request: Dutch
    if locale is None or locale.language == "nl":
        return _MONTHS[number - 1]
    return str(get_month_names("wide", locale=locale)[number])


def datumtijd(value: dt.datetime | None) -> str:
    """'17 maart 2025, 10:00' in Dutch time."""
    if value is None:
        return ""
    local = value.astimezone(AMSTERDAM) if value.tzinfo is not None else value
    return f"{datum(local)}, {local:%H:%M}"


def iso(value: dt.date | dt.datetime | None) -> str:
    """Machine-readable form for ``<time datetime=…>``."""
    return value.isoformat() if value is not None else ""


def init_formatting(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(datum)
    app.add_template_filter(datumtijd)
    app.add_template_filter(iso)
