"""Use cases on a pupil's Oki-doc: view, complete, inspect, reopen, sync with OSO.

Uploading an attachment is its own use case (``services.attachments``).

Each one checks permissions first (the one rule of ``_support.load_pupil_with_school``, which
also lets a VO school see a pupil registered there), then the lifecycle table, then the content
rules; every change is audited with its field changes and committed through the unit of work.
Saving typed fields is ``okidoc_edit.edit_fields``.
"""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.okidoc.saving import OkidocChange, pupil_okidoc, save_okidoc
from elk_domain.organisation.model import School
from elk_domain.oso.dossier import OsoDossier
from elk_domain.oso.merge import MergeMode, MergeResult, attachment_record, merge
from elk_domain.oso.ports import OsoWork


def merge_dossier(
    uow: OsoWork,
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
    uow: OsoWork,
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
        pupil, okidoc = pupil_okidoc(uow, actor, pupil_id, Action.SYNC_OSO, school)
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
        audited = OkidocChange(
            action="okidoc.oso_synchroniseren",
            at=now,
            changes=changes,
            detail=f"{mode.value}; {dossier.sender_label} {dossier.dossier_date.isoformat()}",
        )
        stored = save_okidoc(uow, actor, pupil, merged, audited)
        return attrs.evolve(result, okidoc=stored)
