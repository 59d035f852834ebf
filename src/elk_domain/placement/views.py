"""What the published placement shows: the parent's explanation, the VO school's lists.

The parent sees where the child is placed and, for each school ranked higher, why not (from
``explain.Explainer``) with the reserve position; the VO school sees its placed pupils and its
reserve lists. Nothing shows before the run is published (decision 0055).
"""

from __future__ import annotations

import attrs

from elk_domain.errors import NotFound
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import procedure_named
from elk_domain.placement.explain import Explainer, Why
from elk_domain.placement.model import Instance
from elk_domain.placement.ports import PlacementRun, PlacementWork
from elk_domain.pupils.access import load_pupil


@attrs.frozen(kw_only=True)
class ReasonLine:
    """A school ranked above the placement, and why the child was not placed there."""

    school: str
    level: str
    why: Why
    last_rank: int | None
    own_rank: int | None
    reserve_position: int | None
    message: str  # the reason in Dutch, as the explanation words it (the letter prints it)


@attrs.frozen(kw_only=True)
class ParentPlacement:
    """The child's placement in the published run, with the reasons for the schools above it."""

    run: PlacementRun
    first_name: str
    full_name: str
    elk_number: int
    school: str | None
    level: str | None
    lottery_rank: int
    reasons: tuple[ReasonLine, ...]


def _programme_names(instance: Instance) -> dict[str, tuple[str, str]]:
    return {p.id: (p.school, p.level) for p in instance.programmes}


def parent_placement(uow: PlacementWork, actor: Actor, procedure: str) -> ParentPlacement | None:
    """The own child's placement; None before publication or when the child took no part."""
    name = procedure_named(procedure).name
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, actor.pupil_id or 0)
        run = uow.placement_runs.latest_published(name)
        if run is None or uow.placement_runs.outcome(run.id, pupil.id) is None:
            return None
        instance, result = uow.placement_runs.contents(run.id)
    explanation = Explainer(instance, result).explain(str(pupil.elk_number.value))
    names = _programme_names(instance)
    placed = None if explanation.placed is None else names[explanation.placed]
    return ParentPlacement(
        run=run,
        first_name=pupil.name.first,
        full_name=pupil.name.full(),
        elk_number=pupil.elk_number.value,
        school=None if placed is None else placed[0],
        level=None if placed is None else placed[1],
        lottery_rank=explanation.lottery_rank,
        reasons=tuple(
            ReasonLine(
                school=names[r.programme][0],
                level=names[r.programme][1],
                why=r.why,
                last_rank=r.last_rank,
                own_rank=r.own_rank,
                reserve_position=r.reserve_position,
                message=r.message,
            )
            for r in explanation.reasons
        ),
    )


@attrs.frozen(kw_only=True)
class PlacedLine:
    """A pupil on the VO school's list: placed there, or waiting on a reserve list."""

    pupil_id: int
    elk_number: ElkNumber
    name: PersonName
    primary_school: str
    level: Level
    position: int | None = None  # on a reserve list: 1 = first in line
    choice: int | None = None  # placed: which choice the school was (0: equivalent level)


@attrs.frozen(kw_only=True)
class SchoolPlacement:
    """The VO school's placed pupils and reserve lists in the published run (None: none yet)."""

    school: School
    run: PlacementRun | None
    placed: tuple[PlacedLine, ...] = ()
    reserve: tuple[PlacedLine, ...] = ()


def school_placement(uow: PlacementWork, actor: Actor, procedure: str) -> SchoolPlacement:
    """The actor's own VO school's lists from the newest published run."""
    scope = Scope(school_id=actor.school_id, board_id=actor.board_id)
    require(actor, Action.VIEW_REGISTRATIONS, scope)
    with uow:
        school = None if actor.school_id is None else uow.schools.get(actor.school_id)
        if school is None or school.kind is not OrgKind.VO:
            raise NotFound("Er is geen VO-school gevonden waarvan u de plaatsing mag bekijken.")
        run = uow.placement_runs.latest_published(procedure_named(procedure).name)
        if run is None:
            return SchoolPlacement(school=school, run=None)
        schools: dict[int, str] = {}
        placed = [
            _line(uow, schools, o.pupil_id, o.level, choice=o.choice)
            for o in uow.placement_runs.placed_at(run.id, school.id)
            if o.level is not None
        ]
        reserve = [
            _line(uow, schools, e.pupil_id, e.level, position=e.position)
            for e in uow.placement_runs.reserve_at(run.id, school.id)
        ]
    placed.sort(key=lambda line: (line.level.rank, line.name.sort_key().lower()))
    return SchoolPlacement(school=school, run=run, placed=tuple(placed), reserve=tuple(reserve))


def _line(
    uow: PlacementWork,
    schools: dict[int, str],
    pupil_id: int,
    level: Level,
    *,
    position: int | None = None,
    choice: int | None = None,
) -> PlacedLine:
    pupil = uow.pupils.get(pupil_id)
    if pupil.school_id not in schools:
        schools[pupil.school_id] = uow.schools.get(pupil.school_id).name
    return PlacedLine(
        pupil_id=pupil.id,
        elk_number=pupil.elk_number,
        name=pupil.name,
        primary_school=schools[pupil.school_id],
        level=level,
        position=position,
        choice=choice,
    )
