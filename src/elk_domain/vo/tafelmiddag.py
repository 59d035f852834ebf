"""Tafelmiddag VO (R-AUTH-5, R-LL-1): the VO school marks that a registered pupil came to its
"tafelmiddag"; the primary school sees the tick in its pupil overview.

The mark is a value of the pupil's Oki-doc (``fields.TAFELMIDDAG_VO``), saved through the
Oki-doc's one save path, so it is versioned, audited and shown in the Oki-doc's history.
"""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.okidoc.saving import OkidocChange, pupil_okidoc, save_okidoc
from elk_domain.vo.ports import VoWork

MARKED = "okidoc.vo_tafelmiddag"
"""The audit action; the Oki-doc's history shows it as "Tafelmiddag VO aangegeven"."""


def mark_tafelmiddag(
    uow: VoWork, clock: Clock, actor: Actor, pupil_id: int, *, attended: bool
) -> OkiDoc:
    """Set or clear the pupil's Tafelmiddag VO (only the VO school the pupil registered at)."""
    with uow:
        pupil, okidoc = pupil_okidoc(uow, actor, pupil_id, Action.MARK_TAFELMIDDAG_VO)
        before = okidoc.value(fields.TAFELMIDDAG_VO) is True
        if before == attended:
            return okidoc
        now = clock.now()
        value = FieldValue(attended, Provenance(Source.HAND, now, actor.name))
        changed = attrs.evolve(okidoc, fields={**okidoc.fields, fields.TAFELMIDDAG_VO: value})
        change = FieldChange(fields.TAFELMIDDAG_VO, _yes_no(before), _yes_no(attended))
        return save_okidoc(
            uow, actor, pupil, changed, OkidocChange(action=MARKED, at=now, changes=(change,))
        )


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"
