"""A school location's OSO delivery point (aanleverpunt) and the OSO messages kept (R-OSO-1/2/7).

The key from "Mijn OSO" is a secret: it is stored because the OSO adapter needs it, but it never
appears in a repr, a log line or an audit entry.
"""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.model.oso_transport import OsoNotification
from elk_domain.model.values import SchoolLocation


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
