"""The home page's notification count (R-OSO-7): who gets one, and what it counts."""

from __future__ import annotations

import datetime as dt

from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import SchoolLocation
from elk_domain.oso.delivery_point import NotificationKind, OsoNotification, StoredNotification
from elk_domain.overview.home import notification_count
from elk_domain.testing import InMemoryUnitOfWork

AT = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


def _stored(school_id: int, key: str) -> StoredNotification:
    note = OsoNotification(
        location=SchoolLocation.parse("12AB"),
        key=key,
        kind=NotificationKind.DOSSIER_READY,
        at=AT,
        text="Dossier staat klaar.",
    )
    return StoredNotification(id=0, school_id=school_id, notification=note, received_at=AT)


def _uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for school_id, key in ((1, "a"), (1, "b"), (2, "c")):
            uow.oso_notifications.add(_stored(school_id, key))
        uow.commit()
    return uow


class TestNotificationCount:
    def test_counts_only_the_actors_school(self) -> None:
        teacher = Actor(user_id=1, name="Juf", role=Role.END_USER, board_id=1, school_id=1)
        assert notification_count(_uow(), teacher) == 2

    def test_none_without_a_school(self) -> None:
        admin = Actor(user_id=2, name="Beheer", role=Role.FUNCTIONAL_ADMIN)
        assert notification_count(_uow(), admin) is None

    def test_none_for_a_role_that_does_not_work_with_oso(self) -> None:
        mentor = Actor(user_id=3, name="Mentor", role=Role.VO_USER, board_id=1, school_id=2)
        assert notification_count(_uow(), mentor) is None
