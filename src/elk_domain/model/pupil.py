"""A group-8 pupil as ELK knows them: identity, school, group and parent-login progress."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from elk_domain.model.values import Bsn, ElkNumber, PersonName


class ParentLoginStatus(enum.Enum):
    """R-OUD-2: not sent → sent → activated → registration started (AG) → completed (AV)."""

    NOT_SENT = "niet_verstuurd"
    SENT = "verstuurd"
    ACTIVATED = "geactiveerd"
    REGISTRATION_STARTED = "aanmelding_gestart"
    REGISTRATION_COMPLETED = "aanmelding_voltooid"


class ReasonNotPlaced(enum.Enum):
    """R-LL-3: why a pupil will not be placed in VO through ELK."""

    UITGESCHREVEN = "uitgeschreven"
    VERHUISD = "verhuisd"
    DOUBLEERDER = "groep-8-doubleerder"

    @property
    def label(self) -> str:
        """Dutch label."""
        return {"uitgeschreven": "Uitgeschreven", "verhuisd": "Verhuisd"}.get(
            self.value, "Groep-8-doubleerder"
        )


@attrs.frozen(kw_only=True)
class Pupil:
    """Identity and administrative state of a pupil; the content lives in their Oki-doc."""

    id: int
    elk_number: ElkNumber
    school_id: int
    name: PersonName
    bsn: Bsn | None = None
    birth_date: dt.date | None = None
    group_id: int | None = None
    parent_login: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    parent_login_amsterdam: ParentLoginStatus = ParentLoginStatus.NOT_SENT
    reason_not_placed: ReasonNotPlaced | None = None
    version: int = 1
