"""In-memory OSO: the gateway and batch fakes for domain tests and embedders, the repositories.

``InMemoryOsoGateway`` behaves like the Traffic Center as ELK sees it: delivery points created in
"Mijn OSO" (number + key) must be registered before transfers may be requested; the Traffic
Center can switch "Mag overdracht aanvragen" off; dossiers are ready per (location, BSN). Faults
can be injected per BSN. The adapter tests use the real SOAP simulator instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterable, Sequence

import attrs

from elk_domain.errors import Conflict, Rejected, Unavailable
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.batch import BatchRun, OsoJob, Progress, PupilSync
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    DeliveryPointStatus,
    NotificationKind,
    OsoNotification,
    StoredNotification,
    TransferTicket,
)
from elk_domain.oso.dossiers.dossier import OsoDossier
from elk_domain.oso.ports import OsoGateway
from elk_domain.testing.store import STALE, InMemoryStore, Rows

__all__ = [
    "InMemoryDeliveryPointRepository",
    "InMemoryOsoGateway",
    "InMemoryOsoNotificationRepository",
    "InlineOsoBatch",
]


class InMemoryDeliveryPointRepository:
    """Delivery points in the unit of work's working rows, keyed by school id."""

    def __init__(self, store: InMemoryStore, work: Rows) -> None:
        self._rows: dict[int, DeliveryPoint] = work["delivery_points"]

    def for_school(self, school_id: int) -> DeliveryPoint | None:
        """The school's delivery point, if stored."""
        return self._rows.get(school_id)

    def list(self, school_ids: Iterable[int]) -> Sequence[DeliveryPoint]:
        """The stored points of these schools, by school id."""
        wanted = set(school_ids)
        return [self._rows[key] for key in sorted(self._rows) if key in wanted]

    def save(self, point: DeliveryPoint) -> DeliveryPoint:
        """Insert or update with version + 1; Conflict when the version is stale."""
        current = self._rows.get(point.school_id)
        if (0 if current is None else current.version) != point.version:
            raise Conflict(STALE.format(what="het aanleverpunt"))
        stored = attrs.evolve(point, version=point.version + 1)
        self._rows[point.school_id] = stored
        return stored


class InMemoryOsoNotificationRepository:
    """Stored OSO notifications in the unit of work's working rows."""

    def __init__(self, store: InMemoryStore, work: Rows) -> None:
        self._store = store
        self._rows: dict[int, StoredNotification] = work["oso_notifications"]

    def add(self, notification: StoredNotification) -> bool:
        """Store unless the school already has this key; True when new."""
        key = (notification.school_id, notification.notification.key)
        if any((n.school_id, n.notification.key) == key for n in self._rows.values()):
            return False
        stored = attrs.evolve(notification, id=self._store.next_id("oso_notifications"))
        self._rows[stored.id] = stored
        return True

    def for_school(self, school_id: int, limit: int = 200) -> Sequence[StoredNotification]:
        """Newest first."""
        mine = [n for n in self._rows.values() if n.school_id == school_id]
        mine.sort(key=lambda n: (n.notification.at, n.id), reverse=True)
        return mine[:limit]

    def count_for_school(self, school_id: int) -> int:
        """How many notifications the school has."""
        return sum(1 for n in self._rows.values() if n.school_id == school_id)


@attrs.define
class _Point:
    number: str
    key: str = attrs.field(repr=False)
    registered: bool = False
    may_request: bool = False


@attrs.define
class InMemoryOsoGateway:
    """A faithful fake of ``elk_domain.oso.ports.OsoGateway``; safe to call from several threads."""

    points: dict[SchoolLocation, _Point] = attrs.Factory(dict)
    dossiers: dict[tuple[SchoolLocation, Bsn], OsoDossier] = attrs.Factory(dict)
    faults: dict[Bsn, Exception] = attrs.Factory(dict)
    messages: dict[SchoolLocation, list[OsoNotification]] = attrs.Factory(dict)
    tickets: list[TransferTicket] = attrs.Factory(list)
    offline: bool = False
    _counter: itertools.count[int] = attrs.Factory(lambda: itertools.count(1))
    _lock: threading.Lock = attrs.Factory(threading.Lock)

    # -- set-up, as Mijn OSO, the LAS and the Traffic Center would ---------------------------

    def create_delivery_point(self, location: SchoolLocation, number: str, key: str) -> None:
        """A delivery point created in "Mijn OSO" and approved by Kennisnet (not yet in ELK)."""
        self.points[location] = _Point(number, key)

    def put_dossier(self, dossier: OsoDossier, *, at: SchoolLocation | None = None) -> None:
        """The LAS prepares a dossier for the location ``at`` (default: the sender's own)."""
        self.dossiers[(at or dossier.sender, dossier.bsn)] = dossier

    def switch_off(self, location: SchoolLocation, at: dt.datetime | None = None) -> None:
        """The Traffic Center switches "Mag overdracht aanvragen" off (after a faulty dossier)."""
        self.points[location].may_request = False
        if at is not None:
            self.notify(
                OsoNotification(
                    location=location,
                    key=f"uit-{location}-{at.isoformat()}",
                    kind=NotificationKind.SWITCHED_OFF,
                    at=at,
                    text="Het aanleverpunt mag geen overdrachten meer aanvragen.",
                )
            )

    def fail(self, bsn: Bsn, error: Exception) -> None:
        """Every call about ``bsn`` raises ``error`` until ``heal`` is called."""
        self.faults[bsn] = error

    def heal(self, bsn: Bsn) -> None:
        """Stop failing for ``bsn``."""
        self.faults.pop(bsn, None)

    def notify(self, notification: OsoNotification) -> None:
        """OSO holds a message for the notification's location."""
        self.messages.setdefault(notification.location, []).append(notification)

    # -- the port -----------------------------------------------------------------------------

    def register_delivery_point(
        self, location: SchoolLocation, number: str, key: str
    ) -> DeliveryPointStatus:
        """Rejected unless number and key match a delivery point of the location."""
        self._check_online()
        point = self.points.get(location)
        if point is None or (point.number, point.key) != (number, key):
            raise Rejected("OSO kent dit aanleverpunt niet bij deze BRIN en vestiging.")
        point.registered = point.may_request = True
        return self._status(location)

    def ping(self, location: SchoolLocation) -> DeliveryPointStatus:
        """The delivery point's current status."""
        self._check_online()
        return self._status(location)

    def request_transfer(self, location: SchoolLocation, bsn: Bsn) -> TransferTicket:
        """Open a transfer; Rejected when the location may not request transfers."""
        self._check(bsn)
        if not self._status(location).may_request:
            raise Rejected("Dit aanleverpunt mag geen overdrachten aanvragen.")
        with self._lock:
            ticket = TransferTicket(
                location=location,
                bsn=bsn,
                session_id=f"sessie-{next(self._counter)}",
                delivery_points=1,
            )
            self.tickets.append(ticket)
        return ticket

    def fetch_dossier(self, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """The dossier prepared for the location, if any."""
        self._check(bsn)
        return self.dossiers.get((location, bsn))

    def notifications(self, location: SchoolLocation) -> Sequence[OsoNotification]:
        """Messages for the location, oldest first."""
        self._check_online()
        return sorted(self.messages.get(location, []), key=lambda n: n.at)

    def _status(self, location: SchoolLocation) -> DeliveryPointStatus:
        point = self.points.get(location)
        registered = point is not None and point.registered
        return DeliveryPointStatus(
            location=location,
            registered=registered,
            may_request=registered and point is not None and point.may_request,
            routing_key=f"elk-{location}" if registered else "",
        )

    def _check_online(self) -> None:
        if self.offline:
            raise Unavailable("OSO geeft geen antwoord. Probeer het later opnieuw.")

    def _check(self, bsn: Bsn) -> None:
        self._check_online()
        fault = self.faults.get(bsn)
        if fault is not None:
            raise fault


class InlineOsoBatch:
    """``OsoBatch`` fake: the jobs one after another in the calling thread, all with
    ``gateway``. The real engine (``elk_adapters.oso.batch``) runs them in threads."""

    def __init__(self, gateway: OsoGateway) -> None:
        self.gateway = gateway

    def run(self, jobs: Sequence[OsoJob], progress: Progress | None = None) -> BatchRun:
        """See ``OsoBatch.run``."""
        items: list[PupilSync] = []
        for job in jobs:
            try:
                item = job.work(self.gateway)
            except Exception as error:  # the port's promise: a crash is that pupil's result
                item = job.crashed(error)
            if progress is not None:
                progress(item)
            items.append(item)
        return BatchRun(tuple(items))
