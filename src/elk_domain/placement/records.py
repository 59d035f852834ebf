"""A run's result in the database's terms: pupil and school ids, levels (decision 0055)."""

from __future__ import annotations

from elk_domain.placement.intake import Intake
from elk_domain.placement.ports import PupilOutcome, ReserveList
from elk_domain.placement.result import Result


def outcomes_of(intake: Intake, result: Result) -> list[PupilOutcome]:
    """Each pupil's placement (school, level, which choice) and lottery rank."""
    programmes, placements, lottery = intake.programmes, result.placements, result.lottery
    ids = intake.pupil_ids
    found = []
    for pupil in intake.instance.pupils:
        placed = placements.get(pupil.id)
        if placed is None:
            found.append(PupilOutcome(ids[pupil.id], None, None, None, lottery[pupil.id]))
            continue
        school_id, level = programmes[placed]
        choice = pupil.choices.index(placed) + 1 if placed in pupil.choices else 0
        found.append(PupilOutcome(ids[pupil.id], school_id, level, choice, lottery[pupil.id]))
    return found


def reserve_of(intake: Intake, result: Result) -> list[ReserveList]:
    """Every reserve list, in order: the pupils who want a programme above their placement."""
    ids, programmes = intake.pupil_ids, intake.programmes
    return [
        ReserveList(
            school_id=programmes[programme][0],
            level=programmes[programme][1],
            pupil_ids=tuple(ids[pupil] for pupil in waiting),
        )
        for programme, waiting in result.reserve.items()
        if waiting
    ]
