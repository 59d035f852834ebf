"""The unit of work: one transaction over the one list of repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from elk_domain.ports.accounts import (
    AccountTokenRepository,
    ParentAccountRepository,
    ThrottleRepository,
    UserRepository,
)
from elk_domain.ports.organisation import (
    BoardRepository,
    GroupRepository,
    SchoolPreferencesRepository,
    SchoolRepository,
)
from elk_domain.ports.oso import DeliveryPointRepository, OsoNotificationRepository
from elk_domain.ports.pupils import (
    NoteRepository,
    OkiDocRepository,
    PupilOverviewQuery,
    PupilRepository,
    RegistrationRepository,
)
from elk_domain.ports.records import AuditLog, MailQueue, NewsRepository, SettingsRepository


class Repositories(Protocol):
    """The repository set of a unit of work: its one definition, attribute name and port.

    ``UnitOfWork`` adds the transaction to it. The SQLAlchemy and the in-memory unit of work
    subclass ``UnitOfWork`` and only wire an adapter to every name: mypy checks each adapter
    against its port and refuses to instantiate a unit of work that leaves a name unwired;
    tests/architecture/test_repository_set.py checks the same at run time.
    """

    boards: BoardRepository
    schools: SchoolRepository
    groups: GroupRepository
    pupils: PupilRepository
    okidocs: OkiDocRepository
    users: UserRepository
    news: NewsRepository
    settings: SettingsRepository
    audit: AuditLog
    notes: NoteRepository
    registrations: RegistrationRepository
    parent_accounts: ParentAccountRepository
    overview: PupilOverviewQuery
    delivery_points: DeliveryPointRepository
    oso_notifications: OsoNotificationRepository
    account_tokens: AccountTokenRepository
    throttle: ThrottleRepository
    preferences: SchoolPreferencesRepository
    mail_queue: MailQueue


class UnitOfWork(Repositories, Protocol):
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
