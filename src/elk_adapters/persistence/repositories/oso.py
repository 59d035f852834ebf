"""OSO delivery points and notifications in SQL (R-OSO-1/2/7)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import STALE
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import (
    DeliveryPoint,
    NotificationKind,
    OsoNotification,
    StoredNotification,
)

_TAKEN = "Deze school heeft al een aanleverpunt."


def _point_values(point: DeliveryPoint) -> Mapping[str, Any]:
    return {
        "brin": point.location.brin,
        "vestiging": point.location.vestiging,
        "number": point.number,
        "secret_key": point.key,
        "registered": point.registered,
        "may_request": point.may_request,
        "routing_key": point.routing_key,
        "last_ping_at": point.last_ping_at,
        "last_error": point.last_error,
    }


def _point_from_row(row: Row[Any]) -> DeliveryPoint:
    return DeliveryPoint(
        school_id=row.school_id,
        location=SchoolLocation(row.brin, row.vestiging),
        number=row.number,
        key=row.secret_key,
        registered=row.registered,
        may_request=row.may_request,
        routing_key=row.routing_key,
        last_ping_at=row.last_ping_at,
        last_error=row.last_error,
        version=row.version,
    )


class SqlAlchemyDeliveryPointRepository(SqlRepository):
    """One row per school location, keyed by school id, with optimistic locking."""

    label = "Aanleverpunt"

    def for_school(self, school_id: int) -> DeliveryPoint | None:
        """The school's delivery point, or None when none was ever entered."""
        query = sa.select(t.delivery_points).where(t.delivery_points.c.school_id == school_id)
        row = self._execute(query).first()
        return None if row is None else _point_from_row(row)

    def list(self, school_ids: Iterable[int]) -> Sequence[DeliveryPoint]:
        """The stored delivery points of these schools, by school id."""
        query = (
            sa.select(t.delivery_points)
            .where(t.delivery_points.c.school_id.in_(list(school_ids)))
            .order_by(t.delivery_points.c.school_id)
        )
        return [_point_from_row(row) for row in self._execute(query)]

    def save(self, point: DeliveryPoint) -> DeliveryPoint:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        table = t.delivery_points
        values = _point_values(point)
        if point.version == 0:
            statement: sa.Executable = sa.insert(table).values(
                school_id=point.school_id, version=1, **values
            )
            try:
                self._write(statement, duplicate=_TAKEN)
            except Rejected as refused:  # stored meanwhile by someone else: a stale version
                if refused.message != _TAKEN:
                    raise
                raise Conflict(STALE.format(what="het aanleverpunt")) from refused
            return attrs.evolve(point, version=1)
        statement = (
            sa.update(table)
            .where(table.c.school_id == point.school_id, table.c.version == point.version)
            .values(**values, version=point.version + 1)
        )
        if self._write(statement).rowcount != 1:
            raise Conflict(STALE.format(what="het aanleverpunt"))
        return attrs.evolve(point, version=point.version + 1)


def _notification_values(stored: StoredNotification) -> Mapping[str, Any]:
    message = stored.notification
    return {
        "school_id": stored.school_id,
        "key": message.key,
        "kind": message.kind.value,
        "at": message.at,
        "text": message.text,
        "bsn": None if message.bsn is None else message.bsn.value,
        "brin": message.location.brin,
        "vestiging": message.location.vestiging,
        "received_at": stored.received_at,
    }


def _notification_from_row(row: Row[Any]) -> StoredNotification:
    return StoredNotification(
        id=row.id,
        school_id=row.school_id,
        received_at=row.received_at,
        notification=OsoNotification(
            location=SchoolLocation(row.brin, row.vestiging),
            key=row.key,
            kind=NotificationKind(row.kind),
            at=row.at,
            text=row.text,
            bsn=None if row.bsn is None else Bsn(row.bsn),
        ),
    )


class SqlAlchemyOsoNotificationRepository(SqlRepository):
    """OSO's messages; the unique (school, key) makes storing one twice a no-op."""

    label = "OSO-notificatie"

    def add(self, notification: StoredNotification) -> bool:
        """Store (``id`` ignored) unless the school has one with the same key; True when new."""
        values = _notification_values(notification)
        dialect = self._connection.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(t.oso_notifications)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["school_id", "key"])
            .returning(t.oso_notifications.c.id)
        )
        return bool(self._write(statement).rows)

    def for_school(self, school_id: int, limit: int = 200) -> Sequence[StoredNotification]:
        """The school's notifications, newest first (by OSO's time, then arrival)."""
        table = t.oso_notifications
        query = (
            sa.select(table)
            .where(table.c.school_id == school_id)
            .order_by(table.c.at.desc(), table.c.id.desc())
            .limit(limit)
        )
        return [_notification_from_row(row) for row in self._execute(query)]

    def count_for_school(self, school_id: int) -> int:
        """How many notifications the school has: one COUNT on the (school_id, key) index."""
        table = t.oso_notifications
        query = sa.select(sa.func.count()).where(table.c.school_id == school_id)
        return int(self._execute(query).scalar_one())
