"""Result lines and pupils for the final-test tests: small builders, nothing clever."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Rejected
from elk_domain.finaltest.results import ResultFile, ResultLine
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName
from elk_domain.pupils.model import Pupil

DAY = dt.date(2013, 5, 4)
TEST_DAY = dt.date(2026, 2, 11)
LOCATION = "12AB00"


def line(number: int = 1, **values: object) -> ResultLine:
    """A line of school 12AB00 for Sam Jansen born 4 May 2013, with ``values`` changed."""
    base = ResultLine(
        number=number,
        source="uitslagen.csv",
        brin=LOCATION,
        first_name="Sam",
        tussenvoegsel="",
        last_name="Jansen",
        birth_date=DAY,
        test="Route 8",
        test_date=TEST_DAY,
        outcome="havo/vwo",
    )
    return attrs.evolve(base, **values)


def pupil(
    pupil_id: int,
    first: str = "Sam",
    last: str = "Jansen",
    tussenvoegsel: str = "",
    *,
    born: dt.date | None = DAY,
    bsn: str | None = None,
    school_id: int = 1,
) -> Pupil:
    """A pupil of school 1."""
    return Pupil(
        id=pupil_id,
        elk_number=ElkNumber(100000 + pupil_id),
        school_id=school_id,
        name=PersonName(first, last, tussenvoegsel),
        birth_date=born,
        bsn=Bsn.parse(bsn) if bsn else None,
    )


class FakeReader:
    """``ResultFileReader`` returning fixed lines, or refusing every file."""

    def __init__(self, *lines: ResultLine, refuse: str = "") -> None:
        self.lines = lines
        self.refuse = refuse
        self.reads = 0

    def read(self, data: bytes) -> ResultFile:
        """The fixed lines (the bytes are not looked at)."""
        self.reads += 1
        if self.refuse:
            raise Rejected(self.refuse)
        return ResultFile(format="CSV", lines=self.lines)
