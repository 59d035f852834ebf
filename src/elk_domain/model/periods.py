"""The regional timeline (tijdpad) set by the functional administrator."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Period:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` lies within the period, both ends included."""
        return self.start <= day <= self.end


@attrs.frozen(kw_only=True)
class Timeline:
    """The periods of one school year's procedure; None means not set yet (so: closed)."""

    parent_login: Period | None = None
    registration: Period | None = None
    registration_week: Period | None = None
    placement_date: dt.date | None = None
