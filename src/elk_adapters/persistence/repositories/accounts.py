"""Staff-account links (invite, reset), login throttling and the mail outbox in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.accounts.throttle import Attempts
from elk_domain.accounts.tokens import AccountToken, TokenPurpose
from elk_domain.errors import NotFound
from elk_domain.kernel.mail import OutgoingMail, QueuedMail


def _token_from_row(row: Row[Any]) -> AccountToken:
    return AccountToken(
        id=row.id,
        user_id=row.user_id,
        purpose=TokenPurpose(row.purpose),
        digest=row.digest,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


class SqlAlchemyAccountTokenRepository(SqlRepository):
    """Invite and password-reset links (digests only)."""

    label = "Link"

    def add(self, token: AccountToken) -> AccountToken:
        """Store a new token record and return it with its id."""
        values = attrs.asdict(token, filter=lambda a, _: a.name != "id")
        values["purpose"] = token.purpose.value
        return attrs.evolve(token, id=self._insert(t.account_tokens, values))

    def by_digest(self, digest: str) -> AccountToken | None:
        """The token record with this digest, used or not."""
        query = sa.select(t.account_tokens).where(t.account_tokens.c.digest == digest)
        row = self._execute(query).first()
        return None if row is None else _token_from_row(row)

    def for_user(self, user_id: int) -> Sequence[AccountToken]:
        """The user's token records, oldest first."""
        query = (
            sa.select(t.account_tokens)
            .where(t.account_tokens.c.user_id == user_id)
            .order_by(t.account_tokens.c.id)
        )
        return [_token_from_row(row) for row in self._execute(query)]

    def update(self, token: AccountToken) -> AccountToken:
        """Save ``used_at``; raises NotFound."""
        statement = (
            sa.update(t.account_tokens)
            .where(t.account_tokens.c.id == token.id)
            .values(used_at=token.used_at)
        )
        if self._write(statement).rowcount == 0:
            raise NotFound(f"{self.label} {token.id} bestaat niet.")
        return token


class SqlAlchemyThrottleRepository(SqlRepository):
    """Failed-attempt counters keyed by a SHA-256 digest."""

    label = "Poging"

    def get(self, key: str) -> Attempts | None:
        """The attempts under a key digest, if any."""
        return self._read(sa.select(t.login_throttle).where(t.login_throttle.c.key == key))

    def lock(self, key: str) -> Attempts | None:
        """The attempts under a key; concurrent lockers of the key wait for this transaction.

        SQLite: the read-write unit of work began IMMEDIATE and holds the database's write
        lock, so a plain read is already serialised. PostgreSQL: make sure the row exists
        (an empty one; a concurrent insert waits here), then lock it with FOR UPDATE.
        """
        query = sa.select(t.login_throttle).where(t.login_throttle.c.key == key)
        if self._connection.dialect.name != "postgresql":
            return self._read(query)
        empty = postgresql.insert(t.login_throttle).values(key=key, failures=0)
        self._write(empty.on_conflict_do_nothing(index_elements=["key"]), savepoint=False)
        attempts = self._read(query.with_for_update())
        fresh = attempts is not None and not attempts.failures and not attempts.last_failure_at
        return None if fresh else attempts  # the empty row stands for "nothing recorded"

    def _read(self, query: sa.Select[Any]) -> Attempts | None:
        row = self._execute(query).first()
        if row is None:
            return None
        return Attempts(key=row.key, failures=row.failures, last_failure_at=row.last_failure_at)

    def save(self, attempts: Attempts) -> None:
        """Insert or replace."""
        values = {"failures": attempts.failures, "last_failure_at": attempts.last_failure_at}
        where = t.login_throttle.c.key == attempts.key
        if self._write(sa.update(t.login_throttle).where(where).values(**values)).rowcount == 0:
            self._write(sa.insert(t.login_throttle).values(key=attempts.key, **values))

    def clear(self, key: str) -> None:
        """Forget the key; missing keys are ignored."""
        self._write(sa.delete(t.login_throttle).where(t.login_throttle.c.key == key))


def _mail_from_row(row: Row[Any]) -> QueuedMail:
    return QueuedMail(
        id=row.id,
        mail=OutgoingMail(to=row.recipient, subject=row.subject, body=row.body),
        queued_at=row.queued_at,
        next_attempt_at=row.next_attempt_at,
        attempts=row.attempts,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


def _mail_values(mail: QueuedMail) -> dict[str, Any]:
    return {
        "recipient": mail.mail.to,
        "subject": mail.mail.subject,
        "body": mail.mail.body,
        "queued_at": mail.queued_at,
        "next_attempt_at": mail.next_attempt_at,
        "attempts": mail.attempts,
        "sent_at": mail.sent_at,
        "last_error": mail.last_error,
    }


class SqlAlchemyMailQueue(SqlRepository):
    """The outbox: mail waiting for the delivery worker."""

    label = "E-mail"

    def add(self, mail: QueuedMail) -> QueuedMail:
        """Store a new mail and return it with its id."""
        return attrs.evolve(mail, id=self._insert(t.mail_queue, _mail_values(mail)))

    def due(self, now: dt.datetime, limit: int) -> Sequence[QueuedMail]:
        """Unsent mail due now, the longest waiting first."""
        column = t.mail_queue.c.next_attempt_at
        query = (
            sa.select(t.mail_queue)
            .where(column <= now)
            .order_by(column, t.mail_queue.c.id)
            .limit(limit)
        )
        return [_mail_from_row(row) for row in self._execute(query)]

    def claim(self, mail: QueuedMail) -> bool:
        """Store the claimed mail unless another worker claimed or sent it since it was read."""
        c = t.mail_queue.c
        statement = (
            sa.update(t.mail_queue)
            .where(c.id == mail.id, c.attempts == mail.attempts - 1, c.sent_at.is_(None))
            .values(attempts=mail.attempts, next_attempt_at=mail.next_attempt_at)
        )
        return self._write(statement, savepoint=False).rowcount == 1

    def update(self, mail: QueuedMail) -> QueuedMail:
        """Save the outcome of an attempt; raises NotFound."""
        statement = (
            sa.update(t.mail_queue).where(t.mail_queue.c.id == mail.id).values(**_mail_values(mail))
        )
        if self._write(statement, savepoint=False).rowcount == 0:
            raise NotFound(f"{self.label} {mail.id} bestaat niet.")
        return mail

    def unsent(self) -> Sequence[QueuedMail]:
        """Every unsent mail, oldest first."""
        query = (
            sa.select(t.mail_queue)
            .where(t.mail_queue.c.sent_at.is_(None))
            .order_by(t.mail_queue.c.queued_at, t.mail_queue.c.id)
        )
        return [_mail_from_row(row) for row in self._execute(query)]
