"""Linking, replacing and switching off a staff user's authenticator app (2FA).

During sign-in, a user who must use 2FA and has none links an app right after the password
(``confirm_enrolment``); it is refused when a factor exists, so a password alone never replaces
one. Logged in, a user replaces the app or switches 2FA off only with the password *and* the
current factor (a code from the app or a recovery code): ``change_second_factor``,
``disable_second_factor``. Each change is audited, ends the user's other sessions and queues a
notice to the user (no secrets in it). Decision 0033.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import attrs

from elk_domain.accounts import throttle, totp
from elk_domain.accounts.attempts import Keys, reserve_attempt, settle_success
from elk_domain.accounts.auth import Login, actor_of
from elk_domain.accounts.passwords import AccountLinks, not_impersonating
from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.signin import (
    Pending,
    accept_code,
    code_key,
    new_recovery_codes,
    pending_user,
    recovery_digest,
    user_subject,
)
from elk_domain.errors import Forbidden, Rejected, Violation
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor, User
from elk_domain.kernel.permissions import second_factor_required
from elk_domain.kernel.ports import Clock, PasswordHasher, RandomSource
from elk_domain.kernel.support import audit

ALREADY_ON = "Tweestapsverificatie staat al aan. Log in met de code uit uw app."
ALREADY_OFF = "Tweestapsverificatie staat al uit."
REQUIRED = "Voor uw rol is tweestapsverificatie verplicht; u kunt het niet uitzetten."
NEW_CODE_WRONG = "De code klopt niet. Controleer of de tijd op uw telefoon juist staat."
PASSWORD_WRONG = "Het wachtwoord is onjuist."  # noqa: S105 (a message, not a password)
CURRENT_CODE_WRONG = "De code van uw huidige app (of de herstelcode) is onjuist of al gebruikt."


class Change(enum.Enum):
    """What happened to the second factor; the value completes "Uw tweestapsverificatie is …"."""

    ON = "aangezet"
    CHANGED = "gewijzigd"
    OFF = "uitgezet"
    RESET = "uitgezet door een beheerder"

    @property
    def name_nl(self) -> str:
        """The verb in audit actions: ``tweestapsverificatie_gewijzigd``."""
        return self.value.split()[0]


@attrs.frozen
class Enrolled:
    """2FA is on: the login to continue with and the recovery codes, shown once."""

    login: Login
    recovery_codes: Sequence[str]


@attrs.frozen
class LinkApp:
    """The enrolment form while signing in: the code the new app shows for the secret."""

    secret: str  # the new app's secret (shown on the page, kept in the session)
    code: str


@attrs.frozen
class ChangeSecondFactor:
    """The form on the 2FA page of a logged-in user: who they are, then the new app's code."""

    password: str
    current_code: str  # the linked app's code or a recovery code; ignored when 2FA is off
    secret: str  # the new app's secret (shown on the page, kept in the session)
    code: str  # the new app's code


@attrs.frozen
class DisableSecondFactor:
    """ "Tweestapsverificatie uitzetten": the password and the current code."""

    password: str
    current_code: str


def confirm_enrolment(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    pending: Pending,
    command: LinkApp,
    links: AccountLinks,
) -> Enrolled:
    """Link the app as the second step of signing in; refused when a factor exists already."""
    step = totp.matching_step(command.secret, command.code, clock.now())
    if step is None:
        raise Rejected(NEW_CODE_WRONG)
    with uow:
        user = pending_user(uow, pending)
        if user.totp_secret is not None:
            raise Rejected(ALREADY_ON)
        return _link(uow, clock, random, links, user=user, app=(command.secret, step))


def change_second_factor(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    hasher: PasswordHasher,
    actor: Actor,
    command: ChangeSecondFactor,
    links: AccountLinks,
) -> Enrolled:
    """Link a (new) app for a logged-in user: needs the password and the current factor."""
    keys = _reserve(uow, clock, actor)
    problems = _password_problems(uow, hasher, actor, command.password)
    step = totp.matching_step(command.secret, command.code, clock.now())
    with uow:
        user = uow.users.get(actor.user_id)
        checked = _use_current_code(user, clock, command.current_code, problems)
        if step is None:
            problems.append(Violation("code", NEW_CODE_WRONG))
        if problems or step is None:
            raise Rejected("De tweestapsverificatie is niet gewijzigd.", violations=problems)
        settle_success(uow, clear=[key for key, _ in keys], give_back=[])
        return _link(uow, clock, random, links, user=checked, app=(command.secret, step))


def disable_second_factor(
    uow: AccountsWork,
    clock: Clock,
    hasher: PasswordHasher,
    actor: Actor,
    command: DisableSecondFactor,
    links: AccountLinks,
) -> Login:
    """Switch 2FA off (roles that may go without): needs the password and the current code."""
    if second_factor_required(actor.role):
        raise Forbidden(REQUIRED)
    keys = _reserve(uow, clock, actor)
    problems = _password_problems(uow, hasher, actor, command.password)
    with uow:
        user = uow.users.get(actor.user_id)
        if user.totp_secret is None:
            raise Rejected(ALREADY_OFF)
        checked = _use_current_code(user, clock, command.current_code, problems)
        if problems:
            raise Rejected("De tweestapsverificatie staat nog aan.", violations=problems)
        settle_success(uow, clear=[key for key, _ in keys], give_back=[])
        stored = _save(uow, checked, secret=None, step=None, codes=())
        audit(uow, clock, actor, f"tweestapsverificatie_{Change.OFF.name_nl}", user_subject(user))
        queue_mail(uow, clock, second_factor_notice(stored, Change.OFF, links))
        uow.commit()
        return Login(actor_of(uow, stored), stored.session_version)


def _reserve(uow: AccountsWork, clock: Clock, actor: Actor) -> Keys:
    """Count the attempt under the account's login key and its code key (one budget)."""
    not_impersonating(actor)
    with uow:
        email = uow.users.get(actor.user_id).email
    keys = [
        (throttle.throttle_key("account", email), throttle.ACCOUNT),
        (code_key(actor.user_id), throttle.SECOND_FACTOR),
    ]
    reserve_attempt(uow, clock, keys)
    return keys


def _password_problems(
    uow: AccountsWork, hasher: PasswordHasher, actor: Actor, password: str
) -> list[Violation]:
    """Whether the password is right (checked outside any transaction: hashing takes a while)."""
    with uow:
        hashed = uow.users.get(actor.user_id).password_hash
    if hashed is None or not hasher.verify(hashed, password):
        return [Violation("wachtwoord", PASSWORD_WRONG)]
    return []


def _use_current_code(user: User, clock: Clock, code: str, problems: list[Violation]) -> User:
    """The user with the current code or recovery code used up; a wrong one is a problem.

    Without a second factor there is no current code to give.
    """
    if user.totp_secret is None:
        return user
    checked = accept_code(user, code, clock)
    if checked is None:
        problems.append(Violation("huidige_code", CURRENT_CODE_WRONG))
        return user
    return checked


def _link(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    links: AccountLinks,
    *,
    user: User,
    app: tuple[str, int],
) -> Enrolled:
    """Store the app (secret, time step of its first code) and new recovery codes; audit,
    queue the notice and commit."""
    secret, step = app
    codes = new_recovery_codes(random)
    change = Change.ON if user.totp_secret is None else Change.CHANGED
    stored = _save(uow, user, secret=secret, step=step, codes=codes)
    actor = actor_of(uow, stored)
    audit(uow, clock, actor, f"tweestapsverificatie_{change.name_nl}", user_subject(user))
    queue_mail(uow, clock, second_factor_notice(stored, change, links))
    uow.commit()
    return Enrolled(Login(actor, stored.session_version), codes)


def _save(
    uow: AccountsWork, user: User, *, secret: str | None, step: int | None, codes: Sequence[str]
) -> User:
    """The new factor; every other session of the user ends."""
    return uow.users.update(
        attrs.evolve(
            user,
            totp_secret=secret,
            totp_last_step=step,
            recovery_codes=frozenset(map(recovery_digest, codes)),
            session_version=user.session_version + 1,
        )
    )


def second_factor_notice(user: User, change: Change, links: AccountLinks) -> OutgoingMail:
    """The mail that tells a user their 2FA changed; it holds no secret and no code."""
    next_step = (
        "Bij uw volgende inlog koppelt u opnieuw een authenticator-app.\n"
        if change is Change.RESET
        else ""
    )
    body = f"""Beste {user.display_name},

Uw tweestapsverificatie is {change.value} ({links.sender}, gebruiker {user.email}).
{next_step}
Heeft u dit zelf gedaan? Dan hoeft u niets te doen.
Was u het niet? Neem dan meteen contact op met de beheerder van uw school of bestuur, en
wijzig uw wachtwoord via 'Wachtwoord vergeten' op {links.login_url}

Met vriendelijke groet,
{links.sender}
"""
    subject = f"Uw tweestapsverificatie is {change.value}"
    return OutgoingMail(to=user.email, subject=subject, body=body)
