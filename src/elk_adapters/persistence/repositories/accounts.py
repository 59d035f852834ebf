"""Staff-account links (invite, reset) and login throttling in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.errors import NotFound
from elk_domain.model.account_tokens import AccountToken, TokenPurpose
from elk_domain.throttle import Attempts


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
        query = sa.select(t.login_throttle).where(t.login_throttle.c.key == key)
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
