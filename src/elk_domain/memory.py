"""In-memory implementations of every port: for tests, demos and developers embedding ELK.

``InMemoryStore`` holds the committed state; each ``InMemoryUnitOfWork`` works on a copy and
writes it back on ``commit``. Entities are frozen, so shallow copies are safe.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from types import TracebackType
from typing import Any, Self

import attrs

from elk_domain.errors import Conflict, NotFound, Unavailable
from elk_domain.memory_accounts import (
    InMemoryAccountTokenRepository,
    InMemoryMailQueue,
    InMemoryThrottleRepository,
)
from elk_domain.memory_oso import (
    InMemoryDeliveryPointRepository,
    InMemoryOsoNotificationRepository,
)
from elk_domain.memory_overview import InMemoryPupilOverviewQuery
from elk_domain.memory_preferences import InMemorySchoolPreferencesRepository
from elk_domain.memory_tables import (
    STALE,
    TABLES,
    InMemoryAuditLog,
    InMemoryBoardRepository,
    InMemoryGroupRepository,
    InMemoryNewsRepository,
    InMemoryNoteRepository,
    InMemoryOkiDocRepository,
    InMemoryParentAccountRepository,
    InMemoryPupilRepository,
    InMemoryRegistrationRepository,
    InMemorySchoolRepository,
    InMemorySettingsRepository,
    InMemoryStore,
    InMemoryUserRepository,
)
from elk_domain.model.audit import AuditEntry
from elk_domain.ports import (
    AccountTokenRepository,
    AuditLog,
    BoardRepository,
    DeliveryPointRepository,
    GroupRepository,
    MailQueue,
    NewsRepository,
    NoteRepository,
    OkiDocRepository,
    OsoNotificationRepository,
    OutgoingMail,
    ParentAccountRepository,
    PupilOverviewQuery,
    PupilRepository,
    RegistrationRepository,
    SchoolPreferencesRepository,
    SchoolRepository,
    SettingsRepository,
    ThrottleRepository,
    UserRepository,
)

__all__ = [
    "FixedClock",
    "InMemoryFileStore",
    "InMemoryMailer",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "InsecurePlainHasher",
    "SeededRandom",
]


class InMemoryUnitOfWork:
    """A unit of work over an ``InMemoryStore``; satisfies ``elk_domain.ports.UnitOfWork``."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.commits = 0
        self._snapshot: dict[str, dict[int, Any]] = {}
        self._work: dict[str, dict[int, Any]] = {name: {} for name in TABLES}
        self._audit: list[AuditEntry] = []
        self.working_timeline = self.store.timeline
        self._wire()
        self._begin()

    def _wire(self) -> None:
        work = (self.store, self._work)
        self.boards: BoardRepository = InMemoryBoardRepository(*work)
        self.schools: SchoolRepository = InMemorySchoolRepository(*work)
        self.groups: GroupRepository = InMemoryGroupRepository(*work)
        self.pupils: PupilRepository = InMemoryPupilRepository(*work)
        self.okidocs: OkiDocRepository = InMemoryOkiDocRepository(*work)
        self.users: UserRepository = InMemoryUserRepository(*work)
        self.news: NewsRepository = InMemoryNewsRepository(*work)
        self.notes: NoteRepository = InMemoryNoteRepository(*work)
        self.registrations: RegistrationRepository = InMemoryRegistrationRepository(*work)
        self.parent_accounts: ParentAccountRepository = InMemoryParentAccountRepository(*work)
        self.delivery_points: DeliveryPointRepository = InMemoryDeliveryPointRepository(*work)
        self.oso_notifications: OsoNotificationRepository = InMemoryOsoNotificationRepository(*work)
        self.account_tokens: AccountTokenRepository = InMemoryAccountTokenRepository(*work)
        self.throttle: ThrottleRepository = InMemoryThrottleRepository(*work)
        self.preferences: SchoolPreferencesRepository = InMemorySchoolPreferencesRepository(*work)
        self.mail_queue: MailQueue = InMemoryMailQueue(*work)
        self.settings: SettingsRepository = InMemorySettingsRepository(self)
        self.audit: AuditLog = InMemoryAuditLog(self._audit)
        self.overview: PupilOverviewQuery = InMemoryPupilOverviewQuery(self._work)

    def _begin(self) -> None:
        """Start from the committed state (discarding any uncommitted work)."""
        self._snapshot = {name: dict(rows) for name, rows in self.store.tables.items()}
        for name, rows in self._work.items():
            rows.clear()
            rows.update(self._snapshot[name])
        self._audit[:] = self.store.audit
        self.working_timeline = self.store.timeline

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Write the work to the store; Conflict when another unit of work changed a row first."""
        changes = {name: self._changed(name) for name in TABLES}
        for name, keys in changes.items():
            committed, seen = self.store.tables[name], self._snapshot[name]
            if any(committed.get(key) is not seen.get(key) for key in keys):
                raise Conflict(STALE.format(what="deze gegevens"))
        for name, keys in changes.items():
            for key in keys:
                self.store.tables[name][key] = self._work[name][key]
        self.store.audit.extend(self._audit[len(self.store.audit) :])
        self.store.timeline = self.working_timeline
        self.commits += 1
        self._begin()

    def _changed(self, name: str) -> set[int]:
        work, seen = self._work[name], self._snapshot[name]
        # Repositories never delete rows, so every changed key is still in the work.
        return {key for key, row in work.items() if row is not seen.get(key)}

    def rollback(self) -> None:
        """Throw the uncommitted work away."""
        self._begin()


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
