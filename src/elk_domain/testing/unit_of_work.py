"""The top of the in-memory fakes: a unit of work wiring every area's repositories together.

``InMemoryStore`` holds the committed state; each ``InMemoryUnitOfWork`` works on a copy and
writes it back on ``commit``. Entities are frozen, so shallow copies are safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

# Module imports, not ``from elk_domain.testing import …``: the package re-exports this module,
# so importing through it would be a circle.
import elk_domain.testing.accounts as accounts
import elk_domain.testing.organisation as organisation
import elk_domain.testing.oso as oso
import elk_domain.testing.overview as overview
import elk_domain.testing.parents as parents
import elk_domain.testing.placement as placement
import elk_domain.testing.preferences as preferences
import elk_domain.testing.pupils as pupils
import elk_domain.testing.records as records
import elk_domain.testing.vo as vo
from elk_domain.errors import Conflict
from elk_domain.kernel.audit import AuditEntry
from elk_domain.testing.store import STALE, TABLES, InMemoryStore, Rows
from elk_domain.unit_of_work import UnitOfWork

__all__ = ["InMemoryUnitOfWork"]


class InMemoryUnitOfWork(UnitOfWork):
    """A unit of work over an ``InMemoryStore``; a ``UnitOfWork`` wiring every repository."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.commits = 0
        self._snapshot: Rows = {}
        self._work: Rows = {name: {} for name in TABLES}
        self._audit: list[AuditEntry] = []
        self.working_timeline = self.store.timeline
        self._wire()
        self._begin()

    def _wire(self) -> None:
        work = (self.store, self._work)
        self.boards = organisation.InMemoryBoardRepository(*work)
        self.schools = organisation.InMemorySchoolRepository(*work)
        self.groups = organisation.InMemoryGroupRepository(*work)
        self.pupils = pupils.InMemoryPupilRepository(*work)
        self.okidocs = pupils.InMemoryOkiDocRepository(*work)
        self.users = organisation.InMemoryUserRepository(*work)
        self.news = records.InMemoryNewsRepository(*work)
        self.notes = pupils.InMemoryNoteRepository(*work)
        self.registrations = parents.InMemoryRegistrationRepository(*work)
        self.parent_accounts = parents.InMemoryParentAccountRepository(*work)
        self.correction_requests = parents.InMemoryCorrectionRequestRepository(*work)
        self.orientation_lists = parents.InMemoryOrientationListRepository(*work)
        self.delivery_points = oso.InMemoryDeliveryPointRepository(*work)
        self.oso_notifications = oso.InMemoryOsoNotificationRepository(*work)
        self.account_tokens = accounts.InMemoryAccountTokenRepository(*work)
        self.throttle = accounts.InMemoryThrottleRepository(*work)
        self.preferences = preferences.InMemorySchoolPreferencesRepository(*work)
        self.mail_queue = accounts.InMemoryMailQueue(*work)
        self.placement_runs = placement.InMemoryPlacementRunRepository(*work)
        self.settings = records.InMemorySettingsRepository(self)
        self.audit = records.InMemoryAuditLog(self._audit)
        self.overview = overview.InMemoryPupilOverviewQuery(self._work)
        self.vo_region = vo.InMemoryVoRegionQuery(self._work)

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

    def __exit__(self, *exc_info: object) -> None:
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


if TYPE_CHECKING:  # mypy: a repository of the port left unwired leaves the class abstract
    _ = InMemoryUnitOfWork()
