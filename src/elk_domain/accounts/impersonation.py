"""'Inloggen als': a board contact helps a user by seeing ELK as that user (R-AUTH-2).

The session then belongs to the user, with the helper as ``impersonator_id`` on every actor, so
each change is audited as "user, on behalf of helper". Start and end are audited. The session
stays valid only while both accounts are active, unchanged and the helper may still do this;
going back means logging out and in again (the manual's rule).
"""

from __future__ import annotations

import attrs

from elk_domain.accounts.auth import actor_of
from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.signin import user_subject
from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.people import Actor, User
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import audit


@attrs.frozen
class Impersonation:
    """The new session: the user's actor and version, and the helper's version."""

    actor: Actor
    session_version: int
    impersonator_version: int


def start_impersonation(
    uow: AccountsWork, clock: Clock, actor: Actor, user_id: int
) -> Impersonation:
    """Log in as ``user_id``; audited as the helper, about the user."""
    with uow:
        target = uow.users.get(user_id)
        require(actor, Action.IMPERSONATE, Scope.for_user(target))
        if target.id == actor.user_id or not target.active:
            raise Rejected("Inloggen als deze gebruiker is niet mogelijk.")
        helper = uow.users.get(actor.user_id)
        audit(uow, clock, actor, "inloggen_als_gestart", user_subject(target))
        uow.commit()
        return Impersonation(
            _helped(uow, target, helper),
            target.session_version,
            helper.session_version,
        )


def impersonated_actor(
    uow: AccountsWork, user_id: int, version: int, impersonator_id: int, impersonator_version: int
) -> Actor | None:
    """The actor of an impersonation session, or None once it is no longer valid."""
    with uow:
        try:
            target = uow.users.get(user_id)
            helper = uow.users.get(impersonator_id)
        except NotFound:
            return None
        current = (target.session_version, helper.session_version)
        if not (target.active and helper.active) or current != (version, impersonator_version):
            return None
        if not allowed(actor_of(uow, helper), Action.IMPERSONATE, Scope.for_user(target)):
            return None
        return _helped(uow, target, helper)


def _helped(uow: AccountsWork, target: User, helper: User) -> Actor:
    """The helped user's actor; the helper's second factor guards the session (0033)."""
    actor = actor_of(uow, target, impersonator_id=helper.id)
    return attrs.evolve(actor, second_factor=helper.totp_secret is not None)


def end_impersonation(uow: AccountsWork, clock: Clock, actor: Actor) -> None:
    """Audit the end and end the helper's sessions (the user's own sessions stay)."""
    if actor.impersonator_id is None:
        return
    with uow:
        try:
            target = uow.users.get(actor.user_id)
            helper = uow.users.get(actor.impersonator_id)
        except NotFound:
            return
        audit(uow, clock, actor, "inloggen_als_beeindigd", user_subject(target))
        uow.users.update(attrs.evolve(helper, session_version=helper.session_version + 1))
        uow.commit()
