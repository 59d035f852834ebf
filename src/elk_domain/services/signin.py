"""Staff sign-in in two steps: password (throttled), then a 2FA code where the role needs one.

``sign_in`` checks the password and says what comes next; ``verify_second_factor`` checks an
authenticator code (never the same time step twice) or a one-time recovery code;
``confirm_enrolment`` links an authenticator app and hands out recovery codes. Throttling state
lives in the database (``uow.throttle``), checked before any password hash is computed.
"""

from __future__ import annotations

import base64
import enum
import hashlib
from collections.abc import Sequence

import attrs

from elk_domain import throttle, totp
from elk_domain.errors import NotFound, Rejected
from elk_domain.model.people import Role, User
from elk_domain.ports import Clock, PasswordHasher, RandomSource, UnitOfWork
from elk_domain.services._support import Subject, audit
from elk_domain.services.auth import Login, actor_of, log_in
from elk_domain.throttle import ThrottlePolicy

SECOND_FACTOR_ROLES = frozenset({Role.BOARD_CONTACT, Role.SCHOOL_ADMIN})
"""Roles that must use 2FA (docs/decisions/0012); others may enable it in their settings."""

CODE_FAILED = "De code is onjuist of al gebruikt. Probeer de volgende code uit uw app."
SESSION_ENDED = "Uw inlogpoging is verlopen. Log opnieuw in."
RECOVERY_CODE_COUNT = 10


class NextStep(enum.Enum):
    """What the user must do after a correct password."""

    NONE = "none"  # logged in
    CODE = "code"  # type the code from the authenticator app (or a recovery code)
    ENROL = "enrol"  # the role needs 2FA and none is set up yet: link an app first


@attrs.frozen
class SignIn:
    """The login form, with the client's address for per-address throttling."""

    email: str
    password: str
    client: str = ""


@attrs.frozen
class PasswordChecked:
    """A correct password: the login, and the step still needed before it counts."""

    login: Login
    step: NextStep


@attrs.frozen
class Pending:
    """A user between password and code: id and the session version seen at the password."""

    user_id: int
    session_version: int


def second_factor_required(role: Role) -> bool:
    """Board contacts and school administrators must use 2FA."""
    return role in SECOND_FACTOR_ROLES


def sign_in(
    uow: UnitOfWork, clock: Clock, hasher: PasswordHasher, command: SignIn
) -> PasswordChecked:
    """Check the password (throttled per address and per client); says what comes next."""
    keys = [
        (throttle.throttle_key("account", command.email), throttle.ACCOUNT),
        (throttle.throttle_key("client", command.client), throttle.CLIENT),
    ]
    check_throttle(uow, clock, keys)
    try:
        login = log_in(uow, hasher, command.email, command.password)
    except Rejected:
        record_failure(uow, clock, keys)
        raise
    with uow:
        uow.throttle.clear(keys[0][0])
        user = uow.users.get(login.actor.user_id)
        uow.commit()
    if user.totp_secret is not None:
        return PasswordChecked(login, NextStep.CODE)
    step = NextStep.ENROL if second_factor_required(user.role) else NextStep.NONE
    return PasswordChecked(login, step)


def verify_second_factor(uow: UnitOfWork, clock: Clock, pending: Pending, code: str) -> Login:
    """The login after a valid authenticator code or an unused recovery code."""
    key = [(throttle.throttle_key("2fa", str(pending.user_id)), throttle.SECOND_FACTOR)]
    check_throttle(uow, clock, key)
    with uow:
        user = _pending_user(uow, pending)
        updated = _accept_code(user, code, clock)
        if updated is not None:
            uow.users.update(updated)
            actor = actor_of(uow, user)
            if len(updated.recovery_codes) < len(user.recovery_codes):
                audit(uow, clock, actor, "herstelcode_gebruikt", user_subject(user))
            uow.throttle.clear(key[0][0])
            uow.commit()
            return Login(actor, user.session_version)
    record_failure(uow, clock, key)
    raise Rejected(CODE_FAILED)


def _accept_code(user: User, code: str, clock: Clock) -> User | None:
    if user.totp_secret is None:
        raise Rejected(SESSION_ENDED)
    secret = user.totp_secret
    step = totp.matching_step(secret, code, clock.now(), after=user.totp_last_step)
    if step is not None:
        return attrs.evolve(user, totp_last_step=step)
    digest = recovery_digest(code)
    if digest in user.recovery_codes:
        return attrs.evolve(user, recovery_codes=user.recovery_codes - {digest})
    return None


@attrs.frozen
class Enrolled:
    """2FA is on: the login (when enrolling during sign-in) and the recovery codes, shown once."""

    login: Login
    recovery_codes: Sequence[str]


def confirm_enrolment(
    uow: UnitOfWork, clock: Clock, random: RandomSource, pending: Pending, secret: str, code: str
) -> Enrolled:
    """Link the authenticator app whose first code matches ``secret``; new recovery codes."""
    step = totp.matching_step(secret, code, clock.now())
    if step is None:
        raise Rejected("De code klopt niet. Controleer of de tijd op uw telefoon juist staat.")
    codes = new_recovery_codes(random)
    with uow:
        user = _pending_user(uow, pending)
        uow.users.update(
            attrs.evolve(
                user,
                totp_secret=secret,
                totp_last_step=step,
                recovery_codes=frozenset(map(recovery_digest, codes)),
            )
        )
        actor = actor_of(uow, user)
        audit(uow, clock, actor, "tweestapsverificatie_aangezet", user_subject(user))
        uow.commit()
        return Enrolled(Login(actor, user.session_version), codes)


def _pending_user(uow: UnitOfWork, pending: Pending) -> User:
    try:
        user = uow.users.get(pending.user_id)
    except NotFound:
        raise Rejected(SESSION_ENDED) from None
    if not user.active or user.session_version != pending.session_version:
        raise Rejected(SESSION_ENDED)
    return user


def new_recovery_codes(random: RandomSource) -> list[str]:
    """Ten one-time codes like ``k3m9p-x2q7d`` (50 bits each)."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(totp.token_bytes(random, 7)).decode().lower()[:10]
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code (case, spaces and dashes do not matter)."""
    cleaned = code.strip().lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"herstelcode:{cleaned}".encode()).hexdigest()


def user_subject(user: User) -> Subject:
    """The audit subject for a staff user."""
    return Subject(type="user", id=user.id, school_id=user.school_id)


def check_throttle(
    uow: UnitOfWork, clock: Clock, keys: Sequence[tuple[str, ThrottlePolicy]]
) -> None:
    """Raise Throttled when any key must still wait (before any costly work)."""
    now = clock.now()
    with uow:
        wait = max(throttle.wait_seconds(uow.throttle.get(k), p, now) for k, p in keys)
    if wait > 0:
        raise throttle.Throttled(wait)


def record_failure(
    uow: UnitOfWork, clock: Clock, keys: Sequence[tuple[str, ThrottlePolicy]]
) -> None:
    """Count one failure under each key, in its own committed transaction."""
    now = clock.now()
    with uow:
        for key, policy in keys:
            uow.throttle.save(throttle.after_failure(uow.throttle.get(key), key, policy, now))
        uow.commit()
