"""Overzichten (R-LL-4): counts per school and board; the CSV export is safe for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import ParentLoginStatus, Pupil, ReasonNotPlaced

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
Logout = Callable[[FlaskClient], TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")
HOSTILE = ('=HYPERLINK("http://x")', "+SUM(1;2)", "-2+3", "@cmd")


def _school(board_id: int, name: str, brin: str) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=OrgKind.PO,
        official_name=name,
        name=name,
        school_type="Basisschool",
        address=Address.create(
            street="Dorpsstraat", house_number="3", postcode="1181 AB", city="Amstelveen"
        ),
        location=SchoolLocation.parse(brin),
    )


LATER = ParentLoginStatus.REGISTRATION_STARTED  # activated, and registering (AG)


def _pupils(services: Services, school_id: int, statuses: list[OkiStatus]) -> None:
    with services.uow() as uow:
        for index, status in enumerate(statuses):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=school_id,
                    name=PersonName("Kind", f"Nummer{index}"),
                    reason_not_placed=ReasonNotPlaced.VERHUISD if index == 0 else None,
                    parent_login=ParentLoginStatus.SENT if index == 0 else LATER,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status))
        uow.commit()


@pytest.fixture
def admin(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.admin.email)
    return client


class TestStatusOverview:
    def test_counts_per_school_and_board_total(
        self, admin: FlaskClient, services: Services, seeded: Any
    ) -> None:
        _pupils(services, seeded.school_id, [OkiStatus.ONVOLLEDIG, OkiStatus.VOLLEDIG])
        with services.uow() as uow:
            board_id = uow.schools.get(seeded.school_id).board_id
            second = uow.schools.add(_school(board_id, "De Wilg", "78GH"))
            uow.commit()
        _pupils(services, second.id, [OkiStatus.DEFINITIEF])
        page = admin.get("/overzichten/").get_data(as_text=True)
        assert "PO – status leerlingen / Oki-doc" in page
        assert "PO – status leerlingen &gt; aanmelding" in page
        row = '<th scope="row">De Regenboog</th><td>2</td><td>1</td><td>1</td><td>0</td>'
        assert row in page
        assert '<th scope="row">De Wilg</th><td>1</td><td>0</td><td>0</td><td>1</td>' in page
        total = "Totaal Stichting Amstelland</th><td>3</td><td>1</td><td>1</td><td>1</td>"
        assert total in page
        # parent logins: one sent, one activated; registrations: nobody registered (the status
        # AG of the login does not count as a registration); one reason not placed per school
        assert (
            '<th scope="row">De Regenboog</th><td>2</td><td>1</td><td>1</td>'
            "<td>2</td><td>0</td><td>0</td><td>1</td>" in page
        )
        assert '<th scope="col">Ouderinlog verstuurd</th>' in page
        assert "Het Lyceum" not in page  # VO schools are not counted

    def test_teacher_sees_only_their_own_school(
        self, client: FlaskClient, login: Login, services: Services, seeded: Any
    ) -> None:
        with services.uow() as uow:
            board_id = uow.schools.get(seeded.school_id).board_id
            uow.schools.add(_school(board_id, "De Wilg", "78GH"))
            uow.commit()
        login(client, seeded.teacher.email)
        response = client.get("/overzichten/")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "De Regenboog" in page
        assert "De Wilg" not in page


class TestCsvExport:
    def test_is_utf8_with_bom_and_declares_it(
        self, admin: FlaskClient, services: Services, seeded: Any
    ) -> None:
        with services.uow() as uow:
            board_id = uow.schools.get(seeded.school_id).board_id
            uow.schools.add(_school(board_id, "Één Ster", "78GH"))
            uow.commit()
        response = admin.get("/overzichten/status.csv")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.mimetype_params.get("charset") == "utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.data.startswith(b"\xef\xbb\xbf")  # Excel reads diacritics from the BOM
        assert "Één Ster".encode() in response.data

    def test_neutralises_formula_cells(self, admin: FlaskClient, services: Services) -> None:
        with services.uow() as uow:
            board = uow.boards.add(Board(0, HOSTILE[0]))
            for index, name in enumerate(HOSTILE[1:]):
                uow.schools.add(_school(board.id, name, f"9{index}ZZ"))
            uow.commit()
        text = admin.get("/overzichten/status.csv").data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0][:3] == ["Bestuur", "School", "Leerlingen"]
        cells = [cell for row in rows[1:] for cell in row[:2]]
        for hostile in HOSTILE:
            assert "'" + hostile in cells
            assert hostile not in cells
        for row in rows[1:]:
            assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)
            assert all(cell.isdigit() for cell in row[2:])  # counts stay numbers
