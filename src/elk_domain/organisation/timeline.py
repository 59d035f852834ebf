"""The regional timeline (tijdpad): everyone reads it, the functional administrator sets it."""

from __future__ import annotations

import datetime as dt

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.organisation.model import Period, Timeline
from elk_domain.organisation.ports import OrganisationWork

_PERIODS = {
    "parent_login": "ouderinlog",
    "registration": "aanmeldperiode",
    "registration_week": "aanmeldweek",
}


def get_timeline(uow: OrganisationWork) -> Timeline:
    """The current timeline (periods not set are closed)."""
    with uow:
        return uow.settings.timeline()


def check_timeline(timeline: Timeline) -> list[Violation]:
    """Every period must end on or after its start; placement comes after registration, and
    the capacity is fixed before the placement."""
    found = []
    for name, label in _PERIODS.items():
        period: Period | None = getattr(timeline, name)
        if period is not None and period.end < period.start:
            found.append(Violation(name, f"De {label} eindigt vóór de begindatum."))
    registration, placement = timeline.registration, timeline.placement_date
    if registration is not None and placement is not None and placement <= registration.end:
        message = "De plaatsingsdatum moet na het einde van de aanmeldperiode liggen."
        found.append(Violation("placement_date", message))
    deadline = timeline.capacity_deadline
    if deadline is not None and placement is not None and deadline >= placement:
        message = "De capaciteit moet vóór de plaatsingsdatum vaststaan."
        found.append(Violation("capacity_deadline", message))
    return found


def set_timeline(uow: OrganisationWork, clock: Clock, actor: Actor, timeline: Timeline) -> Timeline:
    """Replace the timeline (functional administrator only); every change is audited."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    problems = check_timeline(timeline)
    if problems:
        raise Rejected("Het tijdpad klopt niet.", violations=problems)
    with uow:
        old = uow.settings.timeline()
        changes = [
            FieldChange(name, _text(getattr(old, name)), _text(getattr(timeline, name)))
            for name in (*_PERIODS, "placement_date", "capacity_deadline")
            if getattr(old, name) != getattr(timeline, name)
        ]
        if not changes:
            return old
        uow.settings.save_timeline(timeline)
        audit(uow, clock, actor, "tijdpad_gewijzigd", Subject(type="timeline"), *changes)
        uow.commit()
        return timeline


def _text(value: Period | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Period):
        return f"{value.start.isoformat()} t/m {value.end.isoformat()}"
    return value.isoformat()
