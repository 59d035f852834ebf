"""The home page's OSO notifications indicator (R-OSO-7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.oso.delivery_point import NotificationKind, OsoNotification, StoredNotification

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
Logout = Callable[[FlaskClient], TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")
AT = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
INDICATOR = 'class="notify"'


def _notify(services: Services, school_id: int, count: int) -> None:
    with services.uow() as uow:
        school = uow.schools.get(school_id)
        for index in range(count):
            uow.oso_notifications.add(
                StoredNotification(
                    id=0,
                    school_id=school_id,
                    notification=OsoNotification(
                        location=school.location,
                        key=f"k{index}",
                        kind=NotificationKind.DOSSIER_READY,
                        at=AT,
                        text="Dossier staat klaar.",
                    ),
                    received_at=AT,
                )
            )
        uow.commit()


class TestNotificationIndicator:
    def test_shows_the_count_and_links_to_the_notifications(
        self, client: FlaskClient, login: Login, services: Services, seeded: Any
    ) -> None:
        _notify(services, seeded.school_id, 3)
        login(client, seeded.teacher.email)
        page = client.get("/").get_data(as_text=True)
        assert '<a class="notify" href="/oso/notificaties">' in page
        assert '<span class="notify__count">3</span>' in page
        assert "OSO-notificaties binnengekomen" in page

    def test_hidden_without_notifications(
        self, client: FlaskClient, login: Login, seeded: Any
    ) -> None:
        login(client, seeded.teacher.email)
        assert INDICATOR not in client.get("/").get_data(as_text=True)

    def test_not_for_roles_without_a_school_and_no_query_for_them(
        self, client: FlaskClient, login: Login, services: Services, seeded: Any
    ) -> None:
        _notify(services, seeded.school_id, 2)
        login(client, seeded.admin.email)
        client.get("/")
        seen: list[str] = []

        def count(_c: object, _cur: object, statement: str, *_a: object) -> None:
            seen.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
        try:
            page = client.get("/").get_data(as_text=True)
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
        assert INDICATOR not in page
        assert not any("oso_notifications" in s for s in seen)

    def test_other_pages_do_not_pay_for_it(
        self, client: FlaskClient, login: Login, services: Services, seeded: Any
    ) -> None:
        _notify(services, seeded.school_id, 1)
        login(client, seeded.teacher.email)
        assert INDICATOR not in client.get("/leerlingen/").get_data(as_text=True)
