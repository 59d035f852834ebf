"""Use cases on a pupil's Oki-doc: view, complete, record the inspection, reopen.

Typed fields are saved by ``edit.edit_fields``, attachments uploaded by ``attachments``, OSO
dossiers merged by ``oso.import_dossier``. Each use case checks permissions first
(``saving.pupil_okidoc``, which also lets a VO school see a pupil registered there), then the
lifecycle table, then the content rules; every change is audited with its field changes and
committed through the unit of work (``saving.save_okidoc``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.lifecycle import OkiAction
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Scalar, Source
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.saving import OkidocChange, _check_version, pupil_okidoc, save_okidoc


def get_okidoc(uow: OkidocWork, actor: Actor, pupil_id: int) -> OkiDoc:
    """The pupil's Oki-doc, for whoever may see the pupil."""
    with uow:
        return pupil_okidoc(uow, actor, pupil_id, Action.VIEW_PUPIL)[1]


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
    uow: OkidocWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    *,
    uses_lwoo_pro: bool = False,
) -> OkiDoc:
    """R-OKI-2: Onvolledig → Volledig; Rejected lists every required field still empty."""
    with uow:
        pupil, okidoc = pupil_okidoc(uow, actor, pupil_id, Action.FINALIZE_OKIDOC)
        _check_version(okidoc, expected_version)
        status = lifecycle.transition(okidoc, OkiAction.COMPLETE, uses_lwoo_pro=uses_lwoo_pro)
        updated = attrs.evolve(okidoc, status=status)
        change = FieldChange("status", okidoc.status.label, status.label)
        audited = OkidocChange(action="okidoc.volledig", at=clock.now(), changes=(change,))
        return save_okidoc(uow, actor, pupil, updated, audited)


@attrs.frozen(kw_only=True)
class RecordInspection:
    """The parents have seen the Volledig Oki-doc (R-OKI-3): when, whether they agree, their view.

    ``uses_lwoo_pro``: the region's procedure has the LWOO/PrO tab, which then counts for
    completeness.
    """

    pupil_id: int
    expected_version: int
    inspected_on: dt.date
    parents_agree: bool
    parents_view: str = ""
    uses_lwoo_pro: bool = False


def record_inspection(
    uow: OkidocWork, clock: Clock, actor: Actor, command: RecordInspection
) -> OkiDoc:
    """R-OKI-3: record the parents' inspection of a Volledig Oki-doc; it becomes Definitief."""
    with uow:
        pupil, okidoc = pupil_okidoc(uow, actor, command.pupil_id, Action.FINALIZE_OKIDOC)
        _check_version(okidoc, command.expected_version)
        lifecycle.apply(okidoc.status, OkiAction.RECORD_INSPECTION)
        now = clock.now()
        if command.inspected_on > now.date():
            raise Rejected(
                "De datum van inzage ligt in de toekomst.",
                violations=[
                    Violation(f.INSPECTION_DATE, "Vul de datum in waarop ouders inzage hadden.")
                ],
            )
        values: dict[str, Scalar | None] = {
            f.INSPECTION_DATE: command.inspected_on,
            f.PARENTS_AGREE: command.parents_agree,
            f.PARENTS_VIEW: command.parents_view.strip() or None,
            f.STAFF_MEMBER: actor.name,
        }
        updated, changes = set_values(okidoc, values, Provenance(Source.HAND, now, actor.name))
        status = lifecycle.transition(
            updated, OkiAction.RECORD_INSPECTION, uses_lwoo_pro=command.uses_lwoo_pro
        )
        changes.append(FieldChange("status", okidoc.status.label, status.label))
        updated = attrs.evolve(updated, status=status)
        audited = OkidocChange(action="okidoc.inzage", at=now, changes=tuple(changes))
        return save_okidoc(uow, actor, pupil, updated, audited)


def reopen(
    uow: OkidocWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    *,
    reason: str,
) -> OkiDoc:
    """A school administrator reopens a Definitief Oki-doc (e.g. parents ask a correction)."""
    with uow:
        pupil, okidoc = pupil_okidoc(uow, actor, pupil_id, Action.REOPEN_OKIDOC)
        _check_version(okidoc, expected_version)
        cleaned = lifecycle.require_reason(reason)
        status = lifecycle.apply(okidoc.status, OkiAction.REOPEN)
        updated = attrs.evolve(okidoc, status=status)
        change = FieldChange("status", okidoc.status.label, status.label)
        audited = OkidocChange(
            action="okidoc.heropenen", at=clock.now(), changes=(change,), detail=cleaned
        )
        return save_okidoc(uow, actor, pupil, updated, audited)
