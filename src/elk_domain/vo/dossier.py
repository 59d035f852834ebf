"""The dossier after registration (R-AUTH-5, the OSO rule): a VO school's staff may read the
Oki-doc of a pupil registered there, and every such view is audited on the Oki-doc, so the
primary school sees it in the Oki-doc's history.

Who may see the pupil is the one access rule (``pupils.access``): a definitive registration with
the VO school as first choice. Views by the primary school's own staff are not logged here.
"""

from __future__ import annotations

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import VO_ROLES, Action
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.pupils.access import load_pupil
from elk_domain.vo.ports import VoWork

VIEWED = "okidoc.vo_inzage"
"""The audit action of a VO view; the Oki-doc's history shows it as "Bekeken door VO"."""


def record_dossier_view(uow: VoWork, clock: Clock, actor: Actor, pupil_id: int, what: str) -> None:
    """Audit that VO staff saw ``what`` ("Oki-doc, tab Advies", "Oki-doc PDF", "Notities")."""
    if actor.role not in VO_ROLES:
        return
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        school = "" if actor.school_id is None else uow.schools.get(actor.school_id).name
        subject = Subject(type="okidoc", id=okidoc.id, school_id=pupil.school_id)
        audit(uow, clock, actor, VIEWED, subject, detail=f"{what} ({school})")
        uow.commit()
