"""In-memory repositories and the store they share; ``elk_domain.memory`` wires them up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from elk_domain.errors import Conflict, NotFound
from elk_domain.model.audit import AuditEntry
from elk_domain.model.news import NewsItem
from elk_domain.model.okidoc import OkiDoc
from elk_domain.model.organisation import Board, Group, School
from elk_domain.model.parent_account import ParentAccount, ParentPortal
from elk_domain.model.people import User
from elk_domain.model.periods import Timeline
from elk_domain.model.pupil import Pupil
from elk_domain.model.values import Bsn, SchoolLocation
from elk_domain.notes import Note
from elk_domain.registration import Registration, RegistrationStatus

if TYPE_CHECKING:
    from elk_domain.memory import InMemoryUnitOfWork

TABLES = (
    "boards",
    "schools",
    "groups",
    "pupils",
    "okidocs",
    "users",
    "news",
    "notes",
    "registrations",
    "parent_accounts",
    "delivery_points",  # keyed by school id
    "oso_notifications",
    "account_tokens",
    "throttle",  # keyed by the key digest read as an integer
    "school_preferences",  # keyed by school id
    "mail_queue",
)

STALE = (
    "Iemand anders heeft {what} intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens."
)


E = TypeVar("E", bound=Any)  # a frozen attrs entity with ``id`` (and ``version`` to update)


@attrs.define
class InMemoryStore:
    """The committed state shared by all units of work of one in-memory installation."""

    tables: dict[str, dict[int, Any]] = attrs.Factory(lambda: {name: {} for name in TABLES})
    audit: list[AuditEntry] = attrs.Factory(list)
    timeline: Timeline = attrs.Factory(Timeline)
    next_ids: dict[str, int] = attrs.Factory(dict)
    next_elk: int = 100001

    def next_id(self, table: str) -> int:
        """Ids are never reused, also not after a rollback (like a database sequence)."""
        value = self.next_ids.get(table, 1)
        self.next_ids[table] = value + 1
        return value


class _Table(Generic[E]):
    """Shared behaviour of the repositories: one working dict of rows per table."""

    label = "Record"
    table = ""

    def __init__(self, store: InMemoryStore, work: dict[str, dict[int, Any]]) -> None:
        self._store = store
        self._work = work
        self._rows: dict[int, E] = work[self.table]

    def get(self, entity_id: int) -> E:
        """The row, or NotFound with a Dutch message."""
        try:
            return self._rows[entity_id]
        except KeyError:
            raise NotFound(f"{self.label} {entity_id} bestaat niet.") from None

    def add(self, entity: E) -> E:
        """Store with a fresh id."""
        stored: E = attrs.evolve(entity, id=self._store.next_id(self.table))
        self._rows[stored.id] = stored
        return stored

    def update(self, entity: E) -> E:
        """Store with version + 1; Conflict when the version is stale."""
        current = self.get(entity.id)
        if current.version != entity.version:
            raise Conflict(STALE.format(what=f"{self.label.lower()} {entity.id}"))
        stored: E = attrs.evolve(entity, version=entity.version + 1)
        self._rows[stored.id] = stored
        return stored

    def _select(self, keep: Callable[[E], bool], key: Callable[[E], Any]) -> list[E]:
        return sorted((row for row in self._rows.values() if keep(row)), key=key)


class InMemoryBoardRepository(_Table[Board]):
    """Boards."""

    label = "Bestuur"
    table = "boards"

    def list(self) -> Sequence[Board]:
        """All boards, by name."""
        return self._select(lambda _: True, lambda b: b.name.lower())


class InMemorySchoolRepository(_Table[School]):
    """Schools."""

    label = "School"
    table = "schools"

    def by_location(self, location: SchoolLocation) -> School | None:
        """The school at a BRIN + vestigingscode."""
        return next((s for s in self._rows.values() if s.location == location), None)

    def list(self, *, board_id: int | None = None) -> Sequence[School]:
        """Schools, optionally of one board, by name."""
        return self._select(
            lambda s: board_id is None or s.board_id == board_id, lambda s: s.name.lower()
        )


class InMemoryGroupRepository(_Table[Group]):
    """Groups; they carry no version, so an update simply replaces."""

    label = "Groep"
    table = "groups"

    def list(self, school_id: int) -> Sequence[Group]:
        """The school's groups, by name."""
        return self._select(lambda g: g.school_id == school_id, lambda g: g.name.lower())

    def contact_group_ids(self, school_id: int, user_id: int) -> frozenset[int]:
        """Ids of the school's groups the user is a contact person of."""
        return frozenset(
            g.id
            for g in self._rows.values()
            if g.school_id == school_id and user_id in g.contact_user_ids
        )

    def update(self, entity: Group) -> Group:
        """Replace the stored group."""
        self.get(entity.id)
        self._rows[entity.id] = entity
        return entity


class InMemoryPupilRepository(_Table[Pupil]):
    """Pupils."""

    label = "Leerling"
    table = "pupils"

    def by_bsn(self, school_id: int, bsn: Bsn) -> Pupil | None:
        """The school's pupil with this BSN."""
        return next(
            (p for p in self._rows.values() if p.school_id == school_id and p.bsn == bsn), None
        )

    def list(self, school_id: int, *, group_ids: Iterable[int] | None = None) -> Sequence[Pupil]:
        """The school's pupils, optionally of some groups, by name."""
        wanted = None if group_ids is None else frozenset(group_ids)
        return self._select(
            lambda p: p.school_id == school_id and (wanted is None or p.group_id in wanted),
            lambda p: p.name.sort_key().lower(),
        )

    def next_elk_number(self) -> int:
        """A fresh ELK number."""
        value = self._store.next_elk
        self._store.next_elk += 1
        return value


class InMemoryOkiDocRepository(_Table[OkiDoc]):
    """Oki-docs, one per pupil."""

    label = "Oki-doc"
    table = "okidocs"

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        found = next((d for d in self._rows.values() if d.pupil_id == pupil_id), None)
        if found is None:
            raise NotFound(f"Leerling {pupil_id} heeft geen Oki-doc.")
        return found

    def add(self, entity: OkiDoc) -> OkiDoc:
        """Store; Conflict when the pupil already has one."""
        if any(d.pupil_id == entity.pupil_id for d in self._rows.values()):
            raise Conflict(f"Leerling {entity.pupil_id} heeft al een Oki-doc.")
        return super().add(entity)


class InMemoryUserRepository(_Table[User]):
    """Staff users."""

    label = "Gebruiker"
    table = "users"

    def by_email(self, email: str) -> User | None:
        """Case-insensitive lookup."""
        wanted = email.strip().casefold()
        return next((u for u in self._rows.values() if u.email.casefold() == wanted), None)

    def with_contact_groups(self, user_id: int) -> tuple[User, frozenset[int]]:
        """The user and the ids of their school's groups they are a contact person of."""
        user = self.get(user_id)
        groups: dict[int, Group] = self._work["groups"]
        return user, frozenset(
            g.id
            for g in groups.values()
            if g.school_id == user.school_id and user_id in g.contact_user_ids
        )

    def list(self, *, board_id: int | None = None, school_id: int | None = None) -> Sequence[User]:
        """Users in a scope, by name."""
        return self._select(
            lambda u: (
                (board_id is None or u.board_id == board_id)
                and (school_id is None or u.school_id == school_id)
            ),
            lambda u: u.display_name.lower(),
        )


class InMemoryNewsRepository(_Table[NewsItem]):
    """News items."""

    label = "Nieuwsbericht"
    table = "news"

    def latest(self, limit: int = 10) -> Sequence[NewsItem]:
        """Newest first."""
        return self._select(lambda _: True, lambda n: (n.published_at, n.id))[::-1][:limit]


class InMemoryNoteRepository(_Table[Note]):
    """Notes."""

    label = "Notitie"
    table = "notes"

    def for_pupil(self, pupil_id: int) -> Sequence[Note]:
        """Oldest first."""
        return self._select(lambda n: n.pupil_id == pupil_id, lambda n: (n.created_at, n.id))


class InMemoryRegistrationRepository(_Table[Registration]):
    """Registrations."""

    label = "Aanmelding"
    table = "registrations"

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure."""
        return next(
            (r for r in self._rows.values() if (r.pupil_id, r.procedure) == (pupil_id, procedure)),
            None,
        )

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Definitive registrations with the school as first choice."""
        return self._select(
            lambda r: (
                r.status is RegistrationStatus.DEFINITIVE
                and r.preferences.first_choice_id == school_id
            ),
            lambda r: r.id,
        )


class InMemoryParentAccountRepository(_Table[ParentAccount]):
    """Parent accounts."""

    label = "Ouderaccount"
    table = "parent_accounts"

    def for_pupil(self, pupil_id: int, portal: ParentPortal) -> ParentAccount | None:
        """The pupil's account for that portal."""
        return next(
            (a for a in self._rows.values() if (a.pupil_id, a.portal) == (pupil_id, portal)), None
        )

    def by_token_digest(self, digest: str) -> ParentAccount | None:
        """The account with this pending token digest."""
        return next((a for a in self._rows.values() if a.token_digest == digest), None)


class InMemorySettingsRepository:
    """The timeline, kept on the unit of work."""

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def timeline(self) -> Timeline:
        """The current timeline."""
        return self._uow.working_timeline

    def save_timeline(self, timeline: Timeline) -> None:
        """Replace the timeline."""
        self._uow.working_timeline = timeline


class InMemoryAuditLog:
    """Audit entries of the unit of work, appended to the store on commit."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        self._entries = entries

    def record(self, entry: AuditEntry) -> None:
        """Append one entry."""
        self._entries.append(entry)

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEntry]:
        """History of one record, oldest first."""
        return [
            e for e in self._entries if (e.subject_type, e.subject_id) == (subject_type, subject_id)
        ]

    def recent(
        self, *, school_ids: Iterable[int] | None = None, limit: int = 200
    ) -> Sequence[AuditEntry]:
        """Newest first; with ``school_ids`` only entries about those schools."""
        wanted = None if school_ids is None else frozenset(school_ids)
        found = [e for e in self._entries if wanted is None or e.school_id in wanted]
        return found[::-1][:limit]

    def all(self) -> Sequence[AuditEntry]:
        """Every entry, oldest first (tests and demos)."""
        return list(self._entries)
