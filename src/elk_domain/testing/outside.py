"""Fakes of the ports to the world outside the database: clock, randomness, mail, files, passwords.

Reproducible and inspectable: a clock that stands still, seeded randomness, a mailer and a file
store that keep what they get, and a readable password "hasher" (never for production).
"""

from __future__ import annotations

import base64
import datetime as dt
import random

import attrs

from elk_domain.errors import NotFound, Unavailable
from elk_domain.kernel.mail import OutgoingMail

__all__ = [
    "FixedClock",
    "InMemoryFileStore",
    "InMemoryMailer",
    "InsecurePlainHasher",
    "SeededRandom",
]


@attrs.define
class FixedClock:
    """A clock that stands still until a test sets or advances it."""

    current: dt.datetime = dt.datetime(2025, 3, 17, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The set time."""
        return self.current

    def set(self, moment: dt.datetime) -> None:
        """Jump to ``moment`` (must be aware)."""
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.current = moment

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward."""
        self.current += delta


class SeededRandom:
    """Reproducible randomness: the same seed gives the same floats and tokens."""

    def __init__(self, seed: int = 0) -> None:
        # Deliberately not cryptographic: this fake exists to make tests reproducible.
        self._rng = random.Random(seed)  # noqa: S311

    def random(self) -> float:
        """A float in [0, 1)."""
        return self._rng.random()

    def token(self, nbytes: int = 32) -> str:
        """A URL-safe token derived from the seed."""
        return base64.urlsafe_b64encode(self._rng.randbytes(nbytes)).rstrip(b"=").decode()


@attrs.define
class InMemoryMailer:
    """Collects mail instead of sending it; set ``fail`` to simulate a mail server outage."""

    sent: list[OutgoingMail] = attrs.Factory(list)
    fail: bool = False

    def send(self, mail: OutgoingMail) -> None:
        """Keep the mail, or raise Unavailable when ``fail`` is set."""
        if self.fail:
            raise Unavailable("De mailserver is niet bereikbaar. Probeer het later opnieuw.")
        self.sent.append(mail)


@attrs.define
class InMemoryFileStore:
    """Keeps attachment bytes in a dict."""

    files: dict[str, tuple[bytes, str]] = attrs.Factory(dict)

    def put(self, data: bytes, *, content_type: str) -> str:
        """Store and return a new key."""
        key = f"mem-{len(self.files) + 1}"
        self.files[key] = (data, content_type)
        return key

    def get(self, key: str) -> bytes:
        """Raises NotFound."""
        if key not in self.files:
            raise NotFound("Het bestand is niet (meer) aanwezig.")
        return self.files[key][0]

    def delete(self, key: str) -> None:
        """Remove; missing keys are ignored."""
        self.files.pop(key, None)


class InsecurePlainHasher:
    """A password 'hasher' that keeps the text readable: for tests only, never in production."""

    prefix = "plain$"

    def hash(self, password: str) -> str:
        """The password with a marker prefix."""
        return self.prefix + password

    def verify(self, hashed: str, password: str) -> bool:
        """True when the stored text matches."""
        return hashed == self.prefix + password
