"""When parents may register, and when a definitive registration may still change (R-AAN-1/4).

A first list may be saved and made definitive during the registration period (or the
registration week); once definitive, it changes only in the registration week, by registering
again. The page shows the state with its dates; the save refuses with the same rule.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools

import attrs

from elk_domain.errors import Message
from elk_domain.organisation.model import Period, Timeline


class WindowState(enum.Enum):
    """Where the registration period stands for one pupil today (R-AAN-1, R-AAN-4)."""

    NOT_SET = "niet_bekend"  # the region has not set the period yet
    NOT_YET = "nog_niet"  # the period starts later
    OPEN = "open"  # a list may be saved and made definitive
    CHANGE_IN_WEEK = "wijzigen"  # definitive, and the registration week is on: register again
    LOCKED = "vast"  # definitive, outside the registration week
    CLOSED = "gesloten"  # the period is over without a definitive list


@attrs.frozen
class Window:
    """The state with the dates a parent needs to read it."""

    state: WindowState
    period: Period | None = None
    week: Period | None = None

    @property
    def may_edit(self) -> bool:
        """True when a list may be saved now."""
        return self.state in (WindowState.OPEN, WindowState.CHANGE_IN_WEEK)


def registration_window(timeline: Timeline, today: dt.date, *, definitive: bool) -> Window:
    """R-AAN-1/4: a first list during the period (or the week); a definitive one changes only in
    the registration week."""
    period, week = timeline.registration, timeline.registration_week
    in_week = week is not None and week.contains(today)
    window = functools.partial(Window, period=period, week=week)
    if definitive:
        return window(WindowState.CHANGE_IN_WEEK if in_week else WindowState.LOCKED)
    if in_week or (period is not None and period.contains(today)):
        return window(WindowState.OPEN)
    starts = [p.start for p in (period, week) if p is not None]
    if not starts:
        return window(WindowState.NOT_SET)
    return window(WindowState.NOT_YET if today < min(starts) else WindowState.CLOSED)


CLOSED_MESSAGES = {  # why a list cannot be saved now
    WindowState.NOT_SET: Message("De aanmeldperiode is nog niet bekend."),
    WindowState.NOT_YET: Message("De aanmeldperiode is nog niet begonnen."),
    WindowState.LOCKED: Message(
        "Een definitieve aanmelding kunt u alleen in de aanmeldweek wijzigen."
    ),
    WindowState.CLOSED: Message("De aanmeldperiode is gesloten."),
}
