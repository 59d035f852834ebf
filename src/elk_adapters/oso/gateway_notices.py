"""Translate zeep reply objects into the domain's delivery-point status and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import DeliveryPointStatus, NotificationKind, OsoNotification


def status(location: SchoolLocation, point: Any) -> DeliveryPointStatus:
    """A delivery point as the Traffic Center describes it."""
    if point is None:
        return DeliveryPointStatus(location=location, registered=False, may_request=False)
    return DeliveryPointStatus(
        location=location,
        registered=True,
        may_request=bool(point.magOverdrachtAanvragen),
        routing_key=str(point.routeringsKenmerk or ""),
    )


def _kind(raw: str) -> NotificationKind:
    try:
        return NotificationKind(raw)
    except ValueError:
        return NotificationKind.OTHER


def _bsn(raw: str | None) -> Bsn | None:
    if not raw:
        return None
    try:
        return Bsn.parse(raw)
    except Rejected:
        return None


def notifications(location: SchoolLocation, items: Iterable[Any]) -> list[OsoNotification]:
    """Notifications oldest first; an unknown kind becomes OTHER, a bad BSN is dropped."""
    found = [
        OsoNotification(
            location=location,
            key=str(item.koppelsleutel),
            kind=_kind(str(item.soort)),
            at=item.tijdstip,
            text=str(item.tekst),
            bsn=_bsn(item.zoeksleutel),
        )
        for item in items
    ]
    return sorted(found, key=lambda n: n.at)
