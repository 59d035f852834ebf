"""A gateway that builds the real one on first use, so starting ELK never loads zeep or the WSDL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import DeliveryPointStatus, OsoNotification, TransferTicket
from elk_domain.oso.dossiers.dossier import OsoDossier

if TYPE_CHECKING:
    from elk_domain.oso.ports import OsoGateway


class LazyOsoGateway:
    """``OsoGateway`` that calls ``build`` once, on the first call, from whichever thread."""

    def __init__(self, build: Callable[[], OsoGateway]) -> None:
        self._build = build
        self._built: OsoGateway | None = None
        self._lock = threading.Lock()

    @property
    def gateway(self) -> OsoGateway:
        """The real gateway, built now if this is the first use."""
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = self._build()
        return self._built

    def register_delivery_point(
        self, location: SchoolLocation, number: str, key: str
    ) -> DeliveryPointStatus:
        """See ``OsoGateway.register_delivery_point``."""
        return self.gateway.register_delivery_point(location, number, key)

    def ping(self, location: SchoolLocation) -> DeliveryPointStatus:
        """See ``OsoGateway.ping``."""
        return self.gateway.ping(location)

    def request_transfer(self, location: SchoolLocation, bsn: Bsn) -> TransferTicket:
        """See ``OsoGateway.request_transfer``."""
        return self.gateway.request_transfer(location, bsn)

    def fetch_dossier(self, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """See ``OsoGateway.fetch_dossier``."""
        return self.gateway.fetch_dossier(location, bsn)

    def notifications(self, location: SchoolLocation) -> Sequence[OsoNotification]:
        """See ``OsoGateway.notifications``."""
        return self.gateway.notifications(location)


if TYPE_CHECKING:
    _: type[OsoGateway] = LazyOsoGateway  # mypy proves the wrapper satisfies the port
