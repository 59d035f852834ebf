"""Logging in and out of staff accounts, and resolving the acting user for each request."""

from __future__ import annotations

import attrs

from elk_domain.accounts.ports import AccountsWork
from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.password_rules import verify_without_account
from elk_domain.kernel.people import Actor, User
from elk_domain.kernel.ports import PasswordHasher

LOGIN_FAILED = "E-mailadres of wachtwoord onjuist."


@attrs.frozen
class Login:
    """A successful login: the actor and the session version to keep in the new session."""

    actor: Actor
    session_version: int


def log_in(uow: AccountsWork, hasher: PasswordHasher, email: str, password: str) -> Login:
    """Check e-mail and password; one generic Rejected for every failure (no enumeration)."""
    with uow:
        user = uow.users.by_email(email.strip()) if email.strip() else None
    # The hash is checked outside the transaction: it takes a while and needs no lock.
    if user is None or user.password_hash is None:
        verify_without_account(hasher, password)
        raise Rejected(LOGIN_FAILED)
    if not hasher.verify(user.password_hash, password) or not user.active:
        raise Rejected(LOGIN_FAILED)
    with uow:
        return Login(_actor(uow, user), user.session_version)


def authenticate(uow: AccountsWork, hasher: PasswordHasher, email: str, password: str) -> Actor:
    """The actor for a correct e-mail and password; raises Rejected(LOGIN_FAILED) otherwise."""
    return log_in(uow, hasher, email, password).actor


def actor_for(uow: AccountsWork, user_id: int, session_version: int) -> Actor | None:
    """The actor behind a session, or None when the user is gone, disabled or logged out since."""
    with uow:
        try:
            user, groups = uow.users.with_contact_groups(user_id)
        except NotFound:
            return None
        if not user.active or user.session_version != session_version:
            return None
        return _actor_with(user, groups)


def end_sessions(uow: AccountsWork, user_id: int) -> None:
    """Log the user out everywhere: every session cookie issued before now stops working."""
    with uow:
        try:
            user = uow.users.get(user_id)
        except NotFound:
            return
        uow.users.update(attrs.evolve(user, session_version=user.session_version + 1))
        uow.commit()


def actor_of(uow: AccountsWork, user: User, *, impersonator_id: int | None = None) -> Actor:
    """The actor for ``user`` (with the groups they are a contact person of)."""
    return attrs.evolve(_actor(uow, user), impersonator_id=impersonator_id)


def _actor(uow: AccountsWork, user: User) -> Actor:
    return _actor_with(user, _contact_groups(uow, user))


def _actor_with(user: User, contact_groups: frozenset[int]) -> Actor:
    return Actor(
        user_id=user.id,
        name=user.display_name,
        role=user.role,
        board_id=user.board_id,
        school_id=user.school_id,
        group_ids=contact_groups,
        second_factor=user.totp_secret is not None,
    )


def _contact_groups(uow: AccountsWork, user: User) -> frozenset[int]:
    """Groups the user is a contact person of: such a user sees only those pupils (R-AUTH-4)."""
    if user.school_id is None:
        return frozenset()
    return uow.groups.contact_group_ids(user.school_id, user.id)
