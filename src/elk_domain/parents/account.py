"""The parent's account for a portal (one per pupil and portal, username = ELK number), and
what a parent sends the school: a request to correct the child's data; the orientation lists
of praktijkscholen and tussenvoorzieningen (R-AAN-6)."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Message
from elk_domain.kernel.password_rules import check_new_password
from elk_domain.organisation.procedure import ParentPortal


@attrs.frozen(kw_only=True)
class ParentAccount:
    """A parent login; only a digest of the set-password token is kept, never the token."""

    id: int
    pupil_id: int
    portal: ParentPortal = ParentPortal.ELK
    email: str
    password_hash: str | None = None
    token_digest: str | None = None
    token_expires_at: dt.datetime | None = None
    # Bumped by logout and a new password: every session cookie issued before stops working.
    session_version: int = 1
    version: int = 1


@attrs.frozen(kw_only=True)
class CorrectionRequest:
    """A parent's message that something in the child's data is wrong."""

    id: int
    pupil_id: int
    school_id: int
    message: str
    created_at: dt.datetime
    version: int = 1


def check_parent_password(elk_number: str, password: str, repeat: str) -> None:
    """At least 10 characters, at most 256, not the ELK number, typed the same twice."""

    def unsuitable(candidate: str) -> Message | None:
        if elk_number in candidate:
            return Message("Het ELK-nummer van uw kind mag niet in het wachtwoord staan.")
        return None

    check_new_password(password, repeat, unsuitable)


@attrs.frozen(kw_only=True)
class OrientationEntry:
    """R-AAN-6: a pupil on a VO school's orientation list, found placeable there or not."""

    id: int
    vo_school_id: int
    pupil_id: int
    placeable: bool
    recorded_at: dt.datetime
    version: int = 1
