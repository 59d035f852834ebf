"""In-memory fakes of every port, for ELK's own domain tests and for developers embedding ELK.

Import from here to run the use cases without a database, a mail server or OSO::

    from elk_domain.testing import FixedClock, InMemoryUnitOfWork

The product never imports this package (an import-linter contract holds that). Inside it the
modules form layers without circles: ``store`` at the bottom (the committed state and the base
of every table), one module per area's fakes above it (``organisation``, ``pupils``,
``parents``, ``records``, ``accounts``, ``preferences``, ``oso``, ``overview``, ``vo``, and
``outside`` for clock, randomness, mail, files and passwords), and ``unit_of_work`` on top,
which wires the repositories into an ``InMemoryUnitOfWork``. The repository contract tests run
these fakes against the same tests as the SQLite and PostgreSQL repositories.
"""

from elk_domain.testing.accounts import (
    InMemoryAccountTokenRepository,
    InMemoryMailQueue,
    InMemoryThrottleRepository,
)
from elk_domain.testing.organisation import (
    InMemoryBoardRepository,
    InMemoryGroupRepository,
    InMemorySchoolRepository,
    InMemoryUserRepository,
)
from elk_domain.testing.oso import (
    InlineOsoBatch,
    InMemoryDeliveryPointRepository,
    InMemoryOsoGateway,
    InMemoryOsoNotificationRepository,
)
from elk_domain.testing.outside import (
    FixedClock,
    InMemoryFileStore,
    InMemoryMailer,
    InsecurePlainHasher,
    SeededRandom,
)
from elk_domain.testing.overview import InMemoryPupilOverviewQuery
from elk_domain.testing.parents import (
    InMemoryCorrectionRequestRepository,
    InMemoryParentAccountRepository,
    InMemoryRegistrationRepository,
)
from elk_domain.testing.preferences import InMemorySchoolPreferencesRepository
from elk_domain.testing.pupils import (
    InMemoryNoteRepository,
    InMemoryOkiDocRepository,
    InMemoryPupilRepository,
)
from elk_domain.testing.records import (
    InMemoryAuditLog,
    InMemoryNewsRepository,
    InMemorySettingsRepository,
)
from elk_domain.testing.store import InMemoryStore
from elk_domain.testing.unit_of_work import InMemoryUnitOfWork
from elk_domain.testing.vo import InMemoryVoRegionQuery

__all__ = [
    "FixedClock",
    "InMemoryAccountTokenRepository",
    "InMemoryAuditLog",
    "InMemoryBoardRepository",
    "InMemoryCorrectionRequestRepository",
    "InMemoryDeliveryPointRepository",
    "InMemoryFileStore",
    "InMemoryGroupRepository",
    "InMemoryMailQueue",
    "InMemoryMailer",
    "InMemoryNewsRepository",
    "InMemoryNoteRepository",
    "InMemoryOkiDocRepository",
    "InMemoryOsoGateway",
    "InMemoryOsoNotificationRepository",
    "InMemoryParentAccountRepository",
    "InMemoryPupilOverviewQuery",
    "InMemoryPupilRepository",
    "InMemoryRegistrationRepository",
    "InMemorySchoolPreferencesRepository",
    "InMemorySchoolRepository",
    "InMemorySettingsRepository",
    "InMemoryStore",
    "InMemoryThrottleRepository",
    "InMemoryUnitOfWork",
    "InMemoryUserRepository",
    "InMemoryVoRegionQuery",
    "InlineOsoBatch",
    "InsecurePlainHasher",
    "SeededRandom",
]
