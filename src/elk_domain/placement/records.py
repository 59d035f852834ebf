"""A run's result in the database's terms: pupil and school ids, levels (decision 0055)."""

from __future__ import annotations

from elk_domain.placement.intake import Intake
from elk_domain.placement.ports import PupilOutcome, ReserveEntry
from elk_domain.placement.result import Result


def outcomes_of(intake: Intake, result: Result) -> list[PupilOutcome]:
    """Each pupil's placement (school, level, which choice) and lottery rank."""
    programmes, placements, lottery = intake.programmes, result.placements, result.lottery
    found = []
    for pupil in intake.instance.pupils:
        placed = placements.get(pupil.id)
        school_id, level = programmes[placed] if placed is not None else (None, None)
        choice = None
        if placed is not None:
            choice = pupil.choices.index(placed) + 1 if placed in pupil.choices else 0
        found.append(
            PupilOutcome(
                pupil_id=intake.pupil_ids[pupil.id],
                school_id=school_id,
                level=level,
                choice=choice,
                lottery_rank=lottery[pupil.id],
            )
        )
    return found


def reserve_of(intake: Intake, result: Result) -> list[ReserveEntry]:
    """Every reserve list, in order: the pupils who want a programme above their placement."""
    ids, programmes = intake.pupil_ids, intake.programmes
    return [
        ReserveEntry(
            school_id=programmes[programme][0],
            level=programmes[programme][1],
            position=position,
            pupil_id=ids[pupil],
        )
        for programme, waiting in result.reserve.items()
        for position, pupil in enumerate(waiting, start=1)
    ]
