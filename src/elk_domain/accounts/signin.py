"""Staff sign-in in two steps: password (throttled), then a 2FA code where the role needs one.

``sign_in`` checks the password and says what comes next; ``verify_second_factor`` checks an
authenticator code (never the same time step twice) or a one-time recovery code. Linking an app
is ``second_factor``. Every attempt is counted in the database before any password
hash is computed (``attempts``), per account and per client address.
"""

from __future__ import annotations

import base64
import enum
import hashlib

import attrs

from elk_domain.accounts import throttle, totp
from elk_domain.accounts.attempts import reserve_attempt, settle_success
from elk_domain.accounts.auth import Login, actor_of, log_in
from elk_domain.accounts.ports import AccountsWork
from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.people import User
from elk_domain.kernel.permissions import second_factor_required
from elk_domain.kernel.ports import Clock, PasswordHasher, RandomSource
from elk_domain.kernel.support import Subject, audit

EMPTY_FORM = "Vul uw e-mailadres en wachtwoord in."
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


def sign_in(
    uow: AccountsWork, clock: Clock, hasher: PasswordHasher, command: SignIn
) -> PasswordChecked:
    """Check the password (throttled per account and per client); says what comes next.

    An empty field is named as such: nothing is hashed and nothing counted.
    """
    if not command.email.strip() or not command.password:
        raise Rejected(EMPTY_FORM)
    account = throttle.throttle_key("account", command.email)
    client = throttle.throttle_key("client", command.client)
    reserve_attempt(uow, clock, [(account, throttle.ACCOUNT), (client, throttle.CLIENT)])
    login = log_in(uow, hasher, command.email, command.password)  # a failure stays counted
    with uow:
        settle_success(uow, clear=[account], give_back=[client])
        user = uow.users.get(login.actor.user_id)
        uow.commit()
    if user.totp_secret is not None:
        return PasswordChecked(login, NextStep.CODE)
    step = NextStep.ENROL if second_factor_required(user.role) else NextStep.NONE
    return PasswordChecked(login, step)


def pending_step(uow: AccountsWork, pending: Pending) -> NextStep:
    """Which page the user between password and code belongs on now: the code page once an app
    is linked (enrolling again would offer a new secret to whoever knows only the password),
    enrolment otherwise. Rejected (SESSION_ENDED) when the pending login went stale."""
    with uow:
        user = pending_user(uow, pending)
    return NextStep.CODE if user.totp_secret is not None else NextStep.ENROL


def verify_second_factor(uow: AccountsWork, clock: Clock, pending: Pending, code: str) -> Login:
    """The login after a valid authenticator code or an unused recovery code."""
    key = code_key(pending.user_id)
    reserve_attempt(uow, clock, [(key, throttle.SECOND_FACTOR)])
    with uow:
        user = pending_user(uow, pending)
        updated = accept_code(user, code, clock)
        if updated is None:
            raise Rejected(CODE_FAILED)  # the attempt stays counted
        uow.users.update(updated)
        actor = actor_of(uow, user)
        if len(updated.recovery_codes) < len(user.recovery_codes):
            audit(uow, clock, actor, "herstelcode_gebruikt", user_subject(user))
        settle_success(uow, clear=[key], give_back=[])
        uow.commit()
        return Login(actor, user.session_version)


def code_key(user_id: int) -> str:
    """The throttle key of a user's 2FA codes."""
    return throttle.throttle_key("2fa", str(user_id))


def accept_code(user: User, code: str, clock: Clock) -> User | None:
    """The user after accepting an authenticator or recovery code (used up); None: refused."""
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


def pending_user(uow: AccountsWork, pending: Pending) -> User:
    """The user between password and code, unless their sessions ended meanwhile."""
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
