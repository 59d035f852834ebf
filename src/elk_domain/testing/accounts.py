"""In-memory repositories for staff-account links, login throttling and the mail outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from elk_domain.accounts.throttle import Attempts
from elk_domain.accounts.tokens import AccountToken
from elk_domain.errors import NotFound
from elk_domain.kernel.mail import QueuedMail
from elk_domain.testing.store import InMemoryStore, Rows, Table

__all__ = ["InMemoryAccountTokenRepository", "InMemoryMailQueue", "InMemoryThrottleRepository"]


class InMemoryAccountTokenRepository(Table[AccountToken]):
    """Invite and reset links."""

    label = "Link"
    table = "account_tokens"

    def by_digest(self, digest: str) -> AccountToken | None:
        """The token record with this digest."""
        return next((t for t in self._rows.values() if t.digest == digest), None)

    def for_user(self, user_id: int) -> Sequence[AccountToken]:
        """The user's token records, oldest first."""
        return self._select(lambda t: t.user_id == user_id, lambda t: t.id)

    def update(self, entity: AccountToken) -> AccountToken:
        """Replace the stored record (tokens carry no version)."""
        self.get(entity.id)
        self._rows[entity.id] = entity
        return entity


class InMemoryThrottleRepository:
    """Attempts per key; the hex digest read as a (big) integer is the row key."""

    def __init__(self, store: InMemoryStore, work: Rows) -> None:
        self._rows: dict[int, Attempts] = work["throttle"]

    def get(self, key: str) -> Attempts | None:
        """The attempts under a key."""
        return self._rows.get(_row_key(key))

    def lock(self, key: str) -> Attempts | None:
        """The attempts under a key (one unit of work at a time: nothing to wait for)."""
        return self.get(key)

    def save(self, attempts: Attempts) -> None:
        """Insert or replace."""
        self._rows[_row_key(attempts.key)] = attempts

    def clear(self, key: str) -> None:
        """Forget the key by storing an empty record (the store never deletes rows)."""
        if _row_key(key) in self._rows:
            self._rows[_row_key(key)] = attrs.evolve(self._rows[_row_key(key)], failures=0)


class InMemoryMailQueue(Table[QueuedMail]):
    """The outbox; mail carries no version (``claim`` compares the attempts instead)."""

    label = "E-mail"
    table = "mail_queue"

    def due(self, now: dt.datetime, limit: int) -> Sequence[QueuedMail]:
        """Unsent mail due now, the longest waiting first."""
        due = self._select(
            lambda m: m.next_attempt_at is not None and m.next_attempt_at <= now,
            lambda m: (m.next_attempt_at, m.id),
        )
        return due[:limit]

    def claim(self, mail: QueuedMail) -> bool:
        """Store the claimed mail unless its attempts moved on or it was sent meanwhile."""
        current = self.get(mail.id)
        if current.sent_at is not None or current.attempts != mail.attempts - 1:
            return False
        self._rows[mail.id] = mail
        return True

    def update(self, mail: QueuedMail) -> QueuedMail:
        """Replace the stored mail."""
        self.get(mail.id)
        self._rows[mail.id] = mail
        return mail

    def unsent(self) -> Sequence[QueuedMail]:
        """Every unsent mail, oldest first."""
        return self._select(lambda m: m.sent_at is None, lambda m: (m.queued_at, m.id))


def _row_key(key: str) -> int:
    try:
        return int(key, 16)
    except ValueError:
        raise NotFound("Onbekende sleutel.") from None
