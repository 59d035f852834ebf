"""A VO user sees the Oki-doc of a pupil registered at their school, and nobody else's (R-AAN-4).

One access rule decides: the pupil's definitive registration names the VO school as first
choice. The screen and the PDF go through the same permission path, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from tests.web.builders import other_vo_user, register_at
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services

Login = Callable[..., TestResponse]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def registered(services: Services, staff: object) -> int:
    """Anna (group 8a of De Regenboog), registered definitively at Het Lyceum."""
    register_at(services, staff.pupil_id, staff.vo_school_id)  # type: ignore[attr-defined]
    return int(staff.pupil_id)  # type: ignore[attr-defined]


class TestVoUserOfTheRegisteredSchool:
    def test_sees_the_okidoc_page(
        self, client: FlaskClient, login: Login, staff: object, registered: int
    ) -> None:
        login(client, staff.vo_user.email)  # type: ignore[attr-defined]
        response = client.get(f"/leerlingen/{registered}/oki-doc")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Anna" in page
        assert "Jansen" in page

    def test_gets_the_okidoc_pdf(
        self, client: FlaskClient, login: Login, staff: object, registered: int
    ) -> None:
        login(client, staff.vo_user.email)  # type: ignore[attr-defined]
        response = client.get(f"/documenten/leerling/{registered}/oki-doc.pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        import io

        text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
        assert "Anna" in text

    def test_may_see_it_but_not_change_it(
        self,
        client: FlaskClient,
        login: Login,
        csrf_token: Callable[[TestResponse], str],
        staff: object,
        registered: int,
    ) -> None:
        """Seeing the pupil and changing the Oki-doc are decided by the same rule: 403, not 404."""
        login(client, staff.vo_user.email)  # type: ignore[attr-defined]
        token = csrf_token(client.get("/"))
        base = f"/leerlingen/{registered}/oki-doc"
        inspection = {"inzage_datum": "2025-01-10", "akkoord": "ja", "zienswijze": ""}
        for url, form in ((f"{base}/volledig", {}), (f"{base}/inzage", inspection)):
            response = client.post(url, data={**form, "expected_version": "1", "csrf_token": token})
            assert response.status_code == 403, url


class TestVoUserOfAnotherSchool:
    def test_okidoc_page_and_pdf_are_hidden(
        self,
        client: FlaskClient,
        login: Login,
        services: Services,
        staff: object,
        registered: int,
    ) -> None:
        other = other_vo_user(services, staff.board_id)  # type: ignore[attr-defined]
        login(client, other.email)
        assert client.get(f"/leerlingen/{registered}/oki-doc").status_code == 404
        assert client.get(f"/documenten/leerling/{registered}/oki-doc.pdf").status_code == 404

    def test_unregistered_pupil_is_hidden_from_the_lyceum_too(
        self, client: FlaskClient, login: Login, staff: object, registered: int
    ) -> None:
        login(client, staff.vo_user.email)  # type: ignore[attr-defined]
        hidden = staff.other_group_pupil_id  # type: ignore[attr-defined]
        assert client.get(f"/leerlingen/{hidden}/oki-doc").status_code == 404
        assert client.get(f"/documenten/leerling/{hidden}/oki-doc.pdf").status_code == 404
