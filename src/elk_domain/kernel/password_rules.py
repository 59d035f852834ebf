"""The one password rule of staff and parents (R-AUTH-7): its length, and typed the same twice.

Each kind of account adds what its password may not be (a staff member's e-mail address, a
child's ELK number); the length and the repetition are checked here, once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from elk_domain.errors import Message, Rejected, Violation
from elk_domain.kernel.ports import PasswordHasher

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 costs memory: refuse absurd input before hashing


def check_new_password(password: str, repeat: str, unsuitable: Callable[[str], str | None]) -> None:
    """Rejected unless the password has a fitting length, is suitable, and was typed twice.

    ``unsuitable`` says why a password of the right length may not be used, or None.
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        message = Message("Kies een wachtwoord van minstens {n} tekens.", n=MIN_PASSWORD_LENGTH)
        problems.append(Violation("wachtwoord", message))
    elif len(password) > MAX_PASSWORD_LENGTH:
        message = Message("Kies een wachtwoord van hoogstens {n} tekens.", n=MAX_PASSWORD_LENGTH)
        problems.append(Violation("wachtwoord", message))
    elif (reason := unsuitable(password)) is not None:
        problems.append(Violation("wachtwoord", reason))
    if password != repeat:
        problems.append(Violation("herhaling", Message("De twee wachtwoorden zijn niet gelijk.")))
    if problems:
        raise Rejected(Message("Het wachtwoord is niet ingesteld."), violations=problems)


# A hash to verify against when there is no account, so that a failed login costs the same
# time whether the account exists or not (no account enumeration by timing).
_DUMMY_PASSWORD = "elk-dummy-password-for-constant-time-login"  # noqa: S105
_dummy_hashes: weakref.WeakKeyDictionary[PasswordHasher, str] = weakref.WeakKeyDictionary()


def verify_without_account(hasher: PasswordHasher, password: str) -> None:
    """Spend the time of one password check when the login names no account (staff or parent)."""
    hasher.verify(_dummy_hash(hasher), password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    try:
        cached = _dummy_hashes.get(hasher)
    except TypeError:  # a hasher that cannot be weakly referenced: hash every time
        return hasher.hash(_DUMMY_PASSWORD)
    if cached is None:
        cached = _dummy_hashes[hasher] = hasher.hash(_DUMMY_PASSWORD)
    return cached
