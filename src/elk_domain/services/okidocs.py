"""Use cases on a pupil's Oki-doc: view, complete, inspect, reopen, sync with OSO.

Uploading an attachment is its own use case (``services.attachments``).

Each one checks permissions first (the one rule of ``_support.load_pupil_with_school``, which
also lets a VO school see a pupil registered there), then the lifecycle table, then the content
rules; every change is audited with its field changes and committed through the unit of work.
Saving typed fields is ``okidoc_edit.edit_fields``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from elk_domain import lifecycle
from elk_domain.errors import Conflict, Rejected, Violation
from elk_domain.lifecycle import OkiAction
from elk_domain.merge import MergeMode, MergeResult, attachment_record, merge
from elk_domain.model import fields as f
from elk_domain.model.audit import AuditEntry, FieldChange
from elk_domain.model.dossier import OsoDossier
from elk_domain.model.okidoc import FieldValue, OkiDoc, Provenance, Scalar, Source
from elk_domain.model.organisation import School
from elk_domain.model.people import Actor
from elk_domain.model.pupil import Pupil
from elk_domain.permissions import Action
from elk_domain.ports import Clock, FileStore, UnitOfWork
from elk_domain.services._support import load_pupil_with_school

STALE_OKIDOC = (
    "Iemand anders heeft dit Oki-doc intussen gewijzigd. "
    "Laad de pagina opnieuw en probeer het nog eens."
)


def _pupil_okidoc(
    uow: UnitOfWork, actor: Actor, pupil_id: int, action: Action, school: School | None = None
) -> tuple[Pupil, OkiDoc]:
    """The pupil and Oki-doc after the one permission check every pupil use case makes."""
    pupil, _school = load_pupil_with_school(uow, actor, action, pupil_id, known_school=school)
    return pupil, uow.okidocs.for_pupil(pupil.id)


def _check_version(okidoc: OkiDoc, expected_version: int) -> None:
    if okidoc.version != expected_version:
        raise Conflict(STALE_OKIDOC)


def save_okidoc(
    uow: UnitOfWork,
    actor: Actor,
    pupil: Pupil,
    okidoc: OkiDoc,
    *,
    at: dt.datetime,
    action: str,
    changes: Iterable[FieldChange] = (),
    detail: str = "",
) -> OkiDoc:
    """Store the changed Oki-doc, audit the change and commit (Conflict: the version is stale)."""
    stored = uow.okidocs.update(okidoc)
    uow.audit.record(
        AuditEntry(
            at=at,
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=action,
            subject_type="okidoc",
            subject_id=stored.id,
            school_id=pupil.school_id,
            impersonator_id=actor.impersonator_id,
            changes=tuple(changes),
            detail=detail,
        )
    )
    uow.commit()
    return stored


def get_okidoc(uow: UnitOfWork, actor: Actor, pupil_id: int) -> OkiDoc:
    """The pupil's Oki-doc, for whoever may see the pupil."""
    with uow:
        return _pupil_okidoc(uow, actor, pupil_id, Action.VIEW_PUPIL)[1]


def set_values(
    okidoc: OkiDoc, values: Mapping[str, Scalar | None], provenance: Provenance
) -> tuple[OkiDoc, list[FieldChange]]:
    """The Oki-doc with ``values`` set (None clears) and the list of real changes."""
    fields = dict(okidoc.fields)
    changes: list[FieldChange] = []
    for path, value in values.items():
        old = okidoc.value(path)
        if type(old) is type(value) and old == value:
            continue
        if value is None:
            del fields[path]
        else:
            fields[path] = FieldValue(value, provenance)
        changes.append(FieldChange(path, f.text_of(old), f.text_of(value)))
    return attrs.evolve(okidoc, fields=fields), changes


def complete(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    *,
    uses_lwoo_pro: bool = False,
) -> OkiDoc:
    """R-OKI-2: Onvolledig → Volledig; Rejected lists every required field still empty."""
    with uow:
        pupil, okidoc = _pupil_okidoc(uow, actor, pupil_id, Action.FINALIZE_OKIDOC)
        _check_version(okidoc, expected_version)
        status = lifecycle.transition(okidoc, OkiAction.COMPLETE, uses_lwoo_pro=uses_lwoo_pro)
        updated = attrs.evolve(okidoc, status=status)
        change = FieldChange("status", okidoc.status.label, status.label)
        return save_okidoc(
            uow, actor, pupil, updated, at=clock.now(), action="okidoc.volledig", changes=[change]
        )


def record_inspection(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    *,
    inspected_on: dt.date,
    parents_agree: bool,
    parents_view: str = "",
    uses_lwoo_pro: bool = False,
) -> OkiDoc:
    """R-OKI-3: record the parents' inspection of a Volledig Oki-doc; it becomes Definitief."""
    with uow:
        pupil, okidoc = _pupil_okidoc(uow, actor, pupil_id, Action.FINALIZE_OKIDOC)
        _check_version(okidoc, expected_version)
        lifecycle.apply(okidoc.status, OkiAction.RECORD_INSPECTION)
        now = clock.now()
        if inspected_on > now.date():
            raise Rejected(
                "De datum van inzage ligt in de toekomst.",
                violations=[
                    Violation(f.INSPECTION_DATE, "Vul de datum in waarop ouders inzage hadden.")
                ],
            )
        values: dict[str, Scalar | None] = {
            f.INSPECTION_DATE: inspected_on,
            f.PARENTS_AGREE: parents_agree,
            f.PARENTS_VIEW: parents_view.strip() or None,
            f.STAFF_MEMBER: actor.name,
        }
        updated, changes = set_values(okidoc, values, Provenance(Source.HAND, now, actor.name))
        status = lifecycle.transition(
            updated, OkiAction.RECORD_INSPECTION, uses_lwoo_pro=uses_lwoo_pro
        )
        changes.append(FieldChange("status", okidoc.status.label, status.label))
        updated = attrs.evolve(updated, status=status)
        return save_okidoc(
            uow, actor, pupil, updated, at=now, action="okidoc.inzage", changes=changes
        )


def reopen(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    *,
    reason: str,
) -> OkiDoc:
    """A school administrator reopens a Definitief Oki-doc (e.g. parents ask a correction)."""
    with uow:
        pupil, okidoc = _pupil_okidoc(uow, actor, pupil_id, Action.REOPEN_OKIDOC)
        _check_version(okidoc, expected_version)
        cleaned = lifecycle.require_reason(reason)
        status = lifecycle.apply(okidoc.status, OkiAction.REOPEN)
        updated = attrs.evolve(okidoc, status=status)
        change = FieldChange("status", okidoc.status.label, status.label)
        return save_okidoc(
            uow,
            actor,
            pupil,
            updated,
            at=clock.now(),
            action="okidoc.heropenen",
            changes=[change],
            detail=cleaned,
        )


def merge_dossier(
    uow: UnitOfWork,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    dossier: OsoDossier,
    mode: MergeMode,
    *,
    preview: bool = False,
    trust_inferred_advice: bool = False,
    uses_lwoo_pro: bool = False,
) -> MergeResult:
    """R-OSO-4/6: merge an OSO dossier; ``preview`` shows the changes without saving anything."""
    return merge_fetched_dossier(
        uow,
        files,
        clock,
        actor,
        pupil_id,
        dossier,
        mode,
        school=None,
        preview=preview,
        trust_inferred_advice=trust_inferred_advice,
        uses_lwoo_pro=uses_lwoo_pro,
    )


def merge_fetched_dossier(
    uow: UnitOfWork,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    dossier: OsoDossier,
    mode: MergeMode,
    *,
    school: School | None,
    preview: bool = False,
    trust_inferred_advice: bool = False,
    uses_lwoo_pro: bool = False,
) -> MergeResult:
    """``merge_dossier`` for a sync that read the pupil's ``school`` just before fetching.

    The pupil and the Oki-doc are read again in this transaction (the pupil may have moved, the
    Oki-doc changed, during the OSO calls) and the permission is checked again; only the school
    row is not read twice while the pupil is still at that school.
    """
    with uow:
        pupil, okidoc = _pupil_okidoc(uow, actor, pupil_id, Action.SYNC_OSO, school)
        dossier.check_identity(pupil_bsn=pupil.bsn)  # the pupil as read in this transaction
        now = clock.now()
        result = merge(
            okidoc,
            dossier,
            mode,
            at=now,
            trust_inferred_advice=trust_inferred_advice,
            uses_lwoo_pro=uses_lwoo_pro,
        )
        if preview or result.refused is not None or not result.changed:
            return result
        records = [
            attachment_record(
                a,
                storage_key=files.put(a.data, content_type=a.content_type),
                at=now,
                by=dossier.sender_label,
            )
            for a in result.new_attachments
        ]
        merged = attrs.evolve(result.okidoc, attachments=(*result.okidoc.attachments, *records))
        changes = (*result.changes, *(FieldChange("bijlage", None, r.filename) for r in records))
        stored = save_okidoc(
            uow,
            actor,
            pupil,
            merged,
            at=now,
            action="okidoc.oso_synchroniseren",
            changes=changes,
            detail=f"{mode.value}; {dossier.sender_label} {dossier.dossier_date.isoformat()}",
        )
        return attrs.evolve(result, okidoc=stored)
