"""Organisation kinds (PO and VO), staff users, roles and the acting principal handed to every
use case."""

from __future__ import annotations

import enum

import attrs


class OrgKind(enum.Enum):
    """Primary (po) or secondary (vo) education."""

    PO = "po"
    VO = "vo"


class Role(enum.Enum):
    """What a user is in ELK (R-AUTH-1..6)."""

    FUNCTIONAL_ADMIN = "functioneel_beheerder"
    BOARD_CONTACT = "bestuurscontact"
    SCHOOL_ADMIN = "beheerder"
    END_USER = "invoeren_accorderen"
    VO_USER = "vo_gebruiker"
    VO_ADMIN = "vo_beheerder"  # the "Beheerder" of a VO school: its users and school data
    PARENT = "ouder"

    @property
    def label(self) -> str:
        """The Dutch name shown in the UI."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.FUNCTIONAL_ADMIN: "Functioneel beheerder",
    Role.BOARD_CONTACT: "Bestuurscontactpersoon",
    Role.SCHOOL_ADMIN: "Beheerder",
    Role.END_USER: "Invoeren en accorderen",
    Role.VO_USER: "VO-gebruiker",
    Role.VO_ADMIN: "VO-beheerder",
    Role.PARENT: "Ouder/verzorger",
}


@attrs.frozen(kw_only=True)
class User:
    """A staff account; the username is the e-mail address (R-AUTH-7)."""

    id: int
    email: str
    display_name: str
    role: Role
    org_kind: OrgKind | None = None
    board_id: int | None = None
    school_id: int | None = None
    active: bool = True
    password_hash: str | None = None
    totp_secret: str | None = None
    totp_last_step: int | None = None  # the last 2FA code's time step: codes are never replayed
    recovery_codes: frozenset[str] = frozenset()  # SHA-256 digests of unused recovery codes
    session_version: int = 1
    version: int = 1


@attrs.frozen(kw_only=True)
class Actor:
    """Who is acting: role and scope, resolved once per request and passed to use cases."""

    user_id: int
    name: str
    role: Role
    board_id: int | None = None
    school_id: int | None = None
    group_ids: frozenset[int] = frozenset()  # non-empty: a group contact sees only these
    pupil_id: int | None = None  # parents: their own child
    impersonator_id: int | None = None  # set while a board contact is "logged in as" this user
    # The person at the keyboard has a second factor: the user's own 2FA, or while helping
    # ("inloggen als") the helper's. Managing users and impersonating need it (decision 0033).
    second_factor: bool = False

    @classmethod
    def system(cls, name: str = "systeem") -> Actor:
        """The actor for batch jobs started by an operator from the CLI."""
        return cls(user_id=0, name=name, role=Role.FUNCTIONAL_ADMIN)
