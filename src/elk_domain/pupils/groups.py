"""Groups (8a, 8b) of a school: create, rename, fill with pupils, link contact persons (R-GRP-1).

A user linked to a group as contact person sees only that group's pupils (R-AUTH-4); the
permission policy reads the links through the actor's ``group_ids``. Administrators manage
groups; end users of the school may fill them (the manual), a contact person only their own
groups and only with pupils they can see (docs/decisions/0003).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.organisation.model import Group, School
from elk_domain.pupils.model import Pupil
from elk_domain.pupils.ports import PupilsWork

MAX_NAME = 50


def _school(
    uow: PupilsWork, actor: Actor, school_id: int, action: Action = Action.MANAGE_GROUPS
) -> School:
    school = uow.schools.get(school_id)
    require(actor, action, Scope.for_school(school))
    return school


def _group(uow: PupilsWork, actor: Actor, group_id: int) -> tuple[Group, School]:
    """The group and its school, after checking the actor may fill it."""
    group = uow.groups.get(group_id)
    school = uow.schools.get(group.school_id)
    require(actor, Action.FILL_GROUPS, Scope.for_group(group, school))
    return group, school


def list_groups(uow: PupilsWork, actor: Actor, school_id: int) -> tuple[School, Sequence[Group]]:
    """The school and the groups the actor may fill (a contact person: only their own)."""
    with uow:
        school = _school(uow, actor, school_id, Action.FILL_GROUPS)
        groups = uow.groups.list(school.id)
        return school, [
            g for g in groups if allowed(actor, Action.FILL_GROUPS, Scope.for_group(g, school))
        ]


@attrs.frozen
class CreateGroup:
    """The form "Groep toevoegen"."""

    school_id: int
    name: str


def create_group(uow: PupilsWork, clock: Clock, actor: Actor, command: CreateGroup) -> Group:
    """Add an empty group; pupils and contact persons are added on its edit page."""
    with uow:
        school = _school(uow, actor, command.school_id)
        name = _checked_name(uow, school.id, command.name, keep=None)
        group = uow.groups.add(Group(0, school.id, name))
        audit(uow, clock, actor, "groep_aangemaakt", group_subject(group), detail=name)
        uow.commit()
        return group


def _checked_name(uow: PupilsWork, school_id: int, text: str, keep: int | None) -> str:
    name = " ".join(text.split())
    problem = None
    if not name or len(name) > MAX_NAME:
        problem = f"Vul een groepsnaam in (zoals 8a) van hoogstens {MAX_NAME} tekens."
    elif any(
        g.name.casefold() == name.casefold() and g.id != keep for g in uow.groups.list(school_id)
    ):
        problem = f"Deze school heeft al een groep '{name}'."
    if problem:
        raise Rejected("De groep is niet opgeslagen.", violations=[Violation("naam", problem)])
    return name


@attrs.frozen(kw_only=True)
class GroupForm:
    """What the edit page shows: the group, the pupils one may choose and the end users.

    ``may_manage`` is False for end users: they only fill the group, so the page shows no
    name and no contact persons (and ``end_users`` is empty).
    """

    school: School
    group: Group
    pupils: Sequence[Pupil]
    end_users: Sequence[User]
    may_manage: bool


def group_form(uow: PupilsWork, actor: Actor, group_id: int) -> GroupForm:
    """The group with everything the actor can link to it."""
    with uow:
        group, school = _group(uow, actor, group_id)
        may_manage = allowed(actor, Action.MANAGE_GROUPS, Scope.for_school(school))
        return GroupForm(
            school=school,
            group=group,
            pupils=list(_visible_pupils(uow, actor, school).values()),
            end_users=_end_users(uow, school.id) if may_manage else [],
            may_manage=may_manage,
        )


def _visible_pupils(uow: PupilsWork, actor: Actor, school: School) -> dict[int, Pupil]:
    return {
        p.id: p
        for p in uow.pupils.list(school.id)
        if allowed(actor, Action.VIEW_PUPIL, Scope.for_pupil(p, school))
    }


def _end_users(uow: PupilsWork, school_id: int) -> list[User]:
    return [u for u in uow.users.list(school_id=school_id) if u.role is Role.END_USER and u.active]


@attrs.frozen(kw_only=True)
class UpdateGroup:
    """The edit form: name, the pupils in the group and its contact persons."""

    group_id: int
    name: str
    pupil_ids: frozenset[int]
    contact_user_ids: frozenset[int]


def update_group(uow: PupilsWork, clock: Clock, actor: Actor, command: UpdateGroup) -> Group:
    """Save the group; pupils moved in leave their old group, pupils left out leave this one."""
    with uow:
        group, school = _group(uow, actor, command.group_id)  # a hidden group stays hidden
        require(actor, Action.MANAGE_GROUPS, Scope.for_school(school))
        name = _checked_name(uow, school.id, command.name, keep=group.id)
        _check_contacts(uow, school.id, command.contact_user_ids)
        pupils = {p.id: p for p in uow.pupils.list(school.id)}
        moved = _move_pupils(uow, pupils, group.id, command.pupil_ids)
        stored = uow.groups.update(
            attrs.evolve(group, name=name, contact_user_ids=command.contact_user_ids)
        )
        changes = [
            FieldChange("naam", group.name, name),
            FieldChange(
                "contactpersonen", _ids(group.contact_user_ids), _ids(stored.contact_user_ids)
            ),
            FieldChange("leerlingen", None, moved),
        ]
        changes = [c for c in changes if c.old != c.new]
        if changes:
            audit(uow, clock, actor, "groep_gewijzigd", group_subject(group), *changes)
        uow.commit()
        return stored


def _check_contacts(uow: PupilsWork, school_id: int, user_ids: Collection[int]) -> None:
    allowed_ids = {u.id for u in _end_users(uow, school_id)}
    if not set(user_ids) <= allowed_ids:
        problem = Violation(
            "contactpersonen", "Kies contactpersonen uit de eindgebruikers van de school."
        )
        raise Rejected("De groep is niet opgeslagen.", violations=[problem])


@attrs.frozen(kw_only=True)
class FillGroup:
    """The end user's form: which of the pupils shown on it belong in the group."""

    group_id: int
    pupil_ids: frozenset[int]
    shown: frozenset[int]  # the pupils listed on the form; others are left alone


def fill_group(uow: PupilsWork, clock: Clock, actor: Actor, command: FillGroup) -> Group:
    """Add pupils to the group or take them out; pupils moved in leave their old group."""
    with uow:
        group, school = _group(uow, actor, command.group_id)
        visible = _visible_pupils(uow, actor, school)
        if not command.shown <= visible.keys():
            problem = Violation("leerlingen", "Kies leerlingen van deze school.")
            raise Rejected("De groep is niet opgeslagen.", violations=[problem])
        shown = {i: p for i, p in visible.items() if i in command.shown}
        moved = _move_pupils(uow, shown, group.id, command.pupil_ids)
        if moved:
            change = FieldChange("leerlingen", None, moved)
            audit(uow, clock, actor, "groep_gewijzigd", group_subject(group), change)
        uow.commit()
        return group


def _move_pupils(
    uow: PupilsWork, pupils: Mapping[int, Pupil], group_id: int, wanted: Collection[int]
) -> str | None:
    """Put the ``wanted`` pupils in the group and take the other ``pupils`` out of it."""
    if not set(wanted) <= pupils.keys():
        problem = Violation("leerlingen", "Kies leerlingen van deze school.")
        raise Rejected("De groep is niet opgeslagen.", violations=[problem])
    added = removed = 0
    for pupil in pupils.values():
        inside = pupil.id in wanted
        if inside and pupil.group_id != group_id:
            uow.pupils.update(attrs.evolve(pupil, group_id=group_id))
            added += 1
        elif not inside and pupil.group_id == group_id:
            uow.pupils.update(attrs.evolve(pupil, group_id=None))
            removed += 1
    return f"{added} toegevoegd, {removed} verwijderd" if added or removed else None


def _ids(ids: Collection[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))


def group_subject(group: Group) -> Subject:
    """The audit subject for a group."""
    return Subject(type="group", id=group.id, school_id=group.school_id)
