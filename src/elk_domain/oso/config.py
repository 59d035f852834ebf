"""OSO → Configureren and OSO notificaties: delivery points per school location (R-OSO-1/2/7).

The gateway is called between two transactions, never inside one: a slow Traffic Center must
not hold a database transaction open. The delivery-point key is stored but never audited.
"""

from __future__ import annotations

import attrs

from elk_domain.errors import Rejected, Unavailable, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.organisation.model import School
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    DeliveryPointStatus,
    NotificationKind,
    StoredNotification,
)
from elk_domain.oso.ports import OsoGateway, OsoWork

REGISTER_FAILED = (
    "De registratie van het aanleverpunt is mislukt. Controleer of het aanleverpuntnummer en de "
    "sleutel uit Mijn OSO zijn ingevuld bij de juiste BRIN en vestigingscode ({location}). "
    "Klopt dat, neem dan contact op met de OSO-servicedesk van Kennisnet."
)


@attrs.frozen
class DeliveryPointRow:
    """One line of OSO → Configureren: a PO school location and its (possibly blank) point."""

    school: School
    point: DeliveryPoint


def load_school(uow: OsoWork, actor: Actor, action: Action, school_id: int) -> School:
    """The school, after checking the actor may take ``action`` on it (hidden: NotFound)."""
    school = uow.schools.get(school_id)
    require(actor, action, Scope.for_school(school))
    if school.kind is not OrgKind.PO:
        raise Rejected("Alleen basisscholen halen dossiers op via OSO.")
    return school


def _point_of(uow: OsoWork, school: School) -> DeliveryPoint:
    stored = uow.delivery_points.for_school(school.id)
    return stored or DeliveryPoint(school_id=school.id, location=school.location)


def _school_subject(school: School) -> Subject:
    return Subject(type="school", id=school.id, school_id=school.id)


def _yes(flag: bool) -> str:
    return "ja" if flag else "nee"


def _flag_changes(old: DeliveryPoint, new: DeliveryPoint) -> list[FieldChange]:
    flags = (("OSO", "registered"), ("mag overdracht aanvragen", "may_request"))
    return [
        FieldChange(label, _yes(getattr(old, name)), _yes(getattr(new, name)))
        for label, name in flags
        if getattr(old, name) != getattr(new, name)
    ]


def _with_status(point: DeliveryPoint, status: DeliveryPointStatus) -> DeliveryPoint:
    return attrs.evolve(
        point,
        registered=status.registered,
        may_request=status.registered and status.may_request,
        routing_key=status.routing_key,
    )


def register_delivery_point(
    uow: OsoWork,
    gateway: OsoGateway,
    clock: Clock,
    actor: Actor,
    school_id: int,
    number: str,
    key: str,
) -> DeliveryPoint:
    """R-OSO-1: register number + key from Mijn OSO; Rejected (and kept unusable) on failure."""
    with uow:  # permission first: a school out of reach is not found, whatever the input
        school = load_school(uow, actor, Action.CONFIGURE_OSO, school_id)
    number, key = number.strip(), key.strip()
    _check_input(number, key)
    try:
        status: DeliveryPointStatus | None = gateway.register_delivery_point(
            school.location, number, key
        )
        reason = ""
    except Rejected as error:
        status, reason = None, error.message
    stored = _save_registration(uow, clock, actor, school, (number, key), status, reason)
    if not stored.registered:
        raise Rejected(stored.last_error)
    return stored


def _save_registration(
    uow: OsoWork,
    clock: Clock,
    actor: Actor,
    school: School,
    number_and_key: tuple[str, str],
    status: DeliveryPointStatus | None,
    reason: str,
) -> DeliveryPoint:
    """Save the attempt, also a failed one (the page shows why); OSO's reason goes to the log."""
    number, key = number_and_key
    failed = status is None or not status.registered
    message = REGISTER_FAILED.format(location=school.location) if failed else ""
    with uow:
        old = _point_of(uow, school)
        new = attrs.evolve(old, location=school.location, number=number, key=key)
        new = attrs.evolve(new, registered=False, may_request=False, last_error=message)
        stored = uow.delivery_points.save(new if status is None else _with_status(new, status))
        changes = _flag_changes(old, stored)
        if old.number != number:
            changes.insert(0, FieldChange("aanleverpuntnummer", old.number or None, number))
        if old.key != key:
            changes.append(FieldChange("aanleverpuntsleutel", None, "gewijzigd"))
        detail = ("mislukt: " + reason if reason else "mislukt") if failed else "geslaagd"
        subject = _school_subject(school)
        audit(uow, clock, actor, "oso.aanleverpunt_registreren", subject, *changes, detail=detail)
        uow.commit()
        return stored


def _check_input(number: str, key: str) -> None:
    violations = []
    if not number.isdigit() or int(number) == 0:
        violations.append(
            Violation("aanleverpuntnummer", "Vul het aanleverpuntnummer uit Mijn OSO in.")
        )
    if not key:
        violations.append(Violation("aanleverpuntsleutel", "Vul de sleutel uit Mijn OSO in."))
    if violations:
        raise Rejected("Het aanleverpunt kan niet worden geregistreerd.", violations=violations)


def ping_delivery_point(
    uow: OsoWork, gateway: OsoGateway, clock: Clock, actor: Actor, school_id: int
) -> DeliveryPoint:
    """R-OSO-2: check the connection; shows when the Traffic Center switched requests off."""
    with uow:
        school = load_school(uow, actor, Action.CONFIGURE_OSO, school_id)
        if uow.delivery_points.for_school(school_id) is None:
            raise Rejected("Registreer eerst het aanleverpunt van deze school.")
    try:
        status: DeliveryPointStatus | None = gateway.ping(school.location)
        error = ""
    except (Rejected, Unavailable) as failure:
        status, error = None, failure.message
    with uow:
        old = _point_of(uow, school)
        new = attrs.evolve(old, last_ping_at=clock.now(), last_error=error)
        stored = uow.delivery_points.save(new if status is None else _with_status(new, status))
        changes = _flag_changes(old, stored)
        if changes or error:
            subject = _school_subject(school)
            audit(uow, clock, actor, "oso.aanleverpunt_ping", subject, *changes, detail=error)
        uow.commit()
    return stored


def delivery_points_for(
    uow: OsoWork, actor: Actor, *, board_id: int | None = None, school_id: int | None = None
) -> list[DeliveryPointRow]:
    """OSO → Configureren: a school, a board's schools, or (no argument) every PO location."""
    with uow:
        if school_id is not None:
            schools = [load_school(uow, actor, Action.CONFIGURE_OSO, school_id)]
        elif board_id is not None:
            require(actor, Action.CONFIGURE_OSO, Scope.for_board(board_id))
            schools = list(uow.schools.list(board_id=board_id))
        else:
            require(actor, Action.CONFIGURE_OSO, Scope.region())
            schools = list(uow.schools.list())
        primary = [s for s in schools if s.kind is OrgKind.PO]
        stored = {p.school_id: p for p in uow.delivery_points.list(s.id for s in primary)}
        return [
            DeliveryPointRow(
                s, stored.get(s.id) or DeliveryPoint(school_id=s.id, location=s.location)
            )
            for s in primary
        ]


def store_notifications(
    uow: OsoWork, gateway: OsoGateway, clock: Clock, actor: Actor, school_id: int
) -> int:
    """R-OSO-7: fetch OSO's messages and keep the new ones; returns how many were new."""
    with uow:
        school = load_school(uow, actor, Action.SYNC_OSO, school_id)
    incoming = gateway.notifications(school.location)
    with uow:
        now = clock.now()
        fresh = [
            n
            for n in incoming
            if uow.oso_notifications.add(
                StoredNotification(id=0, school_id=school.id, notification=n, received_at=now)
            )
        ]
        if not fresh:
            return 0
        changes: list[FieldChange] = []
        point = uow.delivery_points.for_school(school.id)
        switched_off = any(n.kind is NotificationKind.SWITCHED_OFF for n in fresh)
        if point is not None and point.may_request and switched_off:
            stored = uow.delivery_points.save(attrs.evolve(point, may_request=False))
            changes = _flag_changes(point, stored)
        detail = f"{len(fresh)} nieuwe melding(en)"
        subject = _school_subject(school)
        audit(uow, clock, actor, "oso.notificaties_ophalen", subject, *changes, detail=detail)
        uow.commit()
        return len(fresh)


def list_notifications(
    uow: OsoWork, actor: Actor, school_id: int, *, limit: int = 200
) -> list[StoredNotification]:
    """R-OSO-7: the school's OSO notifications, newest first."""
    with uow:
        load_school(uow, actor, Action.SYNC_OSO, school_id)
        return list(uow.oso_notifications.for_school(school_id, limit))
