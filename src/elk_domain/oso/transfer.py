"""Aanvragen overdracht (R-OSO-3): request the dossiers of a pasted BSN list and read them in.

Each valid BSN is one job of the batch engine (``batch.OsoBatch``). A BSN without a pupil
at the school yet creates the pupil and an empty Oki-doc, and merges the dossier into it, all
in one transaction: a crash leaves either everything or nothing, and the re-run finds the pupil
by BSN instead of creating it twice.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import attrs

from elk_domain.errors import ElkError, Rejected
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.kernel.support import audit
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Group, School
from elk_domain.oso import import_dossier
from elk_domain.oso.batch import BatchPorts, OsoJob, Progress, PupilSync, SyncOutcome, SyncReport
from elk_domain.oso.bsn_list import BsnList, parse_bsn_list
from elk_domain.oso.config import load_school
from elk_domain.oso.dossiers.dossier import OsoDossier
from elk_domain.oso.dossiers.withheld import delivered
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.ports import OsoGateway, OsoWork
from elk_domain.oso.sync import NO_DOSSIER, failure, merged
from elk_domain.pupils.access import pupil_subject
from elk_domain.pupils.model import Pupil

NOT_REGISTERED = (
    "Het OSO-aanleverpunt van deze school is nog niet geregistreerd. Vraag uw bovenschoolse "
    "contactpersoon het te registreren onder OSO → Configureren."
)
SWITCHED_OFF = (
    "OSO heeft 'Mag overdracht aanvragen' voor deze school uitgeschakeld, meestal na een foutief "
    "dossier. Neem contact op met de OSO-servicedesk en registreer het aanleverpunt daarna opnieuw."
)


@attrs.frozen(kw_only=True)
class TransferReport(SyncReport):
    """The result of "Aanvragen overdracht": the parsed list and one item per valid BSN."""

    location: SchoolLocation
    parsed: BsnList


def request_transfers(
    ports: BatchPorts,
    actor: Actor,
    school_id: int,
    text: str,
    options: MergeOptions,
    *,
    progress: Progress | None = None,
) -> TransferReport:
    """R-OSO-3: request, fetch and read in the dossier of every valid BSN in ``text``.

    ``options`` may not be a preview: a pupil new to the school would be created all the same.
    """
    if options.preview:
        raise ValueError("Aanvragen overdracht has no preview")
    with ports.uow_factory() as uow:
        school = load_school(uow, actor, Action.SYNC_OSO, school_id)
        point = uow.delivery_points.for_school(school_id)
    if point is None or not point.registered:
        raise Rejected(NOT_REGISTERED)
    if not point.may_request:
        raise Rejected(SWITCHED_OFF)
    parsed = parse_bsn_list(text)
    if parsed.is_empty:
        raise Rejected("Plak of typ minstens één BSN.")
    one = functools.partial(
        transfer_one,
        files=ports.files,
        clock=ports.clock,
        actor=actor,
        school=school,
        options=options,
    )
    run = ports.batch.run([_job(one, ports.uow_factory, bsn) for bsn in parsed.valid], progress)
    return TransferReport(
        mode=options.mode,
        items=run.items,
        interrupted=run.interrupted,
        location=school.location,
        parsed=parsed,
    )


def _job(one: Callable[..., PupilSync], uow_factory: Callable[[], OsoWork], bsn: Bsn) -> OsoJob:
    """The transfer of one BSN as a job, with a unit of work of its own."""
    return OsoJob(work=lambda gateway: one(uow_factory(), gateway, bsn=bsn), bsn=bsn)


def transfer_one(
    uow: OsoWork,
    gateway: OsoGateway,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    school: School,
    bsn: Bsn,
    options: MergeOptions,
) -> PupilSync:
    """Request one pupil's dossier and read it in; every failure becomes the pupil's outcome.

    ``options.preview`` must be off: a pupil new to the school would be created all the same.
    """
    try:
        gateway.request_transfer(school.location, bsn)
        dossier = gateway.fetch_dossier(school.location, bsn)
        if dossier is None:
            return PupilSync(outcome=SyncOutcome.NO_DOSSIER, bsn=bsn, message=NO_DOSSIER)
        dossier.check_identity(location=school.location, pupil_bsn=bsn)
        with uow:
            existing = uow.pupils.by_bsn(school.id, bsn)
            if existing is None:
                return _create(uow, files, clock, actor, school, dossier, options)
        result = import_dossier.merge_dossier(
            uow, files, clock, actor, existing.id, dossier, options
        )
        return merged(result, pupil_id=existing.id, bsn=bsn)
    except ElkError as error:
        return failure(error, bsn=bsn)


def _create(
    uow: OsoWork,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    school: School,
    dossier: OsoDossier,
    options: MergeOptions,
) -> PupilSync:
    """Pupil, empty Oki-doc and merge in the open transaction; committed together. The pupil's
    name and group come only from what the parents let through (``withheld.delivered``)."""
    pupil = _add_pupil(uow, clock, actor, school, delivered(dossier))
    uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
    joined = JoinedUnitOfWork(uow)
    result = import_dossier.merge_dossier(joined, files, clock, actor, pupil.id, dossier, options)
    uow.commit()
    return merged(result, pupil_id=pupil.id, bsn=dossier.bsn, created=True)


def _add_pupil(
    uow: OsoWork, clock: Clock, actor: Actor, school: School, dossier: OsoDossier
) -> Pupil:
    values = dossier.fields
    name = PersonName(
        first=_text(values.get(f.PUPIL_FIRST_NAME)),
        last=_text(values.get(f.PUPIL_LAST_NAME)) or "(onbekend)",
        tussenvoegsel=_text(values.get(f.PUPIL_TUSSENVOEGSEL)),
    )
    birth = values.get(f.PUPIL_BIRTH_DATE)
    # The number first: it holds the counter until the commit (on PostgreSQL a row lock), so
    # transfers running at once create their pupils, and a new group, one after another.
    number = ElkNumber(uow.pupils.next_elk_number())
    group = _group(uow, school, dossier.group_name)
    pupil = uow.pupils.add(
        Pupil(
            id=0,
            elk_number=number,
            school_id=school.id,
            name=name,
            bsn=dossier.bsn,
            birth_date=birth if isinstance(birth, dt.date) else None,
            group_id=None if group is None else group.id,
        )
    )
    changes = [FieldChange("naam", None, name.full())]
    if group is not None:
        changes.append(FieldChange("groep", None, group.name))
    detail = f"uit OSO-dossier van {dossier.sender_label}; BSN {dossier.bsn.masked()}"
    audit(uow, clock, actor, "leerling.aanmaken_oso", pupil_subject(pupil), *changes, detail=detail)
    return pupil


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _group(uow: OsoWork, school: School, name: str) -> Group | None:
    """The school's group with the LAS's group name, created when it is new (R-OSO-4)."""
    name = name.strip()
    if not name:
        return None
    for group in uow.groups.list(school.id):
        if group.name.strip().casefold() == name.casefold():
            return group
    return uow.groups.add(Group(id=0, school_id=school.id, name=name))


class JoinedUnitOfWork:
    """An open unit of work lent to a use case that commits itself: its commit waits for ours.

    Entering and committing do nothing; the owner of the transaction commits once, so the
    borrowed work and our own land together or not at all.
    """

    def __init__(self, outer: OsoWork) -> None:
        self._outer = outer

    def __getattr__(self, name: str) -> Any:
        """Every repository is the outer transaction's."""
        return getattr(self._outer, name)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        """Left to the owner of the transaction."""

    def rollback(self) -> None:
        """Throw away the whole outer transaction: half of it must never be committed."""
        self._outer.rollback()
