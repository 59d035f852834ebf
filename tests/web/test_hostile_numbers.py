"""Numbers no database holds, POSTed in URLs and forms: a 404 or the form's own answer.

Found by the POST fuzz (test_fuzz_posts.py, issue 12): an id of 10**30 in a URL overflowed the
SQLite driver; "²" passes ``str.isdigit`` but not ``int``; a 5,000-digit version made ``int``
raise. test_hostile_input.py covers the same for GET pages and query strings; here: POSTs to a
path a GET route shares (404, not 405), versions (a conflict that keeps the input) and the
school form's capacities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from flask import Flask
from flask.testing import FlaskClient

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, Staff, StaffLoginHelper

BEYOND = (2**31, 2**63, 10**30)  # 2**31: the first id a PostgreSQL INTEGER cannot hold
NOT_NUMBERS = ("²", "٣", "9" * 5000, str(2**63))


def _post(client: FlaskClient, csrf: CsrfHelper, path: str, **form: object) -> int:
    token = csrf(client.get("/account/instellingen"))
    return client.post(path, data={"csrf_token": token, **form}).status_code


@pytest.fixture
def admin(app: Flask, staff: Staff, login_staff: StaffLoginHelper) -> FlaskClient:
    client = app.test_client()
    login_staff(client, staff.admin.email)
    return client


@pytest.fixture
def teacher(app: Flask, staff: Staff, login_staff: StaffLoginHelper) -> FlaskClient:
    client = app.test_client()
    login_staff(client, staff.teacher.email)
    return client


class TestIdsInUrls:
    @pytest.mark.parametrize("number", BEYOND)
    @pytest.mark.parametrize(
        "path",
        [
            "/leerlingen/{}/oki-doc",
            "/leerlingen/{}/oki-doc/inzage",
            "/leerlingen/{}/notities",
            "/leerlingen/{}/reden-niet-plaatsen",
            "/beheer/gebruikers/{}",
            "/beheer/groepen/{}",
            "/beheer/scholen/{}",
            "/oso/configureren/{}/ping",
            "/oso/configureren/{}/registreren",
        ],
    )
    def test_an_id_no_record_can_have_is_not_found(
        self, admin: FlaskClient, csrf_token: CsrfHelper, path: str, number: int
    ) -> None:
        assert _post(admin, csrf_token, path.format(number)) == 404

    def test_reading_a_page_with_such_an_id_is_not_found_either(self, admin: FlaskClient) -> None:
        assert admin.get(f"/leerlingen/{10**30}/oki-doc").status_code == 404


class TestNumbersInForms:
    @pytest.mark.parametrize("school", NOT_NUMBERS)
    def test_a_new_user_with_a_school_that_is_no_number_is_asked_to_choose_one(
        self, admin: FlaskClient, csrf_token: CsrfHelper, school: str
    ) -> None:
        token = csrf_token(admin.get("/beheer/gebruikers/nieuw"))
        form = {"csrf_token": token, "email": "nieuw@regenboog.test", "naam": "Nieuw",
                "rol": "invoeren_accorderen", "organisatie": "po", "school": school}  # fmt: skip
        response = admin.post("/beheer/gebruikers/nieuw", data=form)
        assert response.status_code == 422
        assert "Kies het type organisatie (po of vo) en de school." in response.get_data(
            as_text=True
        )

    @pytest.mark.parametrize("version", NOT_NUMBERS)
    def test_an_oki_doc_version_that_is_no_number_is_a_conflict_that_keeps_the_input(
        self, teacher: FlaskClient, staff: Staff, csrf_token: CsrfHelper, version: str
    ) -> None:
        url = f"/leerlingen/{staff.pupil_id}/oki-doc"
        token = csrf_token(teacher.get(url))
        form = {"csrf_token": token, "expected_version": version, "leerling.roepnaam": "Annie"}
        response = teacher.post(url, data=form)
        assert response.status_code == 409
        assert 'value="Annie"' in response.get_data(as_text=True)

    @pytest.mark.parametrize("version", NOT_NUMBERS)
    def test_making_complete_with_such_a_version_is_refused_as_stale(
        self, teacher: FlaskClient, staff: Staff, csrf_token: CsrfHelper, version: str
    ) -> None:
        url = f"/leerlingen/{staff.pupil_id}/oki-doc/volledig"
        assert _post(teacher, csrf_token, url, expected_version=version) in {409, 422}

    @pytest.mark.parametrize("version", ["abc", *NOT_NUMBERS])
    def test_a_school_version_that_is_no_number_is_a_conflict(
        self, admin: FlaskClient, staff: Staff, csrf_token: CsrfHelper, version: str
    ) -> None:
        url = f"/beheer/scholen/{staff.school_id}"
        page = admin.get(url)
        form = {"csrf_token": csrf_token(page), "versie": version, "official_name": "De Regenboog",
                "name": "De Regenboog", "school_type": "Basisschool", "street": "Schoolstraat",
                "house_number": "1", "postcode": "1181 AB", "city": "Amstelveen",
                "brin": "12AB", "vestiging": "00", "director": "Nieuwe Directeur"}  # fmt: skip
        assert admin.post(url, data=form).status_code == 409

    @pytest.mark.parametrize("seats", NOT_NUMBERS)
    def test_a_capacity_that_is_no_number_is_ignored_as_before(
        self, admin: FlaskClient, staff: Staff, csrf_token: CsrfHelper, seats: str
    ) -> None:
        url = f"/beheer/scholen/{staff.vo_school_id}"
        status = _post(admin, csrf_token, url, versie="1", niveau_HAVO="1", capaciteit_HAVO=seats)
        assert status == 422  # the rest of this form is empty: the required fields are named

    @pytest.mark.parametrize("school", NOT_NUMBERS)
    def test_syncing_every_pupil_of_a_school_that_is_no_number_uses_the_own_school(
        self, teacher: FlaskClient, csrf_token: CsrfHelper, school: str
    ) -> None:
        status = _post(teacher, csrf_token, "/oso/synchroniseren", alle="1", mode="fill",
                       school=school)  # fmt: skip
        assert status == 200
