"""The one password rule of staff and parents (R-AUTH-7): its length, and typed the same twice.

Each kind of account adds what its password may not be (a staff member's e-mail address, a
child's ELK number); the length and the repetition are checked here, once.
"""

from __future__ import annotations

from collections.abc import Callable

from elk_domain.errors import Rejected, Violation

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 costs memory: refuse absurd input before hashing


def check_new_password(password: str, repeat: str, unsuitable: Callable[[str], str | None]) -> None:
    """Rejected unless the password has a fitting length, is suitable, and was typed twice.

    ``unsuitable`` says why a password of the right length may not be used, or None.
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens."
        problems.append(Violation("wachtwoord", message))
    elif len(password) > MAX_PASSWORD_LENGTH:
        message = f"Kies een wachtwoord van hoogstens {MAX_PASSWORD_LENGTH} tekens."
        problems.append(Violation("wachtwoord", message))
    elif (reason := unsuitable(password)) is not None:
        problems.append(Violation("wachtwoord", reason))
    if password != repeat:
        problems.append(Violation("herhaling", "De twee wachtwoorden zijn niet gelijk."))
    if problems:
        raise Rejected("Het wachtwoord is niet ingesteld.", violations=problems)
