"""What the OSO exchange answers besides dossiers: delivery-point status, tickets, notifications.

A school location's OSO delivery point (aanleverpunt) and the OSO messages kept (R-OSO-1/2/7).

The key from "Mijn OSO" is a secret: it is stored because the OSO adapter needs it, but it never
appears in a repr, a log line or an audit entry.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from elk_domain.kernel.values import Bsn, SchoolLocation


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
    """R-OSO-7: what OSO tells a school, and what ELK adds about the dossiers it fetched."""

    DOSSIER_READY = "dossier_gereed"
    REJECTED = "afgekeurd"
    SWITCHED_OFF = "aanleverpunt_uitgeschakeld"
    OTHER = "overig"
    # ELK's own: a dossier broke Edustandaard's official business rules (decision 0044).
    FIX_IN_LAS = "herstel_in_las"

    @property
    def label(self) -> str:
        """Dutch label for the notifications page."""
        return {
            "dossier_gereed": "Dossier klaar",
            "afgekeurd": "Afgekeurd",
            "aanleverpunt_uitgeschakeld": "Aanleverpunt uitgeschakeld",
            "overig": "Melding",
            "herstel_in_las": "Herstel in het LAS",
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


@attrs.frozen(kw_only=True)
class DeliveryPoint:
    """The delivery point of one school location as registered in ELK (OSO → Configureren)."""

    school_id: int
    location: SchoolLocation
    number: str = ""
    key: str = attrs.field(default="", repr=False)
    registered: bool = False  # the "OSO" flag
    may_request: bool = False  # "Mag overdracht aanvragen"; the Traffic Center may switch it off
    routing_key: str = ""
    last_ping_at: dt.datetime | None = None
    last_error: str = ""
    version: int = 0  # 0: never stored; the repository raises Conflict on a stale version

    @property
    def usable(self) -> bool:
        """True when transfers may be requested through this delivery point."""
        return self.registered and self.may_request


@attrs.frozen(kw_only=True)
class StoredNotification:
    """An OSO notification kept for a school; stored once per notification key."""

    id: int
    school_id: int
    notification: OsoNotification
    received_at: dt.datetime
