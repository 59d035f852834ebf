"""argon2id password hashing behind the PasswordHasher port."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MAX_PASSWORD_LENGTH = 256  # argon2 is costly: refuse absurd inputs before hashing them


class Argon2PasswordHasher:
    """argon2id with the library's recommended parameters (RFC 9106 low-memory profile)."""

    def __init__(self, *, fast: bool = False) -> None:
        # ``fast`` is for tests only: the same algorithm with tiny cost parameters.
        self._hasher = _Argon2(time_cost=1, memory_cost=8, parallelism=1) if fast else _Argon2()

    def hash(self, password: str) -> str:
        """Hash a password (refused above MAX_PASSWORD_LENGTH characters)."""
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError("password too long")
        return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches; never raises for a wrong password or a bad hash."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return False
        try:
            return self._hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
