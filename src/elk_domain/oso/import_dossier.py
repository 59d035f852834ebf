"""Merging an OSO dossier into a pupil's Oki-doc (R-OSO-4/6), the use case behind every sync.

``merge.merge`` decides what changes; here the permission is checked, the new attachments are
stored and the Oki-doc is saved and audited in one unit of work. ``MergeOptions`` carries how
to merge, from the sync or transfer request down to this one pupil.
"""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.okidoc.saving import OkidocChange, pupil_okidoc, save_okidoc
from elk_domain.organisation.model import School
from elk_domain.oso.dossiers.dossier import OsoDossier
from elk_domain.oso.dossiers.merge import MergeMode, MergeResult, attachment_record, merge
from elk_domain.oso.ports import OsoWork
from elk_domain.oso.rule_notices import keep_rule_messages


@attrs.frozen(kw_only=True)
class MergeOptions:
    """How dossiers are merged, the same for every pupil of a sync or a transfer request.

    ``mode``: what the dossier may fill or replace; ``preview``: show the changes and save
    nothing; ``trust_inferred_advice``: the region's setting for unconfirmed OSO advice codes
    (decision 0005); ``uses_lwoo_pro``: the region's procedure has the LWOO/PrO tab, which then
    counts for completeness.
    """

    mode: MergeMode
    preview: bool = False
    trust_inferred_advice: bool = False
    uses_lwoo_pro: bool = False


def merge_dossier(
    uow: OsoWork,
    files: FileStore,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    dossier: OsoDossier,
    options: MergeOptions,
    *,
    school: School | None = None,
) -> MergeResult:
    """R-OSO-4/6: merge an OSO dossier; a ``preview`` shows the changes without saving anything.

    The pupil and the Oki-doc are read in this transaction (the pupil may have moved, the
    Oki-doc changed, during the OSO calls) and the permission is checked here; ``school``, the
    pupil's school as a sync read it just before fetching, is not read twice while the pupil is
    still at that school. The official rules' messages are kept for the school in the same
    transaction, also when nothing else changes.
    """
    with uow:
        pupil, okidoc = pupil_okidoc(uow, actor, pupil_id, Action.SYNC_OSO, school)
        dossier.check_identity(pupil_bsn=pupil.bsn)  # the pupil as read in this transaction
        now = clock.now()
        result = merge(
            okidoc,
            dossier,
            options.mode,
            at=now,
            trust_inferred_advice=options.trust_inferred_advice,
            uses_lwoo_pro=options.uses_lwoo_pro,
        )
        if options.preview:
            return result
        kept = keep_rule_messages(uow, clock, actor, pupil, okidoc, dossier)
        if result.refused is not None or not result.changed:
            if kept:
                uow.commit()
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
        source = f"{dossier.sender_label} {dossier.dossier_date.isoformat()}"
        audited = OkidocChange(
            action="okidoc.oso_synchroniseren",
            at=now,
            changes=changes,
            detail=f"{options.mode.value}; {source}",
        )
        stored = save_okidoc(uow, actor, pupil, merged, audited)
        return attrs.evolve(result, okidoc=stored)
