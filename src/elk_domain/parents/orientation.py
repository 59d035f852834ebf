"""The orientation lists of praktijkscholen and tussenvoorzieningen (R-AAN-6): which pupils a
school has seen and found placeable. In a procedure with the rule (Amsterdam), a parent can
choose such a school only when the child is on its list as placeable. An operator loads a
school's list (`elk orientatie import`); each line is checked on its own and reported.
"""

from __future__ import annotations

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import ElkNumber, SchoolLocation
from elk_domain.parents.account import OrientationEntry
from elk_domain.parents.ports import ParentsWork

MAX_LINES = 5000


@attrs.frozen
class OrientationLine:
    """One line of a school's list: the pupil's ELK number and whether the school placed them."""

    elk_number: str
    placeable: bool


@attrs.frozen(kw_only=True)
class RecordOrientationList:
    """A VO school's orientation list, by its BRIN and location."""

    school: str
    lines: tuple[OrientationLine, ...]


@attrs.frozen(kw_only=True)
class OrientationReport:
    """Per line: recorded, or why not (line numbers from 1)."""

    recorded: int
    refused: tuple[tuple[int, str], ...] = ()


def record_orientation_list(
    uow: ParentsWork, clock: Clock, actor: Actor, command: RecordOrientationList
) -> OrientationReport:
    """Record every valid line in one transaction; an unknown ELK number is reported, the rest
    goes on. Only the functional administrator (an operator) loads lists."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    if len(command.lines) > MAX_LINES:
        raise Rejected(f"Een oriëntatielijst heeft hoogstens {MAX_LINES} regels.")
    with uow:
        school = uow.schools.by_location(SchoolLocation.parse(command.school))
        if school is None or school.kind is not OrgKind.VO:
            raise Rejected(f"{command.school} is geen VO-school in ELK.")
        refused: list[tuple[int, str]] = []
        recorded = 0
        for number, line in enumerate(command.lines, start=1):
            pupil = _pupil(uow, line.elk_number)
            if pupil is None:
                refused.append((number, f"ELK-nummer '{line.elk_number[:20]}' is onbekend."))
                continue
            entry = OrientationEntry(id=0, vo_school_id=school.id, pupil_id=pupil,
                                     placeable=line.placeable, recorded_at=clock.now())  # fmt: skip
            stored = uow.orientation_lists.save(entry)
            subject = Subject(type="orientation", id=stored.id, school_id=school.id)
            detail = "plaatsbaar" if line.placeable else "niet plaatsbaar"
            audit(uow, clock, actor, "orientatielijst", subject, detail=detail)
            recorded += 1
        uow.commit()
    return OrientationReport(recorded=recorded, refused=tuple(refused))


def _pupil(uow: ParentsWork, typed: str) -> int | None:
    try:
        number = ElkNumber.parse(typed)
    except (Rejected, ValueError):
        return None
    pupil = uow.pupils.by_elk_number(number.value)
    return None if pupil is None else pupil.id
