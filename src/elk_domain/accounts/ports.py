"""Repositories of staff logins: users, account tokens and the login throttle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from elk_domain.accounts.throttle import Attempts
from elk_domain.accounts.tokens import AccountToken
from elk_domain.kernel.people import User
from elk_domain.organisation.ports import OrganisationWork


class UserRepository(Protocol):
    """Staff accounts."""

    def get(self, user_id: int) -> User:
        """Raises NotFound."""
        ...

    def by_email(self, email: str) -> User | None:
        """Case-insensitive lookup."""
        ...

    def with_contact_groups(self, user_id: int) -> tuple[User, frozenset[int]]:
        """The user and the ids of their school's groups they are a contact person of.

        What every request of a logged-in user needs, so one query; raises NotFound.
        """
        ...

    def list(self, *, board_id: int | None = None, school_id: int | None = None) -> Sequence[User]:
        """Users in a scope, by name."""
        ...

    def add(self, user: User) -> User:
        """Store a new user and return it with its id."""
        ...

    def update(self, user: User) -> User:
        """Save changes; raises Conflict on a stale version."""
        ...


class AccountTokenRepository(Protocol):
    """Invite and password-reset links of staff users (only digests are stored)."""

    def add(self, token: AccountToken) -> AccountToken:
        """Store a new token record and return it with its id."""
        ...

    def by_digest(self, digest: str) -> AccountToken | None:
        """The token record with this digest, used or not."""
        ...

    def for_user(self, user_id: int) -> Sequence[AccountToken]:
        """The user's token records, oldest first (to revoke the unused ones)."""
        ...

    def update(self, token: AccountToken) -> AccountToken:
        """Save ``used_at`` (a used or revoked token); raises NotFound."""
        ...


class ThrottleRepository(Protocol):
    """Failed-attempt counters for login throttling, kept in the database (not per process)."""

    def get(self, key: str) -> Attempts | None:
        """The attempts under a key digest, if any were recorded."""
        ...

    def lock(self, key: str) -> Attempts | None:
        """Like ``get``, but other units of work that lock the key wait until this one ends.

        So counting an attempt (read, decide, write) is atomic under concurrency.
        """
        ...

    def save(self, attempts: Attempts) -> None:
        """Insert or replace the attempts under ``attempts.key``."""
        ...

    def clear(self, key: str) -> None:
        """Forget the key (after a successful login); missing keys are ignored."""
        ...


class AccountRepositories(Protocol):
    """The accounts' repositories."""

    users: UserRepository
    account_tokens: AccountTokenRepository
    throttle: ThrottleRepository


class AccountsWork(AccountRepositories, OrganisationWork, Protocol):
    """The unit of work of the accounts' use cases: theirs and the organisation's repositories."""
