"""The outside world beside the database: time, randomness, mail, files, PDFs, passwords."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from elk_domain.model.mail import OutgoingMail


class Clock(Protocol):
    """The current time; the domain never reads the system clock itself."""

    def now(self) -> dt.datetime:
        """An aware datetime (Europe/Amsterdam or UTC)."""
        ...


class RandomSource(Protocol):
    """Randomness for tokens and the lottery, seeded where results must be reproducible."""

    def random(self) -> float:
        """A float in [0, 1)."""
        ...

    def token(self, nbytes: int = 32) -> str:
        """An unguessable URL-safe token."""
        ...


class Mailer(Protocol):
    """Sends e-mail (SMTP in production, a local capture in the demo and tests)."""

    def send(self, mail: OutgoingMail) -> None:
        """Raises Unavailable when the mail server does not accept it."""
        ...


class FileStore(Protocol):
    """Stores attachment bytes under opaque keys."""

    def put(self, data: bytes, *, content_type: str) -> str:
        """Store and return the key."""
        ...

    def get(self, key: str) -> bytes:
        """Raises NotFound."""
        ...

    def delete(self, key: str) -> None:
        """Remove; missing keys are ignored."""
        ...


class DocumentRenderer(Protocol):
    """Renders documents (Oki-doc, registration form) to PDF."""

    def render(self, template: str, context: dict[str, object]) -> bytes:
        """PDF bytes."""
        ...


class PasswordHasher(Protocol):
    """Hashes and checks passwords (argon2id in production)."""

    def hash(self, password: str) -> str:
        """A self-describing hash string."""
        ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches."""
        ...
