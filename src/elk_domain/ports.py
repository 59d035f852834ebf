"""What the domain needs from the outside world, as structural protocols.

Adapters in ``elk_adapters`` satisfy these without inheriting from them, except the units of
work: they subclass ``UnitOfWork`` to share its one list of repositories (``Repositories``).
Tests and embedders use the in-memory fakes in ``elk_domain.testing``. Every method that can
fail outside the domain raises an ``elk_domain.errors`` type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self

from elk_domain.model.account_tokens import AccountToken
from elk_domain.model.audit import AuditEntry
from elk_domain.model.delivery_point import DeliveryPoint, StoredNotification
from elk_domain.model.dossier import OsoDossier
from elk_domain.model.mail import OutgoingMail as OutgoingMail  # re-exported: the Mailer port
from elk_domain.model.mail import QueuedMail
from elk_domain.model.news import NewsItem
from elk_domain.model.okidoc import OkiDoc
from elk_domain.model.organisation import Board, Group, School
from elk_domain.model.oso_transport import DeliveryPointStatus, OsoNotification, TransferTicket
from elk_domain.model.overview import GroupChoice, OverviewPage, OverviewQuery, StatusCounts
from elk_domain.model.parent_account import ParentAccount, ParentPortal
from elk_domain.model.people import User
from elk_domain.model.periods import Timeline
from elk_domain.model.preferences import SchoolPreferences
from elk_domain.model.pupil import Pupil
from elk_domain.model.values import Bsn, SchoolLocation
from elk_domain.notes import Note
from elk_domain.registration import Registration
from elk_domain.throttle import Attempts


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


class BoardRepository(Protocol):
    """Boards (besturen)."""

    def get(self, board_id: int) -> Board:
        """Raises NotFound."""
        ...

    def list(self) -> Sequence[Board]:
        """All boards, by name."""
        ...

    def add(self, board: Board) -> Board:
        """Store a new board (``id`` ignored) and return it with its id."""
        ...


class SchoolRepository(Protocol):
    """PO and VO school locations."""

    def get(self, school_id: int) -> School:
        """Raises NotFound."""
        ...

    def by_location(self, location: SchoolLocation) -> School | None:
        """The school at a BRIN + vestigingscode."""
        ...

    def list(self, *, board_id: int | None = None) -> Sequence[School]:
        """Schools, optionally of one board, by name."""
        ...

    def add(self, school: School) -> School:
        """Store a new school and return it with its id."""
        ...

    def update(self, school: School) -> School:
        """Save changes; raises Conflict when ``school.version`` is not the stored one."""
        ...


class GroupRepository(Protocol):
    """Groups (klassen) of a school."""

    def get(self, group_id: int) -> Group:
        """Raises NotFound."""
        ...

    def list(self, school_id: int) -> Sequence[Group]:
        """The school's groups, by name."""
        ...

    def contact_group_ids(self, school_id: int, user_id: int) -> frozenset[int]:
        """Ids of the school's groups the user is a contact person of (one cheap query)."""
        ...

    def add(self, group: Group) -> Group:
        """Store a new group and return it with its id."""
        ...

    def update(self, group: Group) -> Group:
        """Save name and contact persons."""
        ...


class PupilRepository(Protocol):
    """Pupils."""

    def get(self, pupil_id: int) -> Pupil:
        """Raises NotFound."""
        ...

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        ...

    def list(self, school_id: int, *, group_ids: Iterable[int] | None = None) -> Sequence[Pupil]:
        """The school's pupils (optionally of some groups only), by name."""
        ...

    def add(self, pupil: Pupil) -> Pupil:
        """Store a new pupil and return it with its id (the ELK number is given)."""
        ...

    def update(self, pupil: Pupil) -> Pupil:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...

    def next_elk_number(self) -> int:
        """A fresh ELK number, unique in the region."""
        ...


class OkiDocRepository(Protocol):
    """Oki-docs, one per pupil."""

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        ...

    def add(self, okidoc: OkiDoc) -> OkiDoc:
        """Store a new Oki-doc and return it with its id."""
        ...

    def update(self, okidoc: OkiDoc) -> OkiDoc:
        """Save all content; raises Conflict when ``okidoc.version`` is stale."""
        ...


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


class NewsRepository(Protocol):
    """News items for the home page."""

    def latest(self, limit: int = 10) -> Sequence[NewsItem]:
        """Newest first."""
        ...

    def add(self, item: NewsItem) -> NewsItem:
        """Store and return with id."""
        ...


class SettingsRepository(Protocol):
    """Region-wide settings kept in the database (the timeline)."""

    def timeline(self) -> Timeline:
        """The current timeline (empty periods when not set)."""
        ...

    def save_timeline(self, timeline: Timeline) -> None:
        """Replace the timeline."""
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


class NoteRepository(Protocol):
    """Notes on pupils (R-LL-3)."""

    def get(self, note_id: int) -> Note:
        """Raises NotFound."""
        ...

    def for_pupil(self, pupil_id: int) -> Sequence[Note]:
        """The pupil's notes, oldest first."""
        ...

    def add(self, note: Note) -> Note:
        """Store a new note and return it with its id."""
        ...


class RegistrationRepository(Protocol):
    """Registrations by parents, one per pupil and procedure (R-AAN)."""

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure, if any."""
        ...

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Registrations the VO school sees: definitive ones with it as first choice."""
        ...

    def add(self, registration: Registration) -> Registration:
        """Store a new registration and return it with its id."""
        ...

    def update(self, registration: Registration) -> Registration:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...


class ParentAccountRepository(Protocol):
    """Parent logins, one per pupil and portal (R-OUD-2)."""

    def for_pupil(self, pupil_id: int, portal: ParentPortal) -> ParentAccount | None:
        """The pupil's account for that portal, if a login was sent."""
        ...

    def by_token_digest(self, digest: str) -> ParentAccount | None:
        """The account whose pending set-password token has this digest."""
        ...

    def add(self, account: ParentAccount) -> ParentAccount:
        """Store a new account and return it with its id."""
        ...

    def update(self, account: ParentAccount) -> ParentAccount:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...


class DeliveryPointRepository(Protocol):
    """OSO delivery points, at most one per school location (R-OSO-1/2)."""

    def for_school(self, school_id: int) -> DeliveryPoint | None:
        """The school's delivery point, or None when none was ever entered."""
        ...

    def list(self, school_ids: Iterable[int]) -> Sequence[DeliveryPoint]:
        """The stored delivery points of these schools, by school id."""
        ...

    def save(self, point: DeliveryPoint) -> DeliveryPoint:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        ...


class OsoNotificationRepository(Protocol):
    """Messages from OSO kept per school (R-OSO-7)."""

    def add(self, notification: StoredNotification) -> bool:
        """Store (``id`` ignored) unless the school has one with the same key; True when new."""
        ...

    def for_school(self, school_id: int, limit: int = 200) -> Sequence[StoredNotification]:
        """The school's notifications, newest first (by OSO's time, then arrival)."""
        ...

    def count_for_school(self, school_id: int) -> int:
        """How many notifications the school has (the home page's indicator, R-OSO-7)."""
        ...


class SchoolPreferencesRepository(Protocol):
    """Each school's Voorkeursinstellingen: defaults for the Ind. LWOO/PrO tab (R-AUTH-3)."""

    def for_school(self, school_id: int) -> SchoolPreferences:
        """The school's preferences; blank ones (version 0) when none were ever saved."""
        ...

    def save(self, preferences: SchoolPreferences) -> SchoolPreferences:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        ...


class PupilOverviewQuery(Protocol):
    """The read model behind the Leerlingen overview and the status overviews (R-LL-1, R-LL-4).

    Each call costs a fixed number of database queries, whatever the page size.
    """

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        ...

    def school_groups(self, school_id: int) -> tuple[School, Sequence[GroupChoice]]:
        """The school and its groups by name, for the page's heading and filter; NotFound."""
        ...

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per school (by name): pupils per Oki-doc status and per registration status."""
        ...


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


class DocumentRenderer(Protocol):
    """Renders documents (Oki-doc, registration form) to PDF."""

    def render(self, template: str, context: dict[str, object]) -> bytes:
        """PDF bytes."""
        ...


class PasswordHasher(Protocol):
    """Hashes and checks passwords (argon2id in production)."""

    def hash(self, password: str) -> str:
        """A self-describing hash string."""
        ...

    def verify(self, hashed: str, password: str) -> bool:
        """True when the password matches."""
        ...


class OsoGateway(Protocol):
    """The OSO exchange (Traffic Center + the school's LAS) as ELK needs it (R-OSO-1..8).

    Raises ``Unavailable`` when OSO does not answer (timeout, HTTP 5xx) and ``Rejected`` when it
    refuses (SOAP fault) or sends something unusable (invalid, hostile or foreign dossier).
    """

    def register_delivery_point(
        self, location: SchoolLocation, number: str, key: str
    ) -> DeliveryPointStatus:
        """Register the delivery point from "Mijn OSO"; Rejected when number/key do not match."""
        ...

    def ping(self, location: SchoolLocation) -> DeliveryPointStatus:
        """Check the connection and whether the location may still request transfers."""
        ...

    def request_transfer(self, location: SchoolLocation, bsn: Bsn) -> TransferTicket:
        """Ask for the pupil's dossier within the own BRIN (PO-PO)."""
        ...

    def fetch_dossier(self, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """The ready dossier of the pupil at the location, or None when none is ready."""
        ...

    def notifications(self, location: SchoolLocation) -> Sequence[OsoNotification]:
        """Messages OSO holds for the location, oldest first."""
        ...
