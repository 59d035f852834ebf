"""The parent's account for a portal (one per pupil and portal, username = ELK number), and
what a parent sends the school: a request to correct the child's data."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.organisation.procedure import ParentPortal

MIN_PASSWORD_LENGTH = 10  # the same as staff (R-AUTH-7): a child's place depends on it
MAX_PASSWORD_LENGTH = 256  # argon2 costs memory: refuse absurd input before hashing


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
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens."
        problems.append(Violation("wachtwoord", message))
    elif len(password) > MAX_PASSWORD_LENGTH:
        message = f"Kies een wachtwoord van hoogstens {MAX_PASSWORD_LENGTH} tekens."
        problems.append(Violation("wachtwoord", message))
    elif elk_number in password:
        message = "Het ELK-nummer van uw kind mag niet in het wachtwoord staan."
        problems.append(Violation("wachtwoord", message))
    if password != repeat:
        problems.append(Violation("herhaling", "De twee wachtwoorden zijn niet gelijk."))
    if problems:
        raise Rejected("Het wachtwoord is niet ingesteld.", violations=problems)
