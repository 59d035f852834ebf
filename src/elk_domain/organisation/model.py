"""Boards, schools (PO and VO) and groups.

The regional timeline (tijdpad) set by the functional administrator.

News items of the functional administrator, shown on everyone's home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation


@attrs.frozen
class Board:
    """A school board (bestuur) owning several schools; its ELK contact helps its users."""

    id: int
    name: str
    contact_name: str = ""
    contact_email: str = ""


@attrs.frozen(kw_only=True)
class School:
    """A school location with the data of R-SCH-1; VO schools also carry levels and capacity."""

    id: int
    board_id: int
    kind: OrgKind
    official_name: str
    name: str
    school_type: str
    address: Address
    location: SchoolLocation
    director: str = ""
    elk_contact: str = ""
    levels: frozenset[Level] = frozenset()
    capacity: Mapping[Level, int] = attrs.field(factory=dict)
    # R-AAN-3: what a VO school offers to pupils who choose it first (decision 0046)
    offers_priority: bool = False  # priority for siblings and children of staff
    offers_equivalent_level: bool = True  # staying at an equivalent level; on unless switched off
    version: int = 1


@attrs.frozen
class Group:
    """A class such as 8a; linked staff (contact persons) see only its pupils (R-AUTH-4)."""

    id: int
    school_id: int
    name: str
    contact_user_ids: frozenset[int] = frozenset()


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
    # R-PL-1: the last day a VO school's administrator sets its capacity; then it is locked
    capacity_deadline: dt.date | None = None

    def capacity_locked(self, today: dt.date) -> bool:
        """True after the capacity deadline: only ELK beheer changes a capacity then."""
        return self.capacity_deadline is not None and today > self.capacity_deadline


@attrs.frozen(kw_only=True)
class NewsItem:
    """A message on the home page."""

    id: int
    title: str
    body: str
    published_at: dt.datetime
    author: str = ""
