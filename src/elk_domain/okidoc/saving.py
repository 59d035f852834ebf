"""Loading and saving an Oki-doc inside a use case: the access rule, the version check, the audit.

The building block of every use case that changes an Oki-doc, in this area and in ``oso`` (merging a
dossier): a use case loads with ``pupil_okidoc`` and stores with ``save_okidoc``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Conflict
from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc.model import OkiDoc
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.organisation.model import School
from elk_domain.pupils.access import load_pupil_with_school
from elk_domain.pupils.model import Pupil

STALE_OKIDOC = (
    "Iemand anders heeft dit Oki-doc intussen gewijzigd. "
    "Laad de pagina opnieuw en probeer het nog eens."
)


def pupil_okidoc(
    uow: OkidocWork, actor: Actor, pupil_id: int, action: Action, school: School | None = None
) -> tuple[Pupil, OkiDoc]:
    """The pupil and Oki-doc after the one permission check every pupil use case makes."""
    pupil, _school = load_pupil_with_school(uow, actor, action, pupil_id, known_school=school)
    return pupil, uow.okidocs.for_pupil(pupil.id)


def _check_version(okidoc: OkiDoc, expected_version: int) -> None:
    if okidoc.version != expected_version:
        raise Conflict(STALE_OKIDOC)


@attrs.frozen(kw_only=True)
class OkidocChange:
    """What a use case did to an Oki-doc, as its audit row records it: the audit action, when,
    the field changes and a free-text detail (a reason, the dossier's sender)."""

    action: str
    at: dt.datetime
    changes: tuple[FieldChange, ...] = ()
    detail: str = ""


def save_okidoc(
    uow: OkidocWork, actor: Actor, pupil: Pupil, okidoc: OkiDoc, change: OkidocChange
) -> OkiDoc:
    """Store the changed Oki-doc, audit the change and commit (Conflict: the version is stale)."""
    stored = store_okidoc(uow, actor, pupil, okidoc, change)
    uow.commit()
    return stored


def store_okidoc(
    uow: OkidocWork, actor: Actor, pupil: Pupil, okidoc: OkiDoc, change: OkidocChange
) -> OkiDoc:
    """``save_okidoc`` without the commit: for a use case that saves many in one transaction."""
    stored = uow.okidocs.update(okidoc)
    uow.audit.record(
        AuditEntry(
            at=change.at,
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=change.action,
            subject_type="okidoc",
            subject_id=stored.id,
            school_id=pupil.school_id,
            impersonator_id=actor.impersonator_id,
            changes=change.changes,
            detail=change.detail,
        )
    )
    return stored
