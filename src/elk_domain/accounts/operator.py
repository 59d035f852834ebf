"""Accounts an operator makes from the command line (``elk user create-admin``), audited.

The operator is not a user of ELK: the audit entry names the command and the system account
that ran it (``Actor.system``), as the other CLI commands do (decision 0057).
"""

from __future__ import annotations

import attrs

from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.signin import user_subject
from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.kernel.ports import Clock, PasswordHasher
from elk_domain.kernel.support import audit
from elk_domain.kernel.values import Email

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
DEFAULT_NAME = "Functioneel beheerder"


@attrs.frozen
class CreateAdmin:
    """The operator's input: the address (also the username), a display name, a password."""

    email: str
    name: str
    password: str = attrs.field(repr=False)


def create_functional_admin(
    uow: AccountsWork, clock: Clock, hasher: PasswordHasher, actor: Actor, command: CreateAdmin
) -> User:
    """Store a new functional administrator (R-AUTH-7) and audit it as the operator's act."""
    address = str(Email.parse(command.email))
    if not MIN_PASSWORD_LENGTH <= len(command.password) <= MAX_PASSWORD_LENGTH:
        raise Rejected(
            f"Het wachtwoord moet {MIN_PASSWORD_LENGTH} tot {MAX_PASSWORD_LENGTH} tekens lang zijn."
        )
    with uow:
        if uow.users.by_email(address) is not None:
            raise Conflict(f"Er bestaat al een gebruiker met e-mailadres {address}.")
        created = uow.users.add(
            User(
                id=0,
                email=address,
                display_name=command.name.strip() or DEFAULT_NAME,
                role=Role.FUNCTIONAL_ADMIN,
                password_hash=hasher.hash(command.password),
            )
        )
        role = FieldChange("rol", None, Role.FUNCTIONAL_ADMIN.label)
        audit(uow, clock, actor, "gebruiker_aangemaakt", user_subject(created), role)
        uow.commit()
    return created
