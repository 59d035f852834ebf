"""Voorkeursinstellingen: a school's defaults for the Ind. LWOO/PrO tab (R-AUTH-3).

The school administrator (or the board contact, or the functional administrator) sets how the
LAT, CAP and SEM are usually taken; the Oki-doc editor pre-fills empty fields with them.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.school_preferences import PREFERENCE_PATHS, SchoolPreferences
from elk_domain.organisation.model import School

PO_ONLY = "Voorkeursinstellingen gelden alleen voor basisscholen."


def _school(uow: OkidocWork, actor: Actor, school_id: int) -> School:
    school = uow.schools.get(school_id)
    require(actor, Action.SET_PREFERENCES, Scope.for_school(school))
    if school.kind is not OrgKind.PO:
        raise Rejected(PO_ONLY)
    return school


@attrs.frozen
class PreferencesForm:
    """What the page shows: the school and its current preferences."""

    school: School
    preferences: SchoolPreferences


def get_preferences(uow: OkidocWork, actor: Actor, school_id: int) -> PreferencesForm:
    """The school's preferences, for the form (blank when never saved)."""
    with uow:
        school = _school(uow, actor, school_id)
        return PreferencesForm(school, uow.preferences.for_school(school.id))


@attrs.frozen(kw_only=True)
class SetPreferences:
    """The form: text per Oki-doc field path (``PREFERENCE_PATHS``); '' means no default."""

    school_id: int
    expected_version: int
    values: Mapping[str, str]


def set_preferences(
    uow: OkidocWork, clock: Clock, actor: Actor, command: SetPreferences
) -> SchoolPreferences:
    """Save the defaults; every wrong answer is named at once; the change is audited."""
    with uow:
        school = _school(uow, actor, command.school_id)
        parsed = _parse(command.values)
        old = uow.preferences.for_school(school.id)
        new = SchoolPreferences(
            school_id=school.id,
            lat=_flag(parsed[f.LWOO_LAT]),
            cap=_flag(parsed[f.LWOO_CAP]),
            sem=_flag(parsed[f.LWOO_SEM]),
            institution=_text(parsed[f.LWOO_INSTITUTION]),
            researcher=_text(parsed[f.LWOO_RESEARCHER]),
            version=command.expected_version,
        )
        stored = uow.preferences.save(new)
        before, after = old.defaults(), stored.defaults()
        changes = [
            FieldChange(path, before.get(path), after.get(path))
            for path in PREFERENCE_PATHS
            if before.get(path) != after.get(path)
        ]
        if changes:
            subject = Subject(type="school", id=school.id, school_id=school.id)
            audit(uow, clock, actor, "voorkeursinstellingen_gewijzigd", subject, *changes)
        uow.commit()
        return stored


def _parse(values: Mapping[str, str]) -> dict[str, object]:
    parsed: dict[str, object] = {}
    problems = []
    for path in PREFERENCE_PATHS:
        try:
            parsed[path] = f.parse_value(f.spec_for(path), values.get(path, ""))
        except Rejected as error:
            problems.append(Violation(path, error.message))
    if problems:
        raise Rejected("De voorkeursinstellingen zijn niet opgeslagen.", violations=problems)
    return parsed


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: object) -> str:
    return "" if value is None else str(value)
