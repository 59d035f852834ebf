"""What the OSO pages show around the use cases: the school chosen, its point, pupils' names.

Each function runs one OSO use case (or reads what a page needs before one) and adds what the
page shows besides, so a view calls exactly one function. Permissions stay with the use cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.organisation.model import School
from elk_domain.oso.batch import BatchPorts, SyncReport
from elk_domain.oso.config import list_notifications, load_school
from elk_domain.oso.delivery_point import DeliveryPoint, StoredNotification
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.ports import OsoWork
from elk_domain.oso.sync import sync_pupils
from elk_domain.oso.transfer import TransferReport, request_transfers
from elk_domain.pupils.access import load_pupil

NO_SCHOOL = "Er is geen basisschool waarvoor u gegevens via OSO kunt ophalen."
NO_MODE = "Kies een bulkactie: synchroniseren, met overschrijven, of doorstroomtoets."
NO_PUPILS = "Selecteer eerst een of meer leerlingen."


@attrs.frozen
class OsoSchool:
    """The PO school an OSO page is about, its delivery point, and the schools one may pick."""

    school: School
    point: DeliveryPoint
    choices: tuple[School, ...]


@attrs.frozen
class NamedReport:
    """A sync or transfer report with the names of the pupils in it (by pupil id)."""

    report: SyncReport
    names: Mapping[int, str]


def oso_school(uow: OsoWork, actor: Actor, school_id: int | None = None) -> OsoSchool:
    """The chosen school (default: the actor's own, else the first one within reach)."""
    with uow:
        choices = _choices(uow, actor)
        if school_id is None:
            school_id = actor.school_id
            if school_id is None and choices:
                school_id = choices[0].id
        if school_id is None:
            raise Rejected(NO_SCHOOL)
        school = load_school(uow, actor, Action.SYNC_OSO, school_id)
        stored = uow.delivery_points.for_school(school.id)
        point = stored or DeliveryPoint(school_id=school.id, location=school.location)
        return OsoSchool(school, point, tuple(choices))


def _choices(uow: OsoWork, actor: Actor) -> list[School]:
    if actor.school_id is not None:
        schools = [uow.schools.get(actor.school_id)]
    else:
        schools = list(uow.schools.list(board_id=actor.board_id))
    return [
        s
        for s in schools
        if s.kind is OrgKind.PO and allowed(actor, Action.SYNC_OSO, Scope.for_school(s))
    ]


def sync_selected(
    ports: BatchPorts,
    actor: Actor,
    pupil_ids: Iterable[int],
    mode: MergeMode | None,
    *,
    preview: bool = False,
    trust_inferred_advice: bool = False,
) -> NamedReport:
    """R-OSO-6 bulk action from the pupils overview, with the pupils' names for the result.

    ``mode`` None: no (known) bulk action was chosen. Reach and role are checked before the
    form is judged, so a pupil out of reach is not found whatever else was posted.
    ``trust_inferred_advice``: the region's setting for unconfirmed advice codes (0005).
    """
    wanted = list(pupil_ids)
    if mode is None or not wanted:
        _require_sync(ports.uow_factory(), actor, wanted)
        raise Rejected(NO_MODE if mode is None else NO_PUPILS)
    options = MergeOptions(mode=mode, preview=preview, trust_inferred_advice=trust_inferred_advice)
    report = sync_pupils(ports, actor, wanted, options)
    return NamedReport(report, _names(ports.uow_factory(), actor, report))


def _require_sync(uow: OsoWork, actor: Actor, pupil_ids: Iterable[int]) -> None:
    """Raise NotFound/Forbidden unless the actor may sync these pupils (or, none named, any)."""
    with uow:
        ids = list(pupil_ids)
        for pupil_id in ids:
            load_pupil(uow, actor, Action.SYNC_OSO, pupil_id)
        if not ids:
            own = Scope(school_id=actor.school_id, board_id=actor.board_id)
            require(actor, Action.SYNC_OSO, own)


def transfer(
    ports: BatchPorts,
    actor: Actor,
    school_id: int,
    text: str,
    *,
    overwrite: bool = False,
    trust_inferred_advice: bool = False,
) -> NamedReport:
    """R-OSO-3 "Aanvragen overdracht", with the names of the pupils created or synced.

    ``overwrite``: the form's "Overschrijven"; ``trust_inferred_advice``: the region's setting
    for unconfirmed advice codes (0005).
    """
    mode = MergeMode.OVERWRITE if overwrite else MergeMode.FILL
    options = MergeOptions(mode=mode, trust_inferred_advice=trust_inferred_advice)
    report: TransferReport = request_transfers(ports, actor, school_id, text, options)
    return NamedReport(report, _names(ports.uow_factory(), actor, report))


def _names(uow: OsoWork, actor: Actor, report: SyncReport) -> dict[int, str]:
    ids = [item.pupil_id for item in report.items if item.pupil_id is not None]
    with uow:
        return {i: load_pupil(uow, actor, Action.VIEW_PUPIL, i).name.full() for i in ids}


@attrs.frozen
class NotificationsPage:
    """OSO notificaties: the school (and the choice of schools) with its stored messages."""

    school: OsoSchool
    items: tuple[StoredNotification, ...]


def notifications_page(
    uow: OsoWork, actor: Actor, school_id: int | None = None
) -> NotificationsPage:
    """R-OSO-7: the chosen school's OSO notifications, newest first."""
    chosen = oso_school(uow, actor, school_id)
    items = list_notifications(uow, actor, chosen.school.id)
    return NotificationsPage(chosen, tuple(items))
