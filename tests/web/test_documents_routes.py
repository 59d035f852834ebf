"""PDF downloads: Oki-doc, registration form and consent form, with the screen's permissions."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import OkiDoc
from elk_domain.pupils.model import Pupil

if TYPE_CHECKING:
    from tests.web.conftest import LoginHelper, Seed


@pytest.fixture
def pupil_id(services: Services, seeded: Seed) -> int:
    """A pupil of group 8a (the teacher's group) with a filled Oki-doc and no registration."""
    with services.uow() as uow:
        pupil = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(300001),
                school_id=seeded.school_id,
                group_id=seeded.group_id,
                name=PersonName("Łukasz", "Çelik"),
            )
        )
        uow.okidocs.add(
            OkiDoc(id=0, pupil_id=pupil.id, fields=complete_fields(services.clock.now()))
        )
        uow.commit()
        return pupil.id


def _text(response: TestResponse) -> str:
    reader = PdfReader(io.BytesIO(response.get_data()))
    return " ".join(page.extract_text() for page in reader.pages)


def _is_pdf(response: TestResponse, filename: str) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "application/pdf"
        and response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
        and response.headers["Cache-Control"] == "no-store"
        and response.get_data().startswith(b"%PDF")
    )


class TestPupilDocuments:
    def test_teacher_prints_the_okidoc_and_the_registration_form(
        self, client: FlaskClient, login: LoginHelper, seeded: Seed, pupil_id: int
    ) -> None:
        login(client, seeded.teacher.email)

        okidoc = client.get(f"/documenten/leerling/{pupil_id}/oki-doc.pdf")
        form = client.get(f"/documenten/leerling/{pupil_id}/aanmeldformulier.pdf")

        assert _is_pdf(okidoc, "oki-doc_300001.pdf")
        assert "Łukasz Çelik" in _text(okidoc)
        assert _is_pdf(form, "aanmeldformulier_300001.pdf")
        assert "Er is nog geen aanmelding" in _text(form)

    def test_vo_school_without_registration_does_not_learn_the_pupil_exists(
        self, client: FlaskClient, login: LoginHelper, seeded: Seed, pupil_id: int
    ) -> None:
        login(client, seeded.vo_user.email)

        for name in ("oki-doc.pdf", "aanmeldformulier.pdf"):
            assert client.get(f"/documenten/leerling/{pupil_id}/{name}").status_code == 404

    def test_unknown_pupil_is_not_found(
        self, client: FlaskClient, login: LoginHelper, seeded: Seed
    ) -> None:
        login(client, seeded.teacher.email)

        assert client.get("/documenten/leerling/999/oki-doc.pdf").status_code == 404

    def test_anonymous_visitors_go_to_the_login_page(
        self, client: FlaskClient, pupil_id: int
    ) -> None:
        for url in (
            f"/documenten/leerling/{pupil_id}/oki-doc.pdf",
            f"/documenten/leerling/{pupil_id}/aanmeldformulier.pdf",
            "/documenten/toestemmingsformulier-lat.pdf",
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert "/inloggen" in response.headers["Location"]


class TestConsentForm:
    def test_logged_in_users_download_the_lat_consent_form(
        self, client: FlaskClient, login: LoginHelper, seeded: Seed
    ) -> None:
        login(client, seeded.teacher.email)

        response = client.get("/documenten/toestemmingsformulier-lat.pdf")

        assert _is_pdf(response, "toestemmingsformulier_lat.pdf")
        assert "LAT-onderzoek" in _text(response)
