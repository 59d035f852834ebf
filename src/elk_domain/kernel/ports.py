"""What every area needs from outside the domain: time, randomness, mail, files, passwords, the
audit log and the mail queue, and the transaction they are written in.

Each area's ``ports`` module declares its own repositories and a ``...Work`` protocol: the
unit of work its use cases ask for, made of its repositories and those of the areas below it.
``elk_domain.unit_of_work.UnitOfWork`` composes them all for the adapters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self

from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.audit_chain import ChainLink
from elk_domain.kernel.mail import OutgoingMail, QueuedMail


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


class PasswordHasher(Protocol):
    """Hashes and checks passwords (argon2id in production)."""

    def hash(self, password: str) -> str:
        """A self-describing hash string."""
        ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches."""
        ...


class AuditLog(Protocol):
    """Append-only log of changes, impersonations and syncs."""

    def record(self, entry: AuditEntry) -> None:
        """Append one entry (in the current unit of work)."""
        ...

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEntry]:
        """History of one record, oldest first."""
        ...

    def recent(
        self, *, school_ids: Iterable[int] | None = None, limit: int = 200
    ) -> Sequence[AuditEntry]:
        """The newest entries first; with ``school_ids`` only entries about those schools."""
        ...

    def chain(self) -> Generator[ChainLink]:
        """Every entry with its stored hashes, in id order, read lazily (close it when done)."""
        ...


class MailQueue(Protocol):
    """The outbox: mail queued by use cases in their transaction, sent later by a worker."""

    def add(self, mail: QueuedMail) -> QueuedMail:
        """Store a new mail (``id`` ignored) and return it with its id."""
        ...

    def due(self, now: dt.datetime, limit: int) -> Sequence[QueuedMail]:
        """Unsent mail whose next attempt is due, the longest waiting first."""
        ...

    def claim(self, mail: QueuedMail) -> bool:
        """Store ``mail`` (one more attempt) unless another worker claimed it since it was read.

        False when the stored attempts are no longer ``mail.attempts - 1`` or it was sent.
        """
        ...

    def update(self, mail: QueuedMail) -> QueuedMail:
        """Save the outcome of an attempt (sent, or when to try again); raises NotFound."""
        ...

    def unsent(self) -> Sequence[QueuedMail]:
        """Every mail not sent yet, waiting or given up, oldest first."""
        ...


class Transaction(Protocol):
    """One transaction: ``with uow: ...; uow.commit()``; leaving without commit rolls back."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work durable."""
        ...

    def rollback(self) -> None:
        """Throw the work away."""
        ...


class RecordRepositories(Protocol):
    """The records every area writes: the audit log and the outgoing mail."""

    audit: AuditLog
    mail_queue: MailQueue


class KernelWork(RecordRepositories, Transaction, Protocol):
    """The unit of work of the kernel's use cases (queueing mail)."""
