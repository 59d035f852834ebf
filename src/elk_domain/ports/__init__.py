"""What the domain needs from the outside world, as structural protocols.

Adapters in ``elk_adapters`` satisfy these without inheriting from them, except the units of
work: they subclass ``UnitOfWork`` to share its one list of repositories (``Repositories``).
Tests and embedders use the in-memory fakes in ``elk_domain.testing``. Every method that can
fail outside the domain raises an ``elk_domain.errors`` type.
"""

from elk_domain.model.mail import OutgoingMail  # re-exported: the Mailer port
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
from elk_domain.ports.oso import DeliveryPointRepository, OsoGateway, OsoNotificationRepository
from elk_domain.ports.outside import (
    Clock,
    DocumentRenderer,
    FileStore,
    Mailer,
    PasswordHasher,
    RandomSource,
)
from elk_domain.ports.pupils import (
    NoteRepository,
    OkiDocRepository,
    PupilOverviewQuery,
    PupilRepository,
    RegistrationRepository,
)
from elk_domain.ports.records import AuditLog, MailQueue, NewsRepository, SettingsRepository
from elk_domain.ports.unit_of_work import Repositories, UnitOfWork

__all__ = [
    "AccountTokenRepository",
    "AuditLog",
    "BoardRepository",
    "Clock",
    "DeliveryPointRepository",
    "DocumentRenderer",
    "FileStore",
    "GroupRepository",
    "MailQueue",
    "Mailer",
    "NewsRepository",
    "NoteRepository",
    "OkiDocRepository",
    "OsoGateway",
    "OsoNotificationRepository",
    "OutgoingMail",
    "ParentAccountRepository",
    "PasswordHasher",
    "PupilOverviewQuery",
    "PupilRepository",
    "RandomSource",
    "RegistrationRepository",
    "Repositories",
    "SchoolPreferencesRepository",
    "SchoolRepository",
    "SettingsRepository",
    "ThrottleRepository",
    "UnitOfWork",
    "UserRepository",
]
