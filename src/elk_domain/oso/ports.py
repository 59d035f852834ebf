"""The OSO exchange and what ELK keeps of it: the gateway, delivery points, notifications."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    DeliveryPointStatus,
    OsoNotification,
    StoredNotification,
    TransferTicket,
)
from elk_domain.oso.dossiers.dossier import OsoDossier


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


class OsoRepositories(Protocol):
    """What ELK keeps of the OSO exchange."""

    delivery_points: DeliveryPointRepository
    oso_notifications: OsoNotificationRepository


class OsoWork(OsoRepositories, OkidocWork, Protocol):
    """The unit of work of the OSO use cases."""
