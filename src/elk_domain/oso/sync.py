"""Synchroniseer and the bulk actions (R-OSO-4/6/8): fetch each pupil's dossier and merge it.

Every pupil is one job of the batch engine (``batch.OsoBatch``): permission check, OSO call
(outside any transaction), then the merge (``import_dossier.merge_dossier``, reusing the school
row read for the permission check) in a transaction of its own. A failure is reported for that
pupil and the batch goes on. Merging is idempotent, so a batch may be
re-run after a crash. ``sync_one`` shares no mutable state besides the ports: threads may each
run it with their own unit of work.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from elk_domain.errors import ElkError, NotFound, Rejected
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.organisation.model import School
from elk_domain.oso import import_dossier
from elk_domain.oso.batch import BatchPorts, OsoJob, Progress, PupilSync, SyncOutcome, SyncReport
from elk_domain.oso.dossiers.merge import MergeResult
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.ports import OsoGateway, OsoWork
from elk_domain.pupils.access import load_pupil, load_pupil_with_school

NO_DOSSIER = (
    "Er staat geen OSO-dossier klaar. Zet in het LAS een overdracht binnen de eigen BRIN klaar "
    "en probeer het daarna opnieuw."
)


def merged(
    result: MergeResult, *, pupil_id: int, bsn: Bsn, created: bool = False, preview: bool = False
) -> PupilSync:
    """The report item for a merge result (refused: Definitief, nothing changed), with what the
    official rules said about the dossier either way."""
    if result.refused is not None:
        return PupilSync(
            outcome=SyncOutcome.REFUSED,
            pupil_id=pupil_id,
            bsn=bsn,
            message=result.refused,
            rule_messages=result.rule_messages,
        )
    attachments = tuple(FieldChange("bijlage", None, a.filename) for a in result.new_attachments)
    changes = (*result.changes, *attachments)
    if created:
        message = f"Leerling aangemaakt; {len(changes)} gegevens overgenomen."
    elif preview:
        message = f"{len(changes)} wijziging(en) bij synchroniseren."
    else:
        message = f"{len(changes)} wijziging(en)." if changes else "Geen wijzigingen."
    return PupilSync(
        outcome=SyncOutcome.CREATED if created else SyncOutcome.SYNCED,
        pupil_id=pupil_id,
        bsn=bsn,
        message=message,
        changes=changes,
        needs_manual=result.needs_manual,
        to_check=result.to_check,
        rule_messages=result.rule_messages,
    )


def sync_one(
    uow: OsoWork,
    gateway: OsoGateway,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    options: MergeOptions,
) -> PupilSync:
    """Sync one pupil; NotFound/Forbidden when the actor may not, every other failure reported."""
    with uow:
        pupil, school = load_pupil_with_school(uow, actor, Action.SYNC_OSO, pupil_id)
    location = school.location
    if pupil.bsn is None:
        message = "Deze leerling heeft geen BSN in ELK; zonder BSN kan OSO geen dossier vinden."
        return PupilSync(outcome=SyncOutcome.REJECTED, pupil_id=pupil_id, message=message)
    try:
        dossier = gateway.fetch_dossier(location, pupil.bsn)
        if dossier is None:
            return PupilSync(
                outcome=SyncOutcome.NO_DOSSIER, pupil_id=pupil_id, bsn=pupil.bsn, message=NO_DOSSIER
            )
        dossier.check_identity(location=location, pupil_bsn=pupil.bsn)
        result = import_dossier.merge_dossier(
            uow, files, clock, actor, pupil_id, dossier, options, school=school
        )
    except ElkError as error:
        return failure(error, pupil_id=pupil_id, bsn=pupil.bsn)
    return merged(result, pupil_id=pupil_id, bsn=pupil.bsn, preview=options.preview)


def failure(error: ElkError, *, bsn: Bsn | None = None, pupil_id: int | None = None) -> PupilSync:
    """The report item for a refusal (REJECTED) or any other failure (ERROR)."""
    outcome = SyncOutcome.REJECTED if isinstance(error, Rejected) else SyncOutcome.ERROR
    return PupilSync(outcome=outcome, pupil_id=pupil_id, bsn=bsn, message=error.message)


def sync_pupils(
    ports: BatchPorts,
    actor: Actor,
    pupil_ids: Iterable[int],
    options: MergeOptions,
) -> SyncReport:
    """R-OSO-6 bulk actions: refuse the whole selection unless every pupil may be synced, then
    ``sync_each``."""
    wanted = list(dict.fromkeys(pupil_ids))
    with ports.uow_factory() as uow:  # refuse the whole batch up front, before anything changes
        for pupil_id in wanted:
            load_pupil(uow, actor, Action.SYNC_OSO, pupil_id)
    return sync_each(ports, actor, wanted, options)


def sync_each(
    ports: BatchPorts,
    actor: Actor,
    pupil_ids: Iterable[int],
    options: MergeOptions,
    *,
    progress: Progress | None = None,
) -> SyncReport:
    """Sync each pupil as one job of ``ports.batch`` (``elk oso sync`` after ``sync_scope``, and
    the bulk actions); a pupil the actor may no longer sync is reported, not raised."""
    one = functools.partial(
        sync_one, files=ports.files, clock=ports.clock, actor=actor, options=options
    )
    jobs = [_job(one, ports.uow_factory, pupil_id) for pupil_id in dict.fromkeys(pupil_ids)]
    run = ports.batch.run(jobs, progress)
    return SyncReport(
        mode=options.mode, preview=options.preview, items=run.items, interrupted=run.interrupted
    )


def _job(
    one: Callable[..., PupilSync], uow_factory: Callable[[], OsoWork], pupil_id: int
) -> OsoJob:
    def work(gateway: OsoGateway) -> PupilSync:
        try:
            return one(uow_factory(), gateway, pupil_id=pupil_id)
        except ElkError as error:  # the pupil vanished or changed school meanwhile
            return failure(error, pupil_id=pupil_id)

    return OsoJob(work=work, pupil_id=pupil_id)


def sync_scope(
    uow: OsoWork,
    actor: Actor,
    *,
    school: str | None = None,
    board_id: int | None = None,
    everything: bool = False,
) -> list[int]:
    """The pupil ids for ``elk oso sync --school BRIN[VV] | --board ID | --all`` (R-OSO-8)."""
    if [school is not None, board_id is not None, everything].count(True) != 1:
        raise Rejected("Kies precies één bereik: een school (BRIN), een bestuur of alles.")
    with uow:
        ids: list[int] = []
        for found in _schools_in_scope(uow, actor, school, board_id):
            ids.extend(
                p.id
                for p in uow.pupils.list(found.id)
                if allowed(actor, Action.SYNC_OSO, Scope.for_pupil(p, found))
            )
        return ids


def _schools_in_scope(
    uow: OsoWork, actor: Actor, school: str | None, board_id: int | None
) -> list[School]:
    if school is not None:
        location = SchoolLocation.parse(school)
        found = uow.schools.by_location(location)
        if found is None:
            raise NotFound(f"Er is geen school met BRIN en vestiging {location} in ELK.")
        schools = [found]
    elif board_id is not None:
        require(actor, Action.SYNC_OSO, Scope.for_board(board_id))
        schools = list(uow.schools.list(board_id=board_id))
    else:
        require(actor, Action.SYNC_OSO, Scope.region())
        schools = list(uow.schools.list())
    for each in schools:
        require(actor, Action.SYNC_OSO, Scope.for_school(each))
    return [s for s in schools if s.kind is OrgKind.PO]
