"""What the OSO exchange answers besides dossiers: delivery-point status, tickets, notifications."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from elk_domain.model.values import Bsn, SchoolLocation


@attrs.frozen(kw_only=True)
class DeliveryPointStatus:
    """R-OSO-1/2: whether a location's delivery point is known and may request transfers."""

    location: SchoolLocation
    registered: bool
    may_request: bool
    routing_key: str = ""  # the Traffic Center's name for the delivery point


@attrs.frozen(kw_only=True)
class TransferTicket:
    """R-OSO-3: a transfer session opened for one pupil within the own BRIN."""

    location: SchoolLocation
    bsn: Bsn
    session_id: str
    delivery_points: int


class NotificationKind(enum.Enum):
    """R-OSO-7: what OSO tells a school."""

    DOSSIER_READY = "dossier_gereed"
    REJECTED = "afgekeurd"
    SWITCHED_OFF = "aanleverpunt_uitgeschakeld"
    OTHER = "overig"

    @property
    def label(self) -> str:
        """Dutch label for the notifications page."""
        return {
            "dossier_gereed": "Dossier klaar",
            "afgekeurd": "Afgekeurd",
            "aanleverpunt_uitgeschakeld": "Aanleverpunt uitgeschakeld",
            "overig": "Melding",
        }[self.value]


@attrs.frozen(kw_only=True)
class OsoNotification:
    """One message from OSO for a school location."""

    location: SchoolLocation
    key: str  # koppelsleutel: unique per notification, so storing it twice is detectable
    kind: NotificationKind
    at: dt.datetime
    text: str
    bsn: Bsn | None = None
