"""The pupil overview's read model (R-LL-1, R-DT-3): one flat row per pupil, a page of them.

Rows are built by a query port (``PupilOverviewQuery``), not by loading pupils and Oki-docs one
by one: the overview must cost a fixed number of queries whatever the page size. The Oki-doc
facts the overview shows (extra support, tafelmiddag, doorstroomtoets) are derived once by
``okidoc_facts`` when an Oki-doc is saved, so the SQL side can keep them in plain columns.
"""

from __future__ import annotations

import enum

import attrs

from elk_domain.kernel.values import PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, ReasonNotPlaced

MAX_PAGE_SIZE = 200


class OverviewSort(enum.Enum):
    """The columns the overview can be sorted on."""

    NAME = "naam"
    GROUP = "groep"
    STATUS = "status"
    ELK_NUMBER = "elknummer"


@attrs.frozen(kw_only=True)
class OkiDocFacts:
    """What the overview needs from an Oki-doc's content, derived from its fields."""

    extra_support: bool = False
    tafelmiddag_po: bool = False
    tafelmiddag_vo: bool = False
    final_test_outcome: str | None = None
    definitive_advice: str | None = None
    deviation_motivated: bool = False


def okidoc_facts(okidoc: OkiDoc) -> OkiDocFacts:
    """The overview's facts of one Oki-doc (the same for the memory fake and the database)."""

    def text(path: str) -> str | None:
        value = okidoc.value(path)
        return value.strip() or None if isinstance(value, str) else None

    return OkiDocFacts(
        extra_support=okidoc.value(f.ADVICE_EXTRA_SUPPORT) is True,
        tafelmiddag_po=okidoc.value(f.ADVICE_TAFELTJESMIDDAG) is True,
        tafelmiddag_vo=okidoc.value(f.TAFELMIDDAG_VO) is True,
        final_test_outcome=text(f.FINAL_TEST_OUTCOME),
        definitive_advice=text(f.ADVICE_DEFINITIVE),
        # R-DT-4 answered by keeping the advice: a motivation and the day the parents took part
        deviation_motivated=okidoc.is_filled(f.ADVICE_DEVIATION_MOTIVATION)
        and okidoc.is_filled(f.ADVICE_PARENTS_INVOLVED),
    )


def search_words(search: str) -> tuple[str, ...]:
    """The lower-cased words of a search; a row matches when its text contains every word."""
    return tuple(search.lower().split())[:5]


def row_text(name: PersonName, elk_number: int) -> str:
    """The text a search looks in: names and ELK number, lower-cased."""
    return f"{name.first} {name.tussenvoegsel} {name.last} {elk_number}".lower()


@attrs.frozen
class GroupChoice:
    """A group as the overview's filter shows it: id and name (no contact persons)."""

    id: int
    name: str


STATUS_ORDER = {OkiStatus.ONVOLLEDIG: 0, OkiStatus.VOLLEDIG: 1, OkiStatus.DEFINITIEF: 2}


@attrs.frozen(kw_only=True)
class OverviewRow:
    """One line of the Leerlingen overview."""

    pupil_id: int
    elk_number: int
    name: PersonName
    group_id: int | None = None
    group_name: str = ""
    okidoc_status: OkiStatus = OkiStatus.ONVOLLEDIG
    okidoc_version: int = 1
    facts: OkiDocFacts = OkiDocFacts()
    parent_login: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    parent_login_amsterdam: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    registered_at: str | None = None  # the first-choice VO school's name
    registration_status: RegistrationStatus | None = None
    priority: PriorityState = PriorityState.NONE  # R-AAN-5: the claim on the definitive list
    priority_reason: str = ""  # the VO school's reason with its judgement
    reason_not_placed: ReasonNotPlaced | None = None
    placed_at: str | None = None  # "school (level)" in the newest published placement (0055)


@attrs.frozen(kw_only=True)
class OverviewQuery:
    """What the overview asks for: filters, sort and page (1-based)."""

    school_id: int
    group_ids: frozenset[int] | None = None  # None: every group
    search: str = ""
    sort: OverviewSort = OverviewSort.NAME
    descending: bool = False
    page: int = 1
    page_size: int = 50

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.page - 1) * self.page_size


@attrs.frozen(kw_only=True)
class OverviewPage:
    """A page of rows and the number of rows that match the filters."""

    rows: tuple[OverviewRow, ...]
    total: int
    page: int = 1
    page_size: int = 50

    @property
    def pages(self) -> int:
        """How many pages the matching rows fill (at least one)."""
        return max(1, -(-self.total // self.page_size))


@attrs.frozen(kw_only=True)
class StatusCounts:
    """R-LL-4: per school, pupils per Oki-doc status, parent-login status and registration
    status."""

    school_id: int
    school_name: str
    board_id: int
    pupils: int = 0
    onvolledig: int = 0
    volledig: int = 0
    definitief: int = 0
    login_sent: int = 0  # R-OUD-2: the parent login is sent, not activated yet (blue dot)
    login_activated: int = 0  # activated, registering or registered (green dot, AG, AV)
    not_registered: int = 0
    registration_started: int = 0
    registration_definitive: int = 0
    not_placed: int = 0
