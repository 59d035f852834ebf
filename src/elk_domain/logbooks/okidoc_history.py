"""Per Oki-doc: who changed which field when, including OSO syncs, from the audit log."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil

_ACTIONS = {
    "okidoc.wijzigen": "Gewijzigd",
    "okidoc.volledig": "Volledig gemaakt",
    "okidoc.inzage": "Inzage ouders vastgelegd",
    "okidoc.heropenen": "Heropend",
    "okidoc.oso_synchroniseren": "Gesynchroniseerd met OSO",
    "okidoc.bijlage": "Bijlage toegevoegd",
    "okidoc.advies_gecontroleerd": "Advies gecontroleerd",
    "okidoc.oso_regelmeldingen": "Meldingen van de officiële OSO-regels",
    "okidoc.vo_inzage": "Bekeken door VO",  # elk_domain.vo.dossier.VIEWED
    "okidoc.vo_tafelmiddag": "Tafelmiddag VO aangegeven",
}
_SPECIAL = {"status": "Status", "bijlage": "Bijlage", f.TAFELMIDDAG_VO: "Tafelmiddag VO"}


@attrs.frozen(kw_only=True)
class HistoryLine:
    """One changed field in one audited action."""

    at: dt.datetime
    who: str
    action: str
    field: str
    old: str | None
    new: str | None
    oso: bool
    detail: str = ""


def _label(path: str) -> str:
    if path in _SPECIAL:
        return _SPECIAL[path]
    return f.spec_for(path).label if f.is_known(path) else path


def okidoc_history(uow: OkidocWork, actor: Actor, pupil_id: int) -> tuple[Pupil, list[HistoryLine]]:
    """The pupil and their Oki-doc's changes, newest first (for whoever may see the pupil)."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        entries = uow.audit.for_subject("okidoc", okidoc.id)
    lines: list[HistoryLine] = []
    for entry in reversed(entries):
        action = _ACTIONS.get(entry.action, entry.action)
        oso = "oso" in entry.action
        who = entry.actor_name
        changes = entry.changes or ()
        if not changes:
            lines.append(
                HistoryLine(
                    at=entry.at,
                    who=who,
                    action=action,
                    field="",
                    old=None,
                    new=None,
                    oso=oso,
                    detail=entry.detail,
                )
            )
        for change in changes:
            lines.append(
                HistoryLine(
                    at=entry.at,
                    who=who,
                    action=action,
                    field=_label(change.path),
                    old=change.old,
                    new=change.new,
                    oso=oso,
                    detail=entry.detail,
                )
            )
    return pupil, lines
