"""The Leerlingen overview: columns, filter, search, sort, paging, scope, constant query count."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Group
from elk_domain.pupils.model import ParentLoginStatus, Pupil

pytestmark = pytest.mark.usefixtures("seeded")

SENT, NOT_SENT = ParentLoginStatus.SENT, ParentLoginStatus.NOT_SENT
NAMES = [
    ("Anna", "Bakker"),
    ("Bram", "de Jong"),
    ("Cas", "Visser"),
    ("Daan", "Smit"),
    ("Eva", "Mulder"),
    ("Finn", "Bos"),
]


def _add_pupils(services: Services, school_id: int, group_id: int, count: int) -> list[int]:
    from elk_domain.testing import FixedClock

    at = FixedClock().now()
    ids = []
    with services.uow() as uow:
        group_8b = uow.groups.add(Group(0, school_id, "8b"))
        for index in range(count):
            first, last = NAMES[index % len(NAMES)]
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=school_id,
                    name=PersonName(first, f"{last}{index // len(NAMES) or ''}"),
                    group_id=group_id if index % 2 == 0 else group_8b.id,
                    parent_login=ParentLoginStatus.SENT
                    if index == 0
                    else ParentLoginStatus.NOT_SENT,
                )
            )
            values = {f.ADVICE_EXTRA_SUPPORT: index == 1, f.ADVICE_TAFELTJESMIDDAG: index == 2}
            fields = {
                p: FieldValue(v, Provenance(Source.HAND, at, "test")) for p, v in values.items()
            }
            status = OkiStatus.VOLLEDIG if index == 3 else OkiStatus.ONVOLLEDIG
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status, fields=fields))
            ids.append(pupil.id)
        uow.commit()
    return ids


@pytest.fixture
def teacher_client(client: FlaskClient, login, seeded, services: Services) -> FlaskClient:  # type: ignore[no-untyped-def]
    _add_pupils(services, seeded.school_id, seeded.group_id, 6)
    login(client, seeded.teacher.email)
    return client


@pytest.fixture
def admin_client(client: FlaskClient, login, seeded, services: Services) -> FlaskClient:  # type: ignore[no-untyped-def]
    _add_pupils(services, seeded.school_id, seeded.group_id, 60)
    login(client, seeded.admin.email)
    return client


@pytest.fixture
def queries() -> Iterator[list[str]]:
    """Every SQL statement any engine runs while the test is active."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    yield seen
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)


class TestOverview:
    def test_group_contact_sees_only_their_group(self, teacher_client: FlaskClient) -> None:
        page = teacher_client.get("/leerlingen/").get_data(as_text=True)
        assert "Bakker, Anna" in page
        assert "Jong, Bram de" not in page  # in 8b: not the teacher's group
        assert "3 leerlingen gevonden" in page

    def test_admin_sees_all_columns_and_legend(self, admin_client: FlaskClient) -> None:
        page = admin_client.get("/leerlingen/?per_pagina=10").get_data(as_text=True)
        for header in ("Tafelmiddag PO", "Tafelmiddag VO", "Ouderinlog Amsterdam", "Aangemeld bij"):
            assert header in page
        assert "Legenda" in page
        assert "60 leerlingen gevonden, pagina 1 van 6" in page

    def test_search_filters_on_name(self, admin_client: FlaskClient) -> None:
        page = admin_client.get("/leerlingen/?zoek=visser").get_data(as_text=True)
        assert "10 leerlingen gevonden" in page
        assert "Bakker" not in page

    def test_sort_by_name_descending(self, admin_client: FlaskClient) -> None:
        page = admin_client.get("/leerlingen/?sorteer=naam&richting=af&per_pagina=10")
        html = page.get_data(as_text=True)
        assert html.index("Visser9") < html.index("Visser8")

    def test_query_count_does_not_grow_with_page_size(
        self, admin_client: FlaskClient, queries: list[str]
    ) -> None:
        admin_client.get("/leerlingen/?per_pagina=10")
        queries.clear()
        assert admin_client.get("/leerlingen/?per_pagina=10").status_code == 200
        small = len(queries)
        queries.clear()
        assert admin_client.get("/leerlingen/?per_pagina=50").status_code == 200
        assert len(queries) == small
