"""Boards and schools (R-AUTH-1/2/3, R-SCH-1): the region's administrator adds them, the board
contact and the school administrator keep a school's data up to date.

Moving a school to another board, changing its type (po/vo) or its BRIN stays with the
functional administrator; VO schools also carry their levels, the capacity per level and the
options they offer to pupils who choose them first (priority, an equivalent level).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import attrs

from elk_domain.errors import Forbidden, Rejected, Violation
from elk_domain.kernel.advice import Level
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import Address, Email, SchoolLocation
from elk_domain.organisation.model import Board, School
from elk_domain.organisation.ports import OrganisationWork

T = TypeVar("T")

_REQUIRED = (
    ("official_name", "de officiële naam"),
    ("name", "de naam"),
    ("school_type", "het schooltype"),
    ("street", "de straat"),
    ("house_number", "het huisnummer"),
    ("postcode", "de postcode"),
    ("city", "de plaats"),
    ("brin", "het BRIN-nummer"),
    ("vestiging", "de vestigingscode"),
)


def list_boards(uow: OrganisationWork, actor: Actor) -> Sequence[Board]:
    """All boards (functional administrator)."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    with uow:
        return uow.boards.list()


@attrs.frozen
class AddBoard:
    """The form "Bestuur toevoegen"."""

    name: str
    contact_name: str = ""
    contact_email: str = ""


def add_board(uow: OrganisationWork, clock: Clock, actor: Actor, command: AddBoard) -> Board:
    """Store a new board."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    problems = []
    name = " ".join(command.name.split())
    if not name:
        problems.append(Violation("naam", "Vul de naam van het bestuur in."))
    email = command.contact_email.strip()
    if email:
        try:
            email = str(Email.parse(email))
        except Rejected as error:
            problems.append(Violation("contact_email", error.message))
    if problems:
        raise Rejected("Het bestuur is niet opgeslagen.", violations=problems)
    with uow:
        board = uow.boards.add(Board(0, name, command.contact_name.strip(), email))
        audit(uow, clock, actor, "bestuur_aangemaakt", Subject(type="board", id=board.id))
        uow.commit()
        return board


def list_schools(uow: OrganisationWork, actor: Actor) -> Sequence[School]:
    """The schools whose data the actor keeps: all, the board's, or the own school."""
    own = Scope.region() if actor.role is Role.FUNCTIONAL_ADMIN else _own(actor)
    require(actor, Action.EDIT_SCHOOL, own)
    with uow:
        if actor.role is Role.FUNCTIONAL_ADMIN:
            return uow.schools.list()
        if actor.role is Role.BOARD_CONTACT:
            return uow.schools.list(board_id=actor.board_id)
        return [uow.schools.get(actor.school_id)] if actor.school_id is not None else []


def _own(actor: Actor) -> Scope:
    return Scope(school_id=actor.school_id, board_id=actor.board_id)


def get_school(uow: OrganisationWork, actor: Actor, school_id: int) -> School:
    """One school the actor may edit."""
    with uow:
        school = uow.schools.get(school_id)
        require(actor, Action.EDIT_SCHOOL, Scope.for_school(school))
        return school


@attrs.frozen(kw_only=True)
class SchoolForm:
    """The school form as typed (R-SCH-1), plus levels and capacity for VO schools."""

    board_id: int
    kind: OrgKind
    official_name: str
    name: str
    school_type: str
    street: str
    house_number: str
    postcode: str
    city: str
    brin: str
    vestiging: str
    director: str = ""
    elk_contact: str = ""
    levels: frozenset[Level] = frozenset()
    capacity: Mapping[Level, int] = attrs.field(factory=dict)
    offers_priority: bool = False
    offers_equivalent_level: bool = True
    version: int = 1


def school_from_form(form: SchoolForm, school_id: int = 0) -> School:
    """The school the form describes; Rejected naming every missing or wrong field."""
    problems = [
        Violation(field, f"Vul {label} in.")
        for field, label in _REQUIRED
        if not str(getattr(form, field)).strip()
    ]
    address = _part(problems, "postcode", lambda: Address.create(
        street=form.street, house_number=form.house_number, postcode=form.postcode, city=form.city
    ))  # fmt: skip
    location = _part(problems, "brin", lambda: SchoolLocation.parse(f"{form.brin}{form.vestiging}"))
    problems += [
        Violation(f"capaciteit.{level.value}", f"De capaciteit voor {level.label} is negatief.")
        for level, seats in form.capacity.items()
        if seats < 0
    ]
    if problems or address is None or location is None:
        raise Rejected("De school is niet opgeslagen.", violations=_unique(problems))
    vo = form.kind is OrgKind.VO
    return School(
        id=school_id,
        board_id=form.board_id,
        kind=form.kind,
        official_name=form.official_name.strip(),
        name=form.name.strip(),
        school_type=form.school_type.strip(),
        address=address,
        location=location,
        director=form.director.strip(),
        elk_contact=form.elk_contact.strip(),
        levels=form.levels if vo else frozenset(),
        capacity={lv: n for lv, n in form.capacity.items() if lv in form.levels} if vo else {},
        offers_priority=vo and form.offers_priority,
        offers_equivalent_level=vo and form.offers_equivalent_level,
        version=form.version,
    )


def _part(problems: list[Violation], field: str, build: Callable[[], T]) -> T | None:
    """Build an address or location unless a required part is missing; note its error."""
    if any(p.path in _PARTS[field] for p in problems):
        return None
    try:
        return build()
    except Rejected as error:
        problems.append(Violation(field, error.message))
        return None


_PARTS = {
    "postcode": ("street", "house_number", "postcode", "city"),
    "brin": ("brin", "vestiging"),
}


def _unique(problems: list[Violation]) -> list[Violation]:
    """One message per field: a missing field needs no second message about its format."""
    first: dict[str, Violation] = {}
    for problem in problems:
        first.setdefault(problem.path, problem)
    return list(first.values())


def add_school(uow: OrganisationWork, clock: Clock, actor: Actor, form: SchoolForm) -> School:
    """Add a school (functional administrator; board contacts ask the secretariat)."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    school = school_from_form(form)
    with uow:
        uow.boards.get(form.board_id)
        _check_location_free(uow, school)
        stored = uow.schools.add(school)
        audit(uow, clock, actor, "school_aangemaakt", _subject(stored), detail=stored.name)
        uow.commit()
        return stored


def update_school(
    uow: OrganisationWork, clock: Clock, actor: Actor, school_id: int, form: SchoolForm
) -> School:
    """Save a school's data; board, type and BRIN only by the functional administrator."""
    with uow:
        old = uow.schools.get(school_id)
        require(actor, Action.EDIT_SCHOOL, Scope.for_school(old))
        new = school_from_form(form, school_id)
        if _identity(new) != _identity(old) and not allowed(
            actor, Action.MANAGE_REGION, Scope.region()
        ):
            raise Forbidden("Bestuur, type en BRIN van een school wijzigt alleen ELK beheer.")
        changes = _changes(old, new)
        if not changes:
            return old
        _check_capacity_open(uow, clock, actor, old, new)
        if new.location != old.location:
            _check_location_free(uow, new)
        stored = uow.schools.update(new)
        audit(uow, clock, actor, "school_gewijzigd", _subject(old), *changes)
        uow.commit()
        return stored


def _check_capacity_open(
    uow: OrganisationWork, clock: Clock, actor: Actor, old: School, new: School
) -> None:
    """After the timeline's capacity deadline only the functional administrator changes it."""
    if old.capacity == new.capacity or actor.role is Role.FUNCTIONAL_ADMIN:
        return
    timeline = uow.settings.timeline()
    if timeline.capacity_locked(clock.now().date()):
        day = timeline.capacity_deadline.isoformat() if timeline.capacity_deadline else ""
        message = f"De capaciteit staat vast sinds {day}; wijzigen kan alleen via ELK beheer."
        raise Rejected(
            "De school is niet opgeslagen.", violations=[Violation("capaciteit", message)]
        )


def _identity(school: School) -> tuple[int, OrgKind, SchoolLocation]:
    return school.board_id, school.kind, school.location


def _check_location_free(uow: OrganisationWork, school: School) -> None:
    existing = uow.schools.by_location(school.location)
    if existing is not None and existing.id != school.id:
        problem = Violation(
            "brin", "Er is al een school met dit BRIN-nummer en deze vestigingscode."
        )
        raise Rejected("De school is niet opgeslagen.", violations=[problem])


def _changes(old: School, new: School) -> list[FieldChange]:
    names = ("board_id", "kind", "official_name", "name", "school_type", "address", "location",
             "director", "elk_contact", "levels", "capacity", "offers_priority",
             "offers_equivalent_level")  # fmt: skip
    return [
        FieldChange(name, _text(getattr(old, name)), _text(getattr(new, name)))
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, OrgKind):
        return value.value
    if isinstance(value, Address):
        return f"{value.street} {value.house_number}, {value.postcode} {value.city}"
    if isinstance(value, frozenset):
        return ", ".join(sorted(level.label for level in value))
    if isinstance(value, Mapping):
        return ", ".join(f"{lv.label}: {n}" for lv, n in sorted(value.items(), key=_rank))
    return str(value)


def _rank(item: tuple[Level, int]) -> int:
    return item[0].rank


def _subject(school: School) -> Subject:
    return Subject(type="school", id=school.id, school_id=school.id)
